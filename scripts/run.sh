#!/usr/bin/env bash
# Serves the built shop (`make run`), or with --dev runs `cargo leptos watch`,
# which rebuilds on every edit and reloads the browser (`make dev`). Without
# STRIPE_SECRET_KEY, the local Stripe emulator is started beside it (and
# stopped with it), and the shop is pointed at it; without SMTP_URL, the same
# for a local mail catcher (maildev).
set -euo pipefail
cd "$(dirname "$0")/.."
dev=false
[ "${1:-}" = "--dev" ] && dev=true

addr=${LEPTOS_SITE_ADDR:-127.0.0.1:3000}
children=()
cleanup() { for child in "${children[@]}"; do kill "$child" 2>/dev/null || true; done; }
trap cleanup EXIT
mkdir -p .data
# Links mailed by one run (verify, reset) keep working in the next: one secret per checkout.
if [ -z "${APP_SECRET:-}" ]; then
  [ -s .data/app_secret ] || od -An -N32 -tx1 /dev/urandom | tr -d ' \n' > .data/app_secret
  APP_SECRET=$(cat .data/app_secret)
  export APP_SECRET
fi
if [ -z "${SMTP_URL:-}" ]; then
  # A local mail catcher (maildev, from npm): SMTP on loopback, and an inbox in the browser.
  mail_web=${MAILDEV_WEB_PORT:-1080}
  mail_smtp=${MAILDEV_SMTP_PORT:-1025}
  node_modules/.bin/maildev --ip 127.0.0.1 --smtp "$mail_smtp" --web "$mail_web" \
    --mail-directory .data/maildev --silent &
  children+=($!)
  export SMTP_URL="smtp://127.0.0.1:$mail_smtp"
  echo "  Mail catcher: every message the shop sends lands in http://127.0.0.1:$mail_web"
else
  echo "  Sending mail through SMTP_URL"
fi
if [ -z "${STRIPE_SECRET_KEY:-}" ]; then
  export STRIPE_SECRET_KEY=sk_test_emulator
  export STRIPE_WEBHOOK_SECRET=whsec_emulator_secret
  export STRIPE_API_BASE=http://127.0.0.1:12111/
  STRIPE_EMULATOR_ADDR=127.0.0.1:12111 \
    STRIPE_WEBHOOK_URL="http://$addr/stripe/webhook" \
    target/release/stripe-emulator &
  children+=($!)
  echo "  Stripe emulator on http://127.0.0.1:12111 (test card 4242 4242 4242 4242 pays, 4000 0000 0000 0002 is declined)"
else
  echo "  Using Stripe with your keys; forward webhooks with: stripe listen --forward-to $addr/stripe/webhook"
fi
echo ""
echo "  Ticket Sales is starting on http://$addr"
echo "  Demo logins (password demo-password): admin@example.com, organizer@example.com, buyer@example.com"
echo "  Stop it with Ctrl-C; 'make stop' stops PostgreSQL and Valkey."
echo ""
if $dev; then
  echo "  Watching app/, server/, style/ and public/: an edit rebuilds and reloads the page."
  echo "  The first (debug) build takes a few minutes; demo data is added once it serves."
  echo ""
  export LEPTOS_ENV=DEV
  # A site folder of its own: the release build's (make run, make test) stays intact.
  export LEPTOS_SITE_ROOT=target/site-dev
  scripts/cargo-leptos.sh watch --split &
  watch=$!
  # The watcher runs under a wrapper: stop the whole tree, not just the wrapper.
  kill_tree() { for child in $(pgrep -P "$1"); do kill_tree "$child"; done; kill "$1" 2>/dev/null || true; }
  trap 'kill_tree $watch; cleanup' EXIT
  until curl -fsS "http://$addr/readyz" >/dev/null 2>&1; do
    kill -0 $watch 2>/dev/null || exit 1
    sleep 2
  done
  target/debug/server seed
  wait $watch
else
  target/release/server serve
fi
