#!/usr/bin/env bash
# A throwaway PostgreSQL cluster for the test suite, nothing else.
#
#   eval "$(scripts/pg-test-server.sh start)"   # prints DATABASE_URL=... and PG_TEST_DIR=...
#   scripts/pg-test-server.sh stop "$PG_TEST_DIR"
#
# The cluster lives in a fresh directory under /tmp, listens on a unix socket in that directory and on
# 127.0.0.1 at a free port, and trusts every local connection: it holds nothing but test data and is
# deleted by `stop`. The postgres role is a superuser, so pytest-django may create its test database.
# Run as root, the server runs as the `postgres` OS user (PostgreSQL refuses to run as root).
set -euo pipefail

usage() {
  echo "用法：$0 start | stop [目录]" >&2
  exit 2
}

bindir() {
  if [ -n "${PG_BIN:-}" ]; then
    echo "$PG_BIN"
    return
  fi
  local dir
  dir=$(ls -d /usr/lib/postgresql/*/bin 2>/dev/null | sort -V | tail -n 1)
  if [ -z "$dir" ] || [ ! -x "$dir/initdb" ]; then
    echo "找不到 PostgreSQL 服务端程序（initdb）：请先运行 scripts/install-system-packages.sh，或设置 PG_BIN" >&2
    exit 1
  fi
  echo "$dir"
}

# run a command as the OS user that owns the cluster
as_owner() {
  if [ "$(id -u)" -eq 0 ]; then
    runuser -u postgres -- "$@"
  else
    "$@"
  fi
}

free_port() {
  python3 -c 'import socket; s = socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1]); s.close()'
}

start() {
  local bin dir port
  bin=$(bindir)
  dir=$(mktemp -d /tmp/jixiao-pg-test.XXXXXX)
  chmod 700 "$dir"
  if [ "$(id -u)" -eq 0 ]; then
    chown postgres: "$dir"
  fi
  as_owner "$bin/initdb" -D "$dir/data" -U postgres --auth=trust --encoding=UTF8 --locale=C.UTF-8 >"$dir/initdb.log" 2>&1 || {
    cat "$dir/initdb.log" >&2
    exit 1
  }
  for _ in 1 2 3 4 5; do
    port=$(free_port)
    # fsync off and no full-page writes: a test cluster that is thrown away needs no crash safety
    if as_owner "$bin/pg_ctl" -D "$dir/data" -l "$dir/server.log" -w -t 60 start \
      -o "-c listen_addresses=127.0.0.1 -p $port -k $dir -c fsync=off -c synchronous_commit=off -c full_page_writes=off" \
      >/dev/null; then
      echo "$port" >"$dir/port"
      as_owner "$bin/createdb" -h "$dir" -p "$port" -U postgres jixiao
      echo "DATABASE_URL=postgres://postgres@127.0.0.1:$port/jixiao"
      echo "PG_TEST_DIR=$dir"
      return 0
    fi
  done
  cat "$dir/server.log" >&2
  echo "PostgreSQL 测试服务器无法启动（见上面的日志）" >&2
  exit 1
}

stop() {
  local dir=${1:-${PG_TEST_DIR:-}}
  [ -n "$dir" ] || usage
  case "$dir" in
    /tmp/jixiao-pg-test.*) ;;
    *)
      echo "拒绝删除 $dir：不是本脚本创建的测试集群目录" >&2
      exit 1
      ;;
  esac
  [ -d "$dir" ] || return 0
  if [ -f "$dir/data/postmaster.pid" ]; then
    as_owner "$(bindir)/pg_ctl" -D "$dir/data" -m immediate -w stop >/dev/null || true
  fi
  rm -rf "$dir"
}

case "${1:-}" in
  start) start ;;
  stop) stop "${2:-}" ;;
  *) usage ;;
esac
