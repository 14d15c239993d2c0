#!/usr/bin/env bash
# Installs what building, running and testing the shop needs. Every step is
# skipped when the tool is already there at the right version, so only a fresh
# machine pays for it.
#   scripts/install-tools.sh          tools for `make run`
#   scripts/install-tools.sh --test   plus Chromium for the browser tests,
#                                     HAProxy for the balancer fault test, and
#                                     kubernetes-validate (in .data/tools/venv)
#                                     for the deployment manifests
set -euo pipefail

ROOT=$(cd "$(dirname "$0")/.." && pwd)
CARGO_LEPTOS_VERSION=0.3.11
# wasm-bindgen-cli must match the wasm-bindgen crate in Cargo.lock exactly.
WASM_BINDGEN_VERSION=$(grep -A1 '^name = "wasm-bindgen"$' "$ROOT/Cargo.lock" | sed -n 's/^version = "\(.*\)"/\1/p')
WITH_BROWSER=false
[ "${1:-}" = "--test" ] && WITH_BROWSER=true
# scripts/validate-deploy.sh runs it; pinned, like the other tools.
KUBERNETES_VALIDATE_VERSION=1.37.0
VENV="$ROOT/.data/tools/venv"
need_validator() {
  $WITH_BROWSER && ! "$VENV/bin/kubernetes-validate" --version 2>/dev/null | grep -qx "$KUBERNETES_VALIDATE_VERSION"
}
# Playwright refuses to start on an older Node.js; Tailwind 4 and maildev ask for it too.
NODE_MIN_MAJOR=20

sudo_if_needed() { if [ "$(id -u)" = 0 ]; then "$@"; else sudo "$@"; fi; }

# --- Debian packages -------------------------------------------------------
packages=()
# Servers are only needed when we start our own (no DATABASE_URL / VALKEY_URL given).
if [ -z "${DATABASE_URL:-}" ]; then
  ls /usr/lib/postgresql/*/bin/initdb >/dev/null 2>&1 || packages+=(postgresql)
fi
command -v psql >/dev/null || packages+=(postgresql-client)
if [ -z "${VALKEY_URL:-}" ] && ! command -v valkey-server >/dev/null && ! command -v redis-server >/dev/null; then
  # Debian 12 has no Valkey package; Redis 7 speaks the same protocol.
  if apt-cache show valkey-server >/dev/null 2>&1; then packages+=(valkey-server); else packages+=(redis-server); fi
fi
command -v node >/dev/null || packages+=(nodejs npm)
command -v curl >/dev/null || packages+=(curl)   # make dev waits for the server with it
if $WITH_BROWSER && [ ! -x "${CHROMIUM_PATH:-/usr/bin/chromium}" ]; then packages+=(chromium fonts-liberation); fi
# The balancer of the restart fault test (end2end/bench/tests/balancer.rs) and `make bench`.
if $WITH_BROWSER && [ ! -x /usr/sbin/haproxy ]; then packages+=(haproxy); fi
# PgBouncer 1.21+ for the pooler test and `make bench` is built from Debian's
# source package (scripts/pgbouncer.sh) against libevent when the installed one is older.
if $WITH_BROWSER && ! pkg-config --exists libevent 2>/dev/null; then packages+=(libevent-dev pkg-config make gcc); fi
# The Nu HTML checker (npm's vnu-jar) that the browser tests run is a Java program.
if $WITH_BROWSER && ! command -v java >/dev/null; then packages+=(default-jre-headless); fi
if need_validator; then
  command -v python3 >/dev/null || packages+=(python3)
  # Debian's python3 makes virtualenvs only with python3-venv (it brings ensurepip).
  python3 -c 'import ensurepip' 2>/dev/null || packages+=(python3-venv)
fi
if [ ${#packages[@]} -gt 0 ]; then
  echo "==> apt-get install ${packages[*]}"
  sudo_if_needed apt-get update -qq
  sudo_if_needed env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq "${packages[@]}" >/dev/null
fi

# --- Node.js version -------------------------------------------------------
# Debian 12's own nodejs is 18. Playwright 1.65 exits at once on Node.js < 20
# ("Playwright requires Node.js 20 or higher"), so the browser tests cannot run:
# an error for --test. Tailwind 4 (its oxide engine) and maildev's SMTP server
# declare >= 20 in their package.json: a warning for `make run`.
node_major=$(node -p 'process.versions.node.split(".")[0]')
if [ "$node_major" -lt "$NODE_MIN_MAJOR" ]; then
  advice="Install Node.js $NODE_MIN_MAJOR or 22 (LTS) from nodejs.org or NodeSource's Debian packages so that \`node --version\` prints v$NODE_MIN_MAJOR or later (Debian 12's own nodejs package is 18), then run this again."
  if $WITH_BROWSER; then
    echo "error: Node.js $(node --version) is too old: Playwright (the browser tests) needs $NODE_MIN_MAJOR or later. $advice" >&2
    exit 1
  fi
  echo "warning: Node.js $(node --version) is older than Tailwind 4 and maildev ask for ($NODE_MIN_MAJOR or later); the build may still work. $advice" >&2
fi

# --- Rust tools ------------------------------------------------------------
if ! rustup target list --installed | grep -q '^wasm32-unknown-unknown$'; then
  echo "==> rustup target add wasm32-unknown-unknown"
  rustup target add wasm32-unknown-unknown
fi

# Tools are installed once, so a quicker, less optimised build is the better trade.
export CARGO_PROFILE_RELEASE_LTO=false CARGO_PROFILE_RELEASE_CODEGEN_UNITS=16

if ! cargo leptos --version 2>/dev/null | grep -q " $CARGO_LEPTOS_VERSION\$"; then
  echo "==> cargo install cargo-leptos $CARGO_LEPTOS_VERSION (takes 15-25 minutes on 2 cores)"
  # Its lockfile asks for a newer rustc than needed; --ignore-rust-version is safe.
  cargo install cargo-leptos --version "$CARGO_LEPTOS_VERSION" --locked --ignore-rust-version
fi

if ! wasm-bindgen --version 2>/dev/null | grep -q " $WASM_BINDGEN_VERSION\$"; then
  echo "==> cargo install wasm-bindgen-cli $WASM_BINDGEN_VERSION"
  # Not --locked: its lockfile names a crate version the registry no longer has.
  cargo install wasm-bindgen-cli --version "$WASM_BINDGEN_VERSION" --force
fi

# The book (docs/) for make test: search only, no live-reload server to build.
MDBOOK_VERSION=0.4.52
if [ "$WITH_BROWSER" = true ] && ! mdbook --version 2>/dev/null | grep -q "v$MDBOOK_VERSION\$"; then
  echo "==> cargo install mdbook $MDBOOK_VERSION (a few minutes on 2 cores)"
  cargo install mdbook --version "$MDBOOK_VERSION" --locked --no-default-features --features search
fi

# --- npm: Tailwind, wasm-opt (binaryen), Playwright ---------------------------
cd "$ROOT"
if [ ! -f node_modules/.install-stamp ] || [ package.json -nt node_modules/.install-stamp ]; then
  echo "==> npm install"
  # Playwright drives Debian's Chromium; it must never download a browser.
  PLAYWRIGHT_SKIP_BROWSER_DOWNLOAD=1 npm install --no-audit --no-fund --loglevel=error
  touch node_modules/.install-stamp
fi

# --- PgBouncer 1.21 or later (scripts/pgbouncer.sh; built once, ~20 s) -------
if $WITH_BROWSER; then
  scripts/pgbouncer.sh path >/dev/null
fi

# --- kubernetes-validate (scripts/validate-deploy.sh, part of make test) ------
if need_validator; then
  echo "==> pip install kubernetes-validate $KUBERNETES_VALIDATE_VERSION into .data/tools/venv"
  rm -rf "$VENV"
  mkdir -p "$(dirname "$VENV")"
  python3 -m venv "$VENV"
  "$VENV/bin/pip" install --quiet --disable-pip-version-check "kubernetes-validate==$KUBERNETES_VALIDATE_VERSION"
fi
