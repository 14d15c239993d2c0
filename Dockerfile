# syntax=docker/dockerfile:1
# Build: cargo-leptos compiles the server and the hydrated wasm bundle.
FROM rust:1.95-bookworm AS build
ARG CARGO_LEPTOS_VERSION=0.3.11
ARG WASM_BINDGEN_VERSION=0.2.130
RUN apt-get update && apt-get install -y --no-install-recommends nodejs npm && rm -rf /var/lib/apt/lists/*
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
RUN scripts/cargo-leptos.sh build --release --split --precompress

# Run: a slim image with the binary and the site folder, as a non-root user.
FROM debian:bookworm-slim AS runtime
RUN apt-get update && apt-get install -y --no-install-recommends ca-certificates curl \
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
HEALTHCHECK --interval=10s --timeout=3s CMD curl -fsS http://127.0.0.1:3000/healthz || exit 1
ENTRYPOINT ["/app/server"]
CMD ["serve"]
