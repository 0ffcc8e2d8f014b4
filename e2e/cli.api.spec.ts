import { spawn } from "node:child_process";
import { randomBytes } from "node:crypto";
import { test, expect, freshDigits } from "./fixtures";

/**
 * Runs a script of ours the way `npm run admin -- …` / `npm run simulate -- …` do. Asynchronously: a test blocked
 * in a synchronous spawn cannot see the server close an idle keep-alive connection, and its next fetch fails on it.
 */
function run(
  script: string,
  args: string[],
  env: Record<string, string>,
): Promise<{ code: number | null; out: string; err: string }> {
  return new Promise((resolve, reject) => {
    // The admin CLI is plain JavaScript, run by node alone as on a production install; the simulator is a
    // development tool in TypeScript.
    const loader = script.endsWith(".mjs") ? [] : ["--import", "tsx"];
    const child = spawn(process.execPath, [...loader, script, ...args], {
      env: { ...process.env, ...env },
      timeout: 30_000,
    });
    let out = "";
    let err = "";
    child.stdout.setEncoding("utf8").on("data", (chunk: string) => (out += chunk));
    child.stderr.setEncoding("utf8").on("data", (chunk: string) => (err += chunk));
    child.once("error", reject);
    child.once("close", (code) => resolve({ code, out, err }));
  });
}

test("an operator sets up a gateway and a number with the admin CLI, and the simulator's messages arrive", async ({
  numbox,
}) => {
  // Six CLI processes, each starting TypeScript through tsx: seconds apiece when the machine is busy.
  test.setTimeout(120_000);
  const env = { NUMBOX_URL: numbox.url, ADMIN_TOKEN: numbox.adminToken };
  const admin = (...args: string[]) => run("scripts/admin.mjs", args, env);
  const id = `cli-${randomBytes(3).toString("hex")}`;

  const gateway = await admin("gateway", "add", id, "--kind", "generic", "--name", "USB modem");
  expect(gateway.code, gateway.err).toBe(0);
  const key = /API key:\s+(nbx_\S+)/.exec(gateway.out)?.[1];
  expect(key).toBeTruthy();

  const digits = freshDigits("99893");
  expect((await admin("number", "add", `+${digits}`, "--gateway", id)).code).toBe(0);
  expect((await admin("number", "list")).out).toContain(`+${digits}`);

  const simulate = await run(
    "scripts/simulate.ts",
    ["--count", "2", "--interval", "0.1", "--gateway", id, "--key", key!, "--numbers", `+${digits}`],
    env,
  );
  expect(simulate.code, simulate.err + simulate.out).toBe(0);
  const page = await (await numbox.get(`/api/v1/numbers/${digits}/messages`)).json();
  expect(page.messages).toHaveLength(2);

  expect((await admin("number", "status", `+${digits}`, "retired")).code).toBe(0);
  expect((await admin("number", "list")).out).toMatch(new RegExp(`\\+${digits}\\s+UZ\\s+retired`));

  const wrongToken = await run("scripts/admin.mjs", ["gateway", "list"], { ...env, ADMIN_TOKEN: "wrong" });
  expect(wrongToken.code).toBe(1);
  expect(wrongToken.err).toContain("unauthorized");
});

test("the admin CLI's help shows its examples as they are to be typed", async () => {
  const help = await run("scripts/admin.mjs", ["--help"], {});
  expect(help.code).toBe(0);
  // The redaction example's pattern, backslashes and all: pasted as shown, it must be the pattern meant.
  expect(help.out).toContain(String.raw`--pattern 'https?://\S*reset\S*'`);
});
