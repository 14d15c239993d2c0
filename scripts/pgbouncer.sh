#!/usr/bin/env bash
# PgBouncer in transaction mode in front of a local PostgreSQL, for the tests
# and `make bench`. The server's queries are prepared statements (sqlx), which
# transaction pooling carries only from PgBouncer 1.21 on (max_prepared_statements);
# Debian 12's package is 1.18, so where the installed one is older, Debian's own
# newer source package (trixie's) is built once into .data/tools.
#   pgbouncer.sh path                       the binary (built first if need be)
#   pgbouncer.sh start DIR PORT TO_PORT     start one (transaction mode) on PORT for the
#                                           PostgreSQL on 127.0.0.1:TO_PORT
#   pgbouncer.sh stop DIR                   stop it and delete DIR
set -euo pipefail

ROOT=$(cd "$(dirname "$0")/.." && pwd)
# pg_home, as_pg
source "$ROOT/scripts/pg-common.sh"

VERSION=1.24.1
DEBIAN_REVISION=1+deb13u2
ORIG_SHA256=da72a3aba13072876d055a3e58dd4aba4a5de4ed6148e73033185245598fd3e0
DEBIAN_SHA256=2325bcaa2e71919d399b9e5aef5b94ff988fc1f1d296908c3937b682b7be5cbb
POOL=http://deb.debian.org/debian/pool/main/p/pgbouncer
TOOLS="$ROOT/.data/tools"
BUILT="$TOOLS/pgbouncer-$VERSION/bin/pgbouncer"

new_enough() {
  local version
  version=$("$1" --version 2>/dev/null | head -n 1 | grep -oE '[0-9]+\.[0-9]+' | head -n 1) || return 1
  [ -n "$version" ] && [ "$(printf '%s\n1.21\n' "$version" | sort -V | head -n 1)" = 1.21 ]
}

build() {
  local work
  echo "pgbouncer: building $VERSION from Debian's source package (once; the installed one is older than 1.21)" >&2
  if ! pkg-config --exists libevent 2>/dev/null; then
    if [ "$(id -u)" = 0 ]; then
      DEBIAN_FRONTEND=noninteractive apt-get install -y -qq libevent-dev pkg-config make gcc >/dev/null
    else
      sudo env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq libevent-dev pkg-config make gcc >/dev/null
    fi
  fi
  work=$(mktemp -d)
  (
    cd "$work"
    curl -fsS -m 120 -o orig.tar.gz "$POOL/pgbouncer_$VERSION.orig.tar.gz"
    curl -fsS -m 120 -o debian.tar.xz "$POOL/pgbouncer_$VERSION-$DEBIAN_REVISION.debian.tar.xz"
    echo "$ORIG_SHA256  orig.tar.gz" | sha256sum -c --quiet
    echo "$DEBIAN_SHA256  debian.tar.xz" | sha256sum -c --quiet
    tar xzf orig.tar.gz
    cd "pgbouncer-$VERSION"
    tar xJf ../debian.tar.xz
    # Debian's fixes (security ones among them), in its order.
    if [ -f debian/patches/series ]; then
      grep -v '^#' debian/patches/series | while read -r patch; do
        [ -n "$patch" ] && patch -s -p1 < "debian/patches/$patch"
      done
    fi
    # c-ares and TLS are not needed on loopback.
    ./configure -q --prefix="$TOOLS/pgbouncer-$VERSION" --without-cares --without-openssl \
      --without-pam --without-systemd >/dev/null
    make -s -j"$(nproc)" >/dev/null 2>&1
    make -s install >/dev/null
  )
  rm -rf "$work"
}

binary() {
  local installed
  installed=$(command -v pgbouncer || ls /usr/sbin/pgbouncer 2>/dev/null || true)
  if [ -n "$installed" ] && new_enough "$installed"; then echo "$installed"; return; fi
  if [ ! -x "$BUILT" ]; then build; fi
  echo "$BUILT"
}

case "${1:-}" in
  path) binary ;;
  start)
    asked=${2:?directory}
    port=${3:?port}
    to=${4:?port of PostgreSQL}
    bin=$(binary)
    # PgBouncer will not run as root: as root it runs as `postgres`, in a
    # directory that user can write.
    dir=$(pg_home "$asked")
    as_pg tee "$dir/pgbouncer.ini" >/dev/null <<EOF
[databases]
* = host=127.0.0.1 port=$to user=ticket_sales

[pgbouncer]
listen_addr = 127.0.0.1
listen_port = $port
unix_socket_dir =
auth_type = any
pool_mode = transaction
; What the server's sqlx statements need in transaction mode.
max_prepared_statements = 200
; Fewer server connections than the shop's pools ask for: clients take turns
; on them, so anything kept on a connection between transactions would show.
default_pool_size = ${PGBOUNCER_POOL_SIZE:-20}
max_client_conn = 5000
; sqlx sends it at startup.
ignore_startup_parameters = extra_float_digits
logfile = $dir/pgbouncer.log
pidfile = $dir/pgbouncer.pid
EOF
    as_pg "$bin" -d "$dir/pgbouncer.ini"
    for _ in $(seq 1 50); do
      (echo > "/dev/tcp/127.0.0.1/$port") 2>/dev/null && exit 0
      sleep 0.1
    done
    echo "pgbouncer did not start; see $dir/pgbouncer.log" >&2
    exit 1
    ;;
  stop)
    asked=${2:?directory}
    dir=$(pg_home "$asked")
    if [ -f "$dir/pgbouncer.pid" ]; then kill "$(cat "$dir/pgbouncer.pid")" 2>/dev/null || true; fi
    rm -rf "$dir" "$asked"
    ;;
  *) echo "usage: $0 path | start DIR PORT TO_PORT | stop DIR" >&2; exit 2 ;;
esac
