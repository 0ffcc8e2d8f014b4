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
  timeout: 30_000,
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
