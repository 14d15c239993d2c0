import { defineConfig } from "@playwright/test";
import { chromiumLaunchOptions } from "./chromium.mjs";

// The release server under test, started by Playwright against the e2e database
// that scripts/test.sh creates and seeds.
const port = Number(process.env.E2E_PORT ?? 3100);
const baseURL = `http://127.0.0.1:${port}`;
const emulatorPort = Number(process.env.E2E_EMULATOR_PORT ?? 12112);
// The mail catcher the shop sends to; tests read its REST API (see helpers.ts).
const mailWebPort = Number(process.env.E2E_MAIL_WEB_PORT ?? 1081);
const mailSmtpPort = Number(process.env.E2E_MAIL_SMTP_PORT ?? 1026);

export default defineConfig({
  testDir: "./tests",
  outputDir: "./test-results",
  timeout: 30_000,
  expect: { timeout: 10_000 },
  fullyParallel: false,
  workers: 1,
  retries: 0,
  reporter: [["list"]],
  use: {
    baseURL,
    trace: "retain-on-failure",
    // Debian's Chromium; Playwright never downloads a browser here.
    launchOptions: chromiumLaunchOptions,
  },
  webServer: [
    {
      // The Stripe emulator, delivering webhooks to the shop under test.
      command: "target/release/stripe-emulator",
      cwd: "..",
      url: `http://127.0.0.1:${emulatorPort}/_test/sessions`,
      timeout: 30_000,
      reuseExistingServer: false,
      stdout: "ignore",
      stderr: "pipe",
      env: {
        STRIPE_EMULATOR_ADDR: `127.0.0.1:${emulatorPort}`,
        STRIPE_WEBHOOK_URL: `${baseURL}/stripe/webhook`,
        STRIPE_WEBHOOK_SECRET: "whsec_e2e_secret",
      },
    },
    {
      // maildev, as strict as a provider where the shop relies on it: it
      // demands a login and offers no 8BITMIME/SMTPUTF8 (7-bit mail only).
      command: `node_modules/.bin/maildev --ip 127.0.0.1 --smtp ${mailSmtpPort} --web ${mailWebPort} --incoming-user shop --incoming-pass catcher-secret --hide-extensions 8BITMIME,SMTPUTF8 --silent`,
      cwd: "..",
      url: `http://127.0.0.1:${mailWebPort}/healthz`,
      timeout: 30_000,
      reuseExistingServer: false,
      stdout: "ignore",
      stderr: "pipe",
    },
    {
    command: "target/release/server serve",
    cwd: "..",
    url: `${baseURL}/readyz`,
    timeout: 60_000,
    reuseExistingServer: false,
    stdout: "ignore",
    stderr: "pipe",
    env: {
      DATABASE_URL: process.env.E2E_DATABASE_URL ?? "",
      VALKEY_URL: process.env.VALKEY_URL ?? "redis://127.0.0.1:63799",
      VALKEY_PREFIX: `e2e:${Date.now()}:`,
      APP_BASE_URL: baseURL,
      LEPTOS_SITE_ADDR: `127.0.0.1:${port}`,
      LEPTOS_SITE_ROOT: "target/site",
      LEPTOS_ENV: "PROD",
      // Not on the shared loopback port, which `make run` may hold.
      METRICS_ADDR: "off",
      RUST_LOG: "warn",
      // Every browser test signs in from 127.0.0.1; the limits stay on, just wider.
      AUTH_RATE_LIMIT_PER_IP: "500",
      AUTH_RATE_LIMIT_PER_ACCOUNT: "100",
      STRIPE_SECRET_KEY: "sk_test_e2e",
      STRIPE_WEBHOOK_SECRET: "whsec_e2e_secret",
      STRIPE_API_BASE: `http://127.0.0.1:${emulatorPort}/`,
      SMTP_URL: `smtp://shop:catcher-secret@127.0.0.1:${mailSmtpPort}`,
      MAIL_POLL_INTERVAL_SECS: "1",
      // Short holds so the expiry paths run within a test.
      RESERVATION_TIMEOUT_SECS: "60",
      SWEEPER_INTERVAL_SECS: "2",
      // One visitor let through every five seconds, so a queue visibly moves.
      QUEUE_ADMIT_PER_SEC: "0.2",
      // Every browser queues from 127.0.0.1; the limit stays on, just wider.
      QUEUE_PLACES_PER_ADDRESS: "100",
      WAITING_LIST_OFFER_SECS: "120",
    },
    },
  ],
});
