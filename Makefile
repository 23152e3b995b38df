# jixiao: `make run` and `make test` each do all set-up first (Debian packages, .venv, pip).
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed

.PHONY: run test bench lint setup system clean

run: setup
	$(BIN)/jixiao evaluate examples/zhanjiang-2022-kepu --out out

# the whole suite on SQLite, then again on a throwaway PostgreSQL cluster (scripts/pg-test-server.sh)
test: setup
	$(BIN)/ruff check jixiao tests bench tools
	PYTEST=$(BIN)/pytest scripts/test-both-databases.sh

bench: setup
	$(BIN)/python -m bench

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
