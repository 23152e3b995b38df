#!/usr/bin/env bash
# The test suite on two databases: all of it on SQLite (the default), then the tests that use the database
# (marked `db` by tests/conftest.py) on a throwaway PostgreSQL cluster, which is stopped and deleted on the way
# out, whether the tests pass or not. The PostgreSQL pass leaves out the tests that start LibreOffice (`office`:
# the PDF download of the public page, and the browser walk-through, which ends with one): what they test is
# LibreOffice's output, and every database step they take is taken by other tests of that pass too. The
# cluster is made while the SQLite pass runs; a failure on SQLite does not skip the PostgreSQL pass. Both
# passes run on PYTEST_WORKERS processes (pytest-xdist; 2, one per core of the project's machines; 0 runs in
# this process only). Each pass prints how long it took.
#
#   scripts/test-both-databases.sh [pytest arguments]     (PYTEST overrides .venv/bin/pytest)
set -euo pipefail
cd "$(dirname "$0")/.."
PYTEST=${PYTEST:-.venv/bin/pytest}
# compiled modules and rewritten test modules are kept (in __pycache__, ignored by git), so that each worker of
# each pass does not compile the whole project again: that costs some seconds per process
unset PYTHONDONTWRITEBYTECODE
WORKERS=${PYTEST_WORKERS:-2}
# loadgroup: tests are dealt out one by one, longest first, so both workers stay busy to the end; tests that share
# a module's expensive set-up (LibreOffice conversions, OCR) carry that module's xdist_group and stay together
# (tests/conftest.py)
parallel=()
if [ "$WORKERS" != 0 ]; then
  parallel=(-n "$WORKERS" --dist loadgroup)
fi

# the PostgreSQL cluster is created while the SQLite pass runs (initdb and start-up cost some seconds)
PG_TEST_DIR=""
pg_out=$(mktemp)
cleanup() {
  wait "${pg_start:-}" 2>/dev/null || true
  PG_TEST_DIR=${PG_TEST_DIR:-$(sed -n 's/^PG_TEST_DIR=//p' "$pg_out" 2>/dev/null)}
  if [ -n "$PG_TEST_DIR" ]; then
    scripts/pg-test-server.sh stop "$PG_TEST_DIR"
  fi
  rm -f "$pg_out"
}
trap cleanup EXIT
trap 'exit 130' INT TERM
scripts/pg-test-server.sh start >"$pg_out" &
pg_start=$!

echo "== pytest on SQLite =="
start=$SECONDS
status=0
env -u DATABASE_URL "$PYTEST" "${parallel[@]}" "$@" || status=$?
echo "SQLite 一轮用时 $((SECONDS - start)) 秒"

echo "== pytest on PostgreSQL (the tests that use the database, but not LibreOffice) =="
start=$SECONDS
if ! wait "$pg_start"; then
  echo "测试用的 PostgreSQL 集群没有启动起来" >&2
  exit 1
fi
PG_TEST_DIR=$(sed -n 's/^PG_TEST_DIR=//p' "$pg_out")
DATABASE_URL=$(sed -n 's/^DATABASE_URL=//p' "$pg_out")
echo "$DATABASE_URL"
pg_status=0
DATABASE_URL=$DATABASE_URL "$PYTEST" "${parallel[@]}" -m "db and not office" "$@" || pg_status=$?
if [ "$pg_status" -eq 5 ]; then
  echo "所选的测试中没有用到数据库的，PostgreSQL 一轮无测试可跑"
  pg_status=0
fi
echo "PostgreSQL 一轮用时 $((SECONDS - start)) 秒"
if [ "$status" -ne 0 ]; then
  exit "$status"
fi
exit "$pg_status"
