#!/usr/bin/env bash
# Starts or stops the project's own PostgreSQL and Valkey (or Redis) on loopback,
# with their data under .data/. Nothing else on the machine is touched.
#   scripts/services.sh start|stop|status
# When DATABASE_URL or VALKEY_URL is set, that service is the caller's and is left alone.
set -euo pipefail

ROOT=$(cd "$(dirname "$0")/.." && pwd)
DATA="$ROOT/.data"
PG_PORT=${PG_PORT:-54329}
VALKEY_PORT=${VALKEY_PORT:-63799}
PG_USER=ticket_sales
PG_DB=ticket_sales

# pg_bin, as_pg
source "$ROOT/scripts/pg-common.sh"

valkey_bin() {
  command -v valkey-server || command -v redis-server || {
    echo "Neither valkey-server nor redis-server is installed (run scripts/install-tools.sh)" >&2; exit 1; }
}

valkey_cli() {
  if command -v valkey-cli >/dev/null; then valkey-cli "$@"; else redis-cli "$@"; fi
}

# PostgreSQL's cluster, socket and log: under .data/ unless the postgres user
# cannot enter the checkout (see pg_home).
pg_files() {
  PG_HOME=$(pg_home "$DATA")
  if [ "$PG_HOME" != "$DATA" ]; then
    echo "postgres: the postgres user cannot enter $ROOT; its data is in $PG_HOME"
  fi
}

start_postgres() {
  if [ -n "${DATABASE_URL:-}" ]; then echo "postgres: using DATABASE_URL"; return; fi
  local bin; bin=$(pg_bin)
  pg_files
  mkdir -p "$PG_HOME/run"
  if [ "$(id -u)" = 0 ]; then chown postgres "$PG_HOME/run"; fi
  if [ ! -f "$PG_HOME/pg/PG_VERSION" ]; then
    echo "postgres: creating cluster in $PG_HOME/pg"
    as_pg "$bin/initdb" -D "$PG_HOME/pg" -U "$PG_USER" --auth=trust -E UTF8 --locale=C.UTF-8 >/dev/null
  fi
  if as_pg "$bin/pg_ctl" -D "$PG_HOME/pg" status >/dev/null 2>&1; then
    echo "postgres: already running on 127.0.0.1:$PG_PORT"
  else
    as_pg "$bin/pg_ctl" -D "$PG_HOME/pg" -l "$PG_HOME/postgres.log" -w -t 60 start \
      -o "-p $PG_PORT -k $PG_HOME/run -c listen_addresses=127.0.0.1 -c max_connections=400 -c shared_buffers=256MB" >/dev/null
    echo "postgres: started on 127.0.0.1:$PG_PORT (log: $PG_HOME/postgres.log)"
  fi
  if ! "$bin/psql" -h 127.0.0.1 -p "$PG_PORT" -U "$PG_USER" -d postgres -tAc \
      "SELECT 1 FROM pg_database WHERE datname = '$PG_DB'" | grep -q 1; then
    "$bin/createdb" -h 127.0.0.1 -p "$PG_PORT" -U "$PG_USER" "$PG_DB"
  fi
}

start_valkey() {
  if [ -n "${VALKEY_URL:-}" ]; then echo "valkey: using VALKEY_URL"; return; fi
  local bin; bin=$(valkey_bin)
  mkdir -p "$DATA/valkey"
  if valkey_cli -h 127.0.0.1 -p "$VALKEY_PORT" ping 2>/dev/null | grep -q PONG; then
    echo "valkey: already running on 127.0.0.1:$VALKEY_PORT"
    return
  fi
  "$bin" --bind 127.0.0.1 --port "$VALKEY_PORT" --dir "$DATA/valkey" --daemonize yes \
    --pidfile "$DATA/valkey.pid" --logfile "$DATA/valkey.log" --save "" --appendonly no >/dev/null
  for _ in $(seq 1 50); do
    valkey_cli -h 127.0.0.1 -p "$VALKEY_PORT" ping 2>/dev/null | grep -q PONG && break
    sleep 0.1
  done
  echo "valkey: started $(basename "$bin") on 127.0.0.1:$VALKEY_PORT (log: .data/valkey.log)"
}

stop_all() {
  pg_files >/dev/null
  if [ -f "$PG_HOME/pg/postmaster.pid" ]; then
    as_pg "$(pg_bin)/pg_ctl" -D "$PG_HOME/pg" -m fast -w stop >/dev/null && echo "postgres: stopped"
  fi
  if [ -f "$DATA/valkey.pid" ]; then
    kill "$(cat "$DATA/valkey.pid")" 2>/dev/null && echo "valkey: stopped"
    rm -f "$DATA/valkey.pid"
  fi
}

case "${1:-start}" in
  start) start_postgres; start_valkey ;;
  stop) stop_all ;;
  status)
    pg_files
    as_pg "$(pg_bin)/pg_ctl" -D "$PG_HOME/pg" status || true
    valkey_cli -h 127.0.0.1 -p "$VALKEY_PORT" ping || true ;;
  *) echo "usage: $0 start|stop|status" >&2; exit 2 ;;
esac
