#!/usr/bin/env bash
# The set-up scripts work wherever the checkout sits: a copy of them in a
# directory only its owner may enter (as /root is, mode 0700) starts PostgreSQL
# and Valkey on ports of its own, both answer, the output says where
# PostgreSQL's data went, and everything stops and is removed again.
set -euo pipefail
ROOT=$(cd "$(dirname "$0")/.." && pwd)
source "$ROOT/scripts/pg-common.sh"

parent=$(mktemp -d)          # mode 0700, like /root
chmod 0700 "$parent"
checkout="$parent/checkout"
mkdir -p "$checkout/scripts"
cp "$ROOT/scripts/services.sh" "$ROOT/scripts/pg-common.sh" "$checkout/scripts/"
export PG_PORT=${SETUP_TEST_PG_PORT:-54349} VALKEY_PORT=${SETUP_TEST_VALKEY_PORT:-63819}
unset DATABASE_URL VALKEY_URL

cleanup() {
  "$checkout/scripts/services.sh" stop >/dev/null 2>&1 || true
  if [ "$(id -u)" = 0 ]; then
    rm -rf "/var/tmp/ticket-sales-pg/$(printf %s "$checkout/.data" | sha256sum | cut -c1-16)"
  fi
  rm -rf "$parent"
}
trap cleanup EXIT

fail() { echo "test-setup: $*" >&2; exit 1; }

out=$("$checkout/scripts/services.sh" start 2>&1) || { echo "$out"; fail "services.sh start failed"; }
echo "$out" | sed 's/^/  | /'
"$(pg_bin)/psql" -h 127.0.0.1 -p "$PG_PORT" -U ticket_sales -d ticket_sales -tAc 'SELECT 40 + 2' | grep -qx 42 \
  || fail "PostgreSQL does not answer on $PG_PORT"
cli=$(command -v valkey-cli || command -v redis-cli)
"$cli" -h 127.0.0.1 -p "$VALKEY_PORT" ping | grep -qx PONG || fail "Valkey does not answer on $VALKEY_PORT"
if [ "$(id -u)" = 0 ]; then
  # As root, the postgres user cannot enter $parent: the data moved, and the output says where.
  echo "$out" | grep -q "its data is in /var/tmp/ticket-sales-pg/" || fail "the output does not say where the data is"
fi
stopped=$("$checkout/scripts/services.sh" stop)
echo "$stopped" | grep -q "postgres: stopped" || fail "services.sh stop did not stop PostgreSQL"
echo "test-setup: services start and stop from a checkout in a 0700 directory ($(id -un))"
