import { defineConfig } from "@playwright/test";
import { chromiumLaunchOptions } from "./chromium.mjs";

// The release server under test, started by Playwright against the e2e database
// that scripts/test.sh creates and seeds.
const port = Number(process.env.E2E_PORT ?? 3100);
const baseURL = `http://127.0.0.1:${port}`;
const emulatorPort = Number(process.env.E2E_EMULATOR_PORT ?? 12112);

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
      RUST_LOG: "warn",
      // Every browser test signs in from 127.0.0.1; the limits stay on, just wider.
      AUTH_RATE_LIMIT_PER_IP: "500",
      AUTH_RATE_LIMIT_PER_ACCOUNT: "100",
      STRIPE_SECRET_KEY: "sk_test_e2e",
      STRIPE_WEBHOOK_SECRET: "whsec_e2e_secret",
      STRIPE_API_BASE: `http://127.0.0.1:${emulatorPort}/`,
      // Short holds so the expiry paths run within a test.
      RESERVATION_TIMEOUT_SECS: "60",
      SWEEPER_INTERVAL_SECS: "2",
    },
    },
  ],
});
