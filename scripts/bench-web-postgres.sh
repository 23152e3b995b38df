#!/usr/bin/env bash
# The web benchmark against a throwaway PostgreSQL cluster, removed afterwards.
set -euo pipefail
cd "$(dirname "$0")/.."
PG_TEST_DIR=""
cleanup() { [ -z "$PG_TEST_DIR" ] || scripts/pg-test-server.sh stop "$PG_TEST_DIR"; }
trap cleanup EXIT
server=$(scripts/pg-test-server.sh start)
PG_TEST_DIR=$(sed -n 's/^PG_TEST_DIR=//p' <<<"$server")
DATABASE_URL=$(sed -n 's/^DATABASE_URL=//p' <<<"$server") .venv/bin/python -m bench.web
