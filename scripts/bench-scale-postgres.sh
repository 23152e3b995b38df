#!/usr/bin/env bash
# The province-scale benchmark (bench/scale.py: 500,000 evaluations) against a throwaway PostgreSQL cluster, removed
# afterwards. Sizes from the environment as for `python -m bench.scale` (BENCH_SCALE_RECORDS …).
set -euo pipefail
cd "$(dirname "$0")/.."
PG_TEST_DIR=""
cleanup() { [ -z "$PG_TEST_DIR" ] || scripts/pg-test-server.sh stop "$PG_TEST_DIR"; }
trap cleanup EXIT
server=$(scripts/pg-test-server.sh start)
PG_TEST_DIR=$(sed -n 's/^PG_TEST_DIR=//p' <<<"$server")
DATABASE_URL=$(sed -n 's/^DATABASE_URL=//p' <<<"$server") .venv/bin/python -m bench.scale
