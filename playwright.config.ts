import { defineConfig, devices } from "@playwright/test";

// Playwright cannot download browsers here: drive Debian's Chromium (apt-get install chromium).
const chromium = {
  executablePath: process.env.CHROMIUM_PATH ?? "/usr/bin/chromium",
  args: [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
    "--disable-quic",
  ],
};

export default defineConfig({
  testDir: "e2e",
  globalSetup: "./e2e/global-setup.ts",
  fullyParallel: true,
  workers: 2,
  forbidOnly: true,
  retries: 0,
  // A ceiling, not a wait: tests wait on states, and a machine whose cores another process keeps busy makes a
  // page journey several times slower than on a quiet one.
  timeout: 60_000,
  // Every assertion waits on a state; under CI's load a page can take more than the default 5 s to hydrate and
  // connect its stream (the alerts test once failed here at 5 s), and a passing assertion never waits this long.
  expect: { timeout: 15_000 },
  reporter: [["list"]],
  use: { trace: "retain-on-failure", launchOptions: chromium },
  projects: [
    // HTTP contract tests run against a production server on each database.
    // Tests that only make sense on the embedded database (its directory lock) run on the PGlite server only.
    { name: "api-pglite", testMatch: /\.(api|pglite)\.spec\.ts$/, metadata: { server: "pglite" } },
    { name: "api-postgres", testMatch: /\.(api|postgres)\.spec\.ts$/, metadata: { server: "postgres" } },
    {
      name: "browser",
      testMatch: /\.ui\.spec\.ts$/,
      metadata: { server: "pglite" },
      use: { ...devices["Desktop Chrome"], launchOptions: chromium },
    },
    {
      name: "phone",
      testMatch: /\.ui\.spec\.ts$/,
      metadata: { server: "postgres" },
      use: { ...devices["Pixel 7"], launchOptions: chromium },
    },
  ],
});
