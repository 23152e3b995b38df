#!/usr/bin/env bash
# The whole test suite twice: on SQLite (the default), then on a throwaway PostgreSQL cluster.
# The cluster is stopped and deleted on the way out, whether the tests pass or not.
#
#   scripts/test-both-databases.sh [pytest arguments]     (PYTEST overrides .venv/bin/pytest)
set -euo pipefail
cd "$(dirname "$0")/.."
PYTEST=${PYTEST:-.venv/bin/pytest}

echo "== pytest on SQLite =="
env -u DATABASE_URL "$PYTEST" "$@"

echo "== pytest on PostgreSQL =="
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
DATABASE_URL=$DATABASE_URL "$PYTEST" "$@"
