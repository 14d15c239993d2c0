#!/usr/bin/env bash
# `cargo leptos "$@"`, shielded from one of its bugs. With --split (and in debug
# builds) cargo-leptos reads cargo's configuration through the cargo-config2
# crate, which panics ("Valid config file: ... failed to parse environment
# variable `X`") on values that cargo itself accepts, such as
# CARGO_BUILD_JOBS=default, which some CI machines set. Such a known one is
# left out of cargo-leptos's environment before it runs; should another one
# make it panic, the panic names the variable, which is then left out too
# (with a warning) and the command run again; anything else fails as it is.
set -uo pipefail

unset_args=()
# Known before the first run: a job count cargo reads as "default" but
# cargo-config2 wants as a number. Left out now, so a green run shows no panic.
for var in CARGO_BUILD_JOBS; do
  value=${!var-}
  if [ -n "$value" ] && ! [[ "$value" =~ ^-?[0-9]+$ ]]; then
    echo "==> leaving $var=$value out of cargo-leptos's environment (cargo-config2 reads only numbers)" >&2
    unset_args+=(-u "$var")
  fi
done
# The queue's proof-of-work solver (frontend/pow) is a wasm module of its own,
# a few KB, loaded only by the check page's worker: built here and put in the
# site folder beside what cargo-leptos builds (before `watch`, after `build`).
site=${LEPTOS_SITE_ROOT:-target/site}
solver() {
  cargo build --release --target wasm32-unknown-unknown -p pow --lib &&
    mkdir -p "$site" &&
    cp target/wasm32-unknown-unknown/release/pow.wasm "$site/pow.wasm"
}
case "${1-}" in
  build | watch) solver || exit 1 ;;
esac

for _ in 1 2 3 4 5 6; do
  log=$(mktemp)
  env "${unset_args[@]}" cargo leptos "$@" 2>&1 | tee "$log"
  rc=${PIPESTATUS[0]}
  var=$(grep -ao 'failed to parse environment variable `[A-Z0-9_]*`' "$log" | head -1 | sed 's/.*`\(.*\)`/\1/')
  rm -f "$log"
  if [ "$rc" -eq 0 ] && [ "${1-}" = build ]; then
    # cargo-leptos may have emptied the site folder: put the solver back.
    solver
    exit $?
  fi
  if [ "$rc" -eq 0 ] || [ -z "$var" ]; then
    exit "$rc"
  fi
  echo "==> cargo-leptos cannot read $var=${!var-} (cargo-config2); running it again without $var" >&2
  unset_args+=(-u "$var")
done
exit "$rc"
