import { defineConfig } from "vitest/config";
import { fileURLToPath } from "node:url";

export default defineConfig({
  resolve: { alias: { "@": fileURLToPath(new URL("./", import.meta.url)) } },
  test: {
    include: ["lib/**/*.test.ts", "db/**/*.test.ts"],
    // The repository tests open PGlite (slow first open) and a real Postgres.
    testTimeout: 30_000,
    hookTimeout: 60_000,
    // The code under test logs what a server would (refused ingest, faults): a test's output is its results.
    // What the log says is tested against a running server (e2e/logs.pglite.spec.ts).
    env: { LOG_LEVEL: "silent" },
  },
});
