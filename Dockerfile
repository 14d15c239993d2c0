# syntax=docker/dockerfile:1
# Targets: `runtime` (the default, last stage): the shop; `emulator`: the local
# Stripe emulator, for docker-compose.yml's demo (`docker build --target emulator .`).

# Node.js for the front-end tools: Tailwind 4 and Playwright need 20 or later,
# and Debian 12's own nodejs is 18, so the build stage takes node and npm from
# the official image instead of apt.
FROM node:22-bookworm-slim AS node

# Build: cargo-leptos compiles the server and the hydrated wasm bundle.
FROM rust:1.95-bookworm AS build
ARG CARGO_LEPTOS_VERSION=0.3.11
# Must match the wasm-bindgen crate in Cargo.lock (scripts/install-tools.sh reads it there).
ARG WASM_BINDGEN_VERSION=0.2.130
COPY --from=node /usr/local/bin/node /usr/local/bin/node
COPY --from=node /usr/local/lib/node_modules /usr/local/lib/node_modules
RUN ln -s ../lib/node_modules/npm/bin/npm-cli.js /usr/local/bin/npm \
 && ln -s ../lib/node_modules/npm/bin/npx-cli.js /usr/local/bin/npx \
 && node --version && npm --version
RUN rustup target add wasm32-unknown-unknown \
 && CARGO_PROFILE_RELEASE_LTO=false cargo install cargo-leptos --version ${CARGO_LEPTOS_VERSION} --locked --ignore-rust-version \
 && cargo install wasm-bindgen-cli --version ${WASM_BINDGEN_VERSION}
WORKDIR /src
COPY package.json ./
RUN PLAYWRIGHT_SKIP_BROWSER_DOWNLOAD=1 npm install --no-audit --no-fund
COPY . .
ENV SQLX_OFFLINE=true
# --split: lazy islands and the door's QR decoder become wasm chunks of their own;
# --precompress: brotli/gzip copies made once; hash.txt names the hashed assets.
# The server binary is stripped here (symbols only; the wasm is left alone).
RUN scripts/cargo-leptos.sh build --release --split --precompress \
 && strip target/release/server

# The Stripe emulator's build: its own stage, so `--target emulator` needs
# neither cargo-leptos nor the shop's build.
FROM rust:1.95-bookworm AS emulator-build
WORKDIR /src
COPY . .
RUN cargo build --release --locked -p stripe-emulator \
 && strip target/release/stripe-emulator

# The local Stripe emulator (end2end/stripe-emulator/README.md): any sk_test_...
# key, webhooks signed as Stripe signs them, and its own pay page. For demos and
# tests only. Set STRIPE_WEBHOOK_URL (the shop's /stripe/webhook),
# STRIPE_WEBHOOK_SECRET (the shop's) and STRIPE_EMULATOR_PUBLIC_URL (where
# browsers reach it).
FROM debian:bookworm-slim AS emulator
RUN useradd --system --uid 10001 --no-create-home emulator
COPY --from=emulator-build /src/target/release/stripe-emulator /usr/local/bin/stripe-emulator
USER emulator
ENV STRIPE_EMULATOR_ADDR=0.0.0.0:12111 \
    RUST_LOG=info
EXPOSE 12111
# It stops on Ctrl-C (SIGINT); as PID 1 it would ignore SIGTERM.
STOPSIGNAL SIGINT
# No curl in the image: bash opening the port is the check.
HEALTHCHECK --interval=5s --timeout=2s --retries=10 CMD ["bash", "-c", "exec 3<>/dev/tcp/127.0.0.1/12111"]
ENTRYPOINT ["/usr/local/bin/stripe-emulator"]

# Run: a slim image with the binary and the site folder, as a non-root user.
# ca-certificates: the system's CA roots, for TLS clients that read them.
FROM debian:bookworm-slim AS runtime
RUN apt-get update && apt-get install -y --no-install-recommends ca-certificates \
 && rm -rf /var/lib/apt/lists/* \
 && useradd --system --uid 10001 --home /app shop
WORKDIR /app
COPY --from=build /src/target/release/server /app/server
COPY --from=build /src/target/release/hash.txt /app/hash.txt
COPY --from=build /src/target/site /app/site
# Cover images, unless COVER_STORE_URL points at S3: mount a volume here so
# they outlive the container (every instance must see the same store).
RUN mkdir -p /app/data/covers && chown shop /app/data/covers
VOLUME /app/data/covers
USER shop
ENV LEPTOS_SITE_ROOT=/app/site \
    LEPTOS_SITE_ADDR=0.0.0.0:3000 \
    LEPTOS_ENV=PROD \
    COVER_STORE_URL=file:///app/data/covers \
    LOG_FORMAT=json \
    RUST_LOG=info
EXPOSE 3000
# `server healthcheck`: 0 when GET /readyz on LEPTOS_SITE_ADDR's port answers
# 200 within 2 s (no curl in the image).
HEALTHCHECK --interval=10s --timeout=3s --start-period=30s --retries=3 CMD ["/app/server", "healthcheck"]
ENTRYPOINT ["/app/server"]
CMD ["serve"]
