# Shared by scripts that drive PostgreSQL's own tools (sourced, not run).

# The newest installed PostgreSQL's bin directory (Debian keeps them versioned).
pg_bin() {
  local dir
  dir=$(ls -d /usr/lib/postgresql/*/bin 2>/dev/null | sort -V | tail -n 1)
  [ -n "$dir" ] || { echo "PostgreSQL is not installed (run scripts/install-tools.sh)" >&2; exit 1; }
  echo "$dir"
}

# PostgreSQL refuses to run as root: as root, run its tools as `postgres`.
as_pg() {
  if [ "$(id -u)" = 0 ]; then runuser -u postgres -- "$@"; else "$@"; fi
}

# Where PostgreSQL's files for `$1` go: `$1` itself, unless we are root and the
# `postgres` user (whom the servers run as) cannot enter it, as when the
# checkout sits under /root (mode 0700); then a directory of its own under
# /var/tmp/ticket-sales-pg, one per path. Creates it, owned by `postgres`.
pg_home() {
  local want=$1 home
  mkdir -p "$want"
  if [ "$(id -u)" != 0 ]; then echo "$want"; return; fi
  chown postgres "$want"
  if runuser -u postgres -- test -w "$want" -a -x "$want" 2>/dev/null; then echo "$want"; return; fi
  home="/var/tmp/ticket-sales-pg/$(printf %s "$want" | sha256sum | cut -c1-16)"
  mkdir -p "$home"
  chmod 0755 /var/tmp/ticket-sales-pg
  chown postgres "$home"
  echo "$home"
}
