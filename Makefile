# Ticket Sales — `make run` to try the shop, `make test` to check everything.
# Both install what is missing first (skipped when already present).

SHELL := /bin/bash
.DEFAULT_GOAL := run

# PostgreSQL and Valkey: the project's own (scripts/services.sh) on 127.0.0.1:54329
# and :63799, which are also the server's defaults, unless DATABASE_URL / VALKEY_URL
# are set, in which case those are used and nothing is started.
# Building never needs a database: sqlx reads the committed .sqlx data.
export SQLX_OFFLINE := true
# The release server finds its assets and address here (cargo-leptos sets these itself).
export LEPTOS_SITE_ROOT := target/site
export LEPTOS_ENV := PROD
export LEPTOS_SITE_ADDR ?= 127.0.0.1:3000

.PHONY: run dev test stop tools tools-test services build prepare fmt bench bench-pages bench-build

## run: install tools, start services, build, migrate, seed demo data and serve on :3000
## (with the local Stripe emulator on :12111 unless STRIPE_SECRET_KEY is set)
run: tools services build
	@target/release/server seed
	@scripts/run.sh

## dev: services, the Stripe emulator and demo data, then `cargo leptos watch`:
## every edit rebuilds (debug) and reloads the browser on http://127.0.0.1:3000
dev: tools services
	cargo build --release -p stripe-emulator
	@scripts/run.sh --dev

## test: the same set-up, then formatting, clippy, Rust tests, wasm build and browser tests
test: tools-test services
	scripts/test.sh

## bench: the on-sale rush (2,000 buyers, 500 seats) through HAProxy in front of
## three release servers (PostgreSQL through PgBouncer), one restarted mid-rush, then the same through the waiting
## room (5,000 visitors, then 100,000, 500 seats, two servers), then the waiting
## room under a bot attack (5,000 humans at a phone's speed against 20,000
## scripted clients and 200 accounts solving the check natively, 15-bit checks
## standing for 21, two tickets a buyer); the home page's latency during each;
## figures on stdout and in target/bench/rush.json, queued.json,
## queued-100k.json and queued-attack.json (about 9 minutes)
bench: tools-test services bench-build
	status=0; target/release/rush || status=1; target/release/queued || status=1; \
	target/release/queued --visitors 100000 --name queued-100k || status=1; \
	target/release/queued --visitors 5000 --attackers 20000 --proof-bits 15 --tickets 2 --name queued-attack || status=1; \
	exit $$status

## bench-pages: pages per second and p99 of a release server beside a static file,
## the wasm size, and what Chromium downloads for the buyer's pages and how soon
## the search reacts on a throttled phone; figures in target/bench/pages.json
bench-pages: tools-test services bench-build
	target/release/pages

bench-build:
	scripts/cargo-leptos.sh build --release --split --precompress
	cargo build --release -p stripe-emulator -p bench

## stop: stop the PostgreSQL and Valkey that `make run`/`make test` started
stop:
	scripts/services.sh stop

tools:
	scripts/install-tools.sh

tools-test:
	scripts/install-tools.sh --test

services:
	scripts/services.sh start

# --split: every lazy island (and the door's QR decoder) becomes a wasm chunk of
# its own, fetched only by the pages that show it. --precompress: brotli and
# gzip copies of the assets are made once here, never per request.
build:
	scripts/cargo-leptos.sh build --release --split --precompress
	cargo build --release -p stripe-emulator

## prepare: refresh the committed .sqlx query data after changing SQL (needs sqlx-cli)
prepare: export DATABASE_URL ?= postgres://ticket_sales@127.0.0.1:54329/ticket_sales
prepare: services
	@command -v sqlx >/dev/null || cargo install sqlx-cli --version 0.9.0 --no-default-features --features rustls,postgres --locked
	SQLX_OFFLINE=false cargo sqlx migrate run
	SQLX_OFFLINE=false cargo sqlx prepare --workspace -- -p server --all-targets

fmt:
	cargo fmt --all
