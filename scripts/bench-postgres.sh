#!/usr/bin/env bash
# Benchmarks against a throwaway PostgreSQL cluster, removed afterwards: each module given runs once, on a fresh
# database of the same cluster.
#
#   scripts/bench-postgres.sh bench.web bench.intake bench.scale
set -euo pipefail
cd "$(dirname "$0")/.."
PG_TEST_DIR=""
cleanup() { [ -z "$PG_TEST_DIR" ] || scripts/pg-test-server.sh stop "$PG_TEST_DIR"; }
trap cleanup EXIT
server=$(scripts/pg-test-server.sh start)
PG_TEST_DIR=$(sed -n 's/^PG_TEST_DIR=//p' <<<"$server")
url=$(sed -n 's/^DATABASE_URL=//p' <<<"$server")
base=${url%/*}
for module in "$@"; do
  database="bench_${module//./_}"
  psql "$base/postgres" -qc "DROP DATABASE IF EXISTS $database" -c "CREATE DATABASE $database"
  DATABASE_URL="$base/$database" .venv/bin/python -m "$module"
done
