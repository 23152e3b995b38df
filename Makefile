# jixiao: `make run` and `make test` each do all set-up first (Debian packages, .venv, pip).
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed

.PHONY: run test bench accuracy fuzz lint setup system clean

# evaluate the example into out/, then the web system on SQLite with demo accounts at http://127.0.0.1:8000, and
# one background worker beside it (django-tasks db_worker: reminders and other long work)
run: setup
	$(BIN)/jixiao evaluate examples/zhanjiang-2022-kepu --out out
	$(BIN)/python manage.py migrate --noinput -v0
	$(BIN)/python manage.py load_demo
	@echo "打开 http://127.0.0.1:8000 ，用上面打印的账号登录；按 Ctrl+C 停止（后台任务进程一同停止）。"
	$(BIN)/python manage.py db_worker --no-startup-delay --no-reload & worker=$$!; \
	trap 'kill $$worker 2>/dev/null' EXIT INT TERM; \
	$(BIN)/python manage.py runserver --noreload 127.0.0.1:8000

# ruff; the whole suite on SQLite, then the tests that use the database on a throwaway PostgreSQL cluster
# (scripts/test-both-databases.sh: two pytest-xdist workers per pass, each pass timed)
test: setup
	$(BIN)/ruff check jixiao tests bench tools
	$(BIN)/ruff format --check jixiao tests bench tools
	PYTEST=$(BIN)/pytest scripts/test-both-databases.sh

# engine, documents, then the web system on SQLite and on a throwaway PostgreSQL cluster
bench: setup
	$(BIN)/python -m bench
	$(BIN)/python -m bench.audit
	$(BIN)/python -m bench.web
	$(BIN)/python -m bench.tasks
	$(BIN)/python -m bench.intake
	$(BIN)/python -m bench.scale
	$(BIN)/python -m bench.trends
	$(BIN)/python -m bench.cycle
	scripts/bench-postgres.sh bench.web bench.intake bench.scale bench.trends

# measure `jixiao audit` on ../shared/corpus/public and rewrite docs/accuracy.md
accuracy: setup
	$(BIN)/python tools/gen_accuracy_doc.py

# the long fuzz of every reader: 20,000 damaged or hostile files (tests/fuzz), one process per core; figures in
# docs/reliability.md
fuzz: setup
	$(BIN)/python tools/fuzz.py --cases 20000

lint: setup
	$(BIN)/ruff check jixiao tests bench tools
	$(BIN)/ruff format --check jixiao tests bench tools

setup: system $(STAMP)

system:
	@scripts/install-system-packages.sh

$(STAMP): requirements.txt requirements-dev.txt pyproject.toml
	test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install -q --upgrade pip
	$(BIN)/python -m pip install -q -r requirements-dev.txt
	$(BIN)/python -m pip install -q --no-deps -e .
	touch $(STAMP)

clean:
	rm -rf out build *.egg-info .pytest_cache .ruff_cache
