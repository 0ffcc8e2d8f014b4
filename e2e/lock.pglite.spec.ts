import { spawn } from "node:child_process";
import { freePort } from "./servers";
import { test, expect } from "./fixtures";

test("a second server on the same embedded database directory stops at once with a clear message", async ({ numbox }) => {
  expect((await numbox.get("/api/v1/countries")).status).toBe(200);
  const dir = process.env.NUMBOX_PGLITE_DIR!;
  const port = await freePort();
  const second = spawn(process.execPath, ["server.mjs"], {
    env: { ...process.env, NODE_ENV: "production", PORT: String(port), PGLITE_DIR: dir, DATABASE_URL: "" },
  });
  let output = "";
  second.stdout.on("data", (chunk) => (output += chunk));
  second.stderr.on("data", (chunk) => (output += chunk));
  const code = await new Promise<number | null>((resolve) => {
    const timer = setTimeout(() => second.kill("SIGKILL"), 25_000);
    second.once("exit", (exitCode) => {
      clearTimeout(timer);
      resolve(exitCode);
    });
  });

  expect(code, output).toBe(1);
  expect(output).toContain(`The embedded database directory ${dir} is in use by process`);
  // The running server is unharmed.
  expect((await numbox.get("/api/v1/countries")).status).toBe(200);
});
