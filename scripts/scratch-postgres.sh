#!/usr/bin/env bash
# A throw-away PostgreSQL cluster for the fault tests, which stop and restart
# it without disturbing the project's shared one (other tests run against that).
#   scratch-postgres.sh start DIR PORT   create (first time) and start, trust auth, user ticket_sales
#   scratch-postgres.sh replica DIR PORT FROM_PORT
#                                        a streaming replica of the cluster on FROM_PORT
#                                        (pg_basebackup, first time), started
#   scratch-postgres.sh stop DIR         immediate stop (as a crash or restart would)
#   scratch-postgres.sh destroy DIR      stop and delete the cluster
set -euo pipefail

ROOT=$(cd "$(dirname "$0")/.." && pwd)
# pg_bin, as_pg
source "$ROOT/scripts/pg-common.sh"

cmd=${1:?usage: $0 start|replica|stop|destroy DIR [PORT [FROM_PORT]]}
asked=${2:?cluster directory}
bin=$(pg_bin)
# Somewhere the postgres user can enter (see pg_home).
dir=$(pg_home "$asked")

case "$cmd" in
  start)
    port=${3:?port}
    if [ ! -f "$dir/data/PG_VERSION" ]; then
      as_pg "$bin/initdb" -D "$dir/data" -U ticket_sales --auth=trust -E UTF8 --locale=C.UTF-8 >/dev/null
    fi
    as_pg "$bin/pg_ctl" -D "$dir/data" -l "$dir/postgres.log" -w -t 30 start \
      -o "-p $port -k $dir -c listen_addresses=127.0.0.1 -c fsync=off" >/dev/null
    ;;
  replica)
    port=${3:?port}
    from=${4:?port of the primary}
    if [ ! -f "$dir/data/PG_VERSION" ]; then
      # -R: writes primary_conninfo and standby.signal, so it starts as a standby.
      as_pg "$bin/pg_basebackup" -h 127.0.0.1 -p "$from" -U ticket_sales -D "$dir/data" \
        -R -X stream -c fast >/dev/null
    fi
    as_pg "$bin/pg_ctl" -D "$dir/data" -l "$dir/postgres.log" -w -t 30 start \
      -o "-p $port -k $dir -c listen_addresses=127.0.0.1 -c fsync=off" >/dev/null
    ;;
  stop)
    as_pg "$bin/pg_ctl" -D "$dir/data" -m immediate -w stop >/dev/null
    ;;
  destroy)
    as_pg "$bin/pg_ctl" -D "$dir/data" -m immediate -w stop >/dev/null 2>&1 || true
    rm -rf "$dir" "$asked"
    ;;
  *) echo "usage: $0 start|replica|stop|destroy DIR [PORT [FROM_PORT]]" >&2; exit 2 ;;
esac
