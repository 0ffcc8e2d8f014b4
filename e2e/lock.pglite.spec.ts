import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { runUntilExit } from "./servers";
import { test, expect } from "./fixtures";

test("a second server on the same embedded database directory stops at once with a clear message", async ({
  numbox,
}) => {
  expect((await numbox.get("/api/v1/countries")).status).toBe(200);
  const dir = process.env.NUMBOX_PGLITE_DIR!;

  const { code, output } = await runUntilExit({ PGLITE_DIR: dir, DATABASE_URL: "" });

  expect(code, output).toBe(1);
  expect(output).toContain(`The embedded database directory ${dir} is in use by process`);
  // The running server is unharmed.
  expect((await numbox.get("/api/v1/countries")).status).toBe(200);
});

test("a second server reaching the same directory through a symlink is stopped the same way", async ({ numbox }) => {
  const dir = process.env.NUMBOX_PGLITE_DIR!;
  const elsewhere = fs.mkdtempSync(path.join(os.tmpdir(), "numbox-e2e-link-"));
  const link = path.join(elsewhere, "same-db");
  fs.symlinkSync(dir, link);
  try {
    const { code, output } = await runUntilExit({ PGLITE_DIR: link, DATABASE_URL: "" });

    expect(code, output).toBe(1);
    expect(output).toContain(`The embedded database directory ${link} (${fs.realpathSync(dir)}) is in use by process`);
    expect(fs.existsSync(`${link}.lock`)).toBe(false);
    expect((await numbox.get("/api/v1/countries")).status).toBe(200);
  } finally {
    fs.rmSync(elsewhere, { recursive: true, force: true });
  }
});
