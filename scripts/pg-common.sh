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
