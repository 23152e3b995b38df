#!/usr/bin/env bash
# The test suite on two databases: all of it on SQLite (the default), then the tests that use the database
# (marked `db` by tests/conftest.py) on a throwaway PostgreSQL cluster, which is stopped and deleted on the
# way out, whether the tests pass or not. Both passes run on PYTEST_WORKERS processes (pytest-xdist; 2, one
# per core of the project's machines; 0 runs in this process only). Each pass prints how long it took.
#
#   scripts/test-both-databases.sh [pytest arguments]     (PYTEST overrides .venv/bin/pytest)
set -euo pipefail
cd "$(dirname "$0")/.."
PYTEST=${PYTEST:-.venv/bin/pytest}
# compiled modules and rewritten test modules are kept (in __pycache__, ignored by git), so that each worker of
# each pass does not compile the whole project again: that costs some seconds per process
unset PYTHONDONTWRITEBYTECODE
WORKERS=${PYTEST_WORKERS:-2}
# loadfile: a module's tests stay on one worker, so module-scoped fixtures (LibreOffice conversions, OCR) run once
# (the PostgreSQL pass has little such work: its tests are dealt out one by one, which spreads the long modules)
parallel=()
pg_parallel=()
if [ "$WORKERS" != 0 ]; then
  parallel=(-n "$WORKERS" --dist loadfile)
  pg_parallel=(-n "$WORKERS" --dist load)
fi

echo "== pytest on SQLite =="
start=$SECONDS
env -u DATABASE_URL "$PYTEST" "${parallel[@]}" "$@"
echo "SQLite 一轮用时 $((SECONDS - start)) 秒"

echo "== pytest on PostgreSQL (the tests that use the database) =="
start=$SECONDS
PG_TEST_DIR=""
cleanup() {
  if [ -n "$PG_TEST_DIR" ]; then
    scripts/pg-test-server.sh stop "$PG_TEST_DIR"
  fi
}
trap cleanup EXIT
trap 'exit 130' INT TERM
server=$(scripts/pg-test-server.sh start)
PG_TEST_DIR=$(sed -n 's/^PG_TEST_DIR=//p' <<<"$server")
DATABASE_URL=$(sed -n 's/^DATABASE_URL=//p' <<<"$server")
echo "$DATABASE_URL"
status=0
DATABASE_URL=$DATABASE_URL "$PYTEST" "${pg_parallel[@]}" -m db "$@" || status=$?
if [ "$status" -eq 5 ]; then
  echo "所选的测试中没有用到数据库的，PostgreSQL 一轮无测试可跑"
  status=0
fi
echo "PostgreSQL 一轮用时 $((SECONDS - start)) 秒（含启动集群）"
exit "$status"
