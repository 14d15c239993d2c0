#!/usr/bin/env bash
# Every check the project has, in order of cost: formatting, lints, Rust unit and
# integration tests, the wasm32 build, then the browser tests against a release
# build. Expects the services from scripts/services.sh (or DATABASE_URL/VALKEY_URL).
set -euo pipefail
cd "$(dirname "$0")/.."

step() { printf '\n==> %s\n' "$*"; }
export SQLX_OFFLINE=true   # builds read the committed .sqlx data, never the database
# The defaults match scripts/services.sh and the server's own configuration.
export DATABASE_URL=${DATABASE_URL:-postgres://ticket_sales@127.0.0.1:54329/ticket_sales}
export VALKEY_URL=${VALKEY_URL:-redis://127.0.0.1:63799}
# A cold run (CI) gains nothing from incremental data, which for this workspace
# takes gigabytes of disk; a warm run on a developer's machine keeps it.
if [[ "${CI:-}" == true ]]; then export CARGO_INCREMENTAL=0; fi
disk() { df -h --output=avail,target . | tail -1 | awk '{print "free disk: " $1 " on " $2}'; }
trap disk EXIT
disk

step "set-up scripts (a checkout the postgres user cannot enter)"
scripts/test-setup.sh

step "cargo fmt --check"
cargo fmt --all --check

step "the backend's imports point down only (no circle; docs/architecture.md)"
python3 scripts/import-graph.py --check

step "deploy manifests (kubernetes-validate)"
scripts/validate-deploy.sh

# Each package on its own: --workspace would build `app` with ssr and hydrate at once.
step "clippy (app, server, frontend and the queue's solver for wasm32)"
cargo clippy -p app --features ssr --all-targets -- -D warnings
cargo clippy -p server --all-targets -- -D warnings
cargo clippy -p frontend --target wasm32-unknown-unknown -- -D warnings
cargo clippy -p pow --all-targets -- -D warnings
cargo clippy -p pow --target wasm32-unknown-unknown -- -D warnings
cargo clippy -p stripe-emulator --all-targets -- -D warnings
cargo clippy -p bench --all-targets -- -D warnings

step "Rust tests (real PostgreSQL and Valkey)"
cargo test -p app --features ssr
cargo test -p pow
# At most three test databases at a time: every #[sqlx::test] pool (up to 5
# connections) borrows from one shared pool of 20 per test binary, and more
# parallel tests than that can starve each other of connections.
cargo test -p server -- --test-threads=3
cargo test -p stripe-emulator

step "release build (server + hydrated wasm + CSS, Stripe emulator)"
# CARGO_BUILD_JOBS=default (cargo's own default, set on some CI machines) makes
# cargo-leptos panic when it reads cargo's configuration; scripts/cargo-leptos.sh
# works around it, and setting it here keeps that tested.
CARGO_BUILD_JOBS=default scripts/cargo-leptos.sh build --release --split --precompress
cargo build --release -p stripe-emulator

# After the release build: the bench's own tests include the restart fault test
# (a small rush through HAProxy in front of three release servers, one stopped
# and started again mid-rush).
step "bench tests, with the fault test behind a load balancer"
cargo test -p bench

step "browser tests (Playwright on /usr/bin/chromium)"
base=${DATABASE_URL%/*}
e2e_db="${E2E_DATABASE_NAME:-ticket_sales_e2e}"
psql -q "$DATABASE_URL" -c "DROP DATABASE IF EXISTS $e2e_db WITH (FORCE)" -c "CREATE DATABASE $e2e_db"
export E2E_DATABASE_URL="$base/$e2e_db"
DATABASE_URL="$E2E_DATABASE_URL" LEPTOS_ENV=PROD target/release/server seed
(cd end2end && npx playwright test)

step "the book (mdbook build docs; every link, image and chapter checked)"
mdbook build docs
python3 scripts/check-book.py --built
