/**
 * Lighthouse's SEO, accessibility and best-practices scores of the four page types (home, country, inbox,
 * docs), on a phone and on a desktop: `npm run build && npm run lighthouse`. Every score must be 100; the script
 * prints them as a table, names each audit that failed, and exits 1 if any score is lower.
 *
 * It starts the built app itself (`node server.mjs`, production) on a free port with a fresh embedded database
 * and the demo numbers, so the pages have real content, and PUBLIC_URL set to that address, as an operator
 * would (Lighthouse checks that canonical links point at the page's own site). Chromium is the system's
 * (CHROME_PATH, default /usr/bin/chromium): nothing is downloaded. Too slow for `npm test` (about three minutes).
 *
 * Plain JavaScript, run by node itself: tsx compiles with esbuild's keepNames, whose `__name` helper then breaks
 * the functions Lighthouse hands to the page to run there ("__name is not defined").
 */
// @ts-check
import { spawn } from "node:child_process";
import fs from "node:fs";
import net from "node:net";
import os from "node:os";
import path from "node:path";
import * as chromeLauncher from "chrome-launcher";
import lighthouse from "lighthouse";
import desktopConfig from "lighthouse/core/config/desktop-config.js";

const CATEGORIES = /** @type {const} */ (["seo", "accessibility", "best-practices"]);
const CHROME_PATH = process.env.CHROME_PATH ?? "/usr/bin/chromium";

/** @returns {Promise<number>} */
async function freePort() {
  return new Promise((resolve, reject) => {
    const server = net.createServer();
    server.once("error", reject);
    server.listen(0, "127.0.0.1", () => {
      const { port } = /** @type {net.AddressInfo} */ (server.address());
      server.close(() => resolve(port));
    });
  });
}

/**
 * @param {string} dir
 * @returns {Promise<{ url: string; child: import("node:child_process").ChildProcess }>}
 */
async function startApp(dir) {
  if (!fs.existsSync(".next/BUILD_ID")) throw new Error("no production build: run `npm run build` first");
  const port = await freePort();
  const url = `http://127.0.0.1:${port}`;
  const child = spawn(process.execPath, ["server.mjs"], {
    env: {
      ...process.env,
      NODE_ENV: "production",
      NEXT_TELEMETRY_DISABLED: "1",
      PORT: String(port),
      PUBLIC_URL: url,
      DATABASE_URL: "",
      PGLITE_DIR: path.join(dir, "db"),
      DEMO: "1",
    },
    stdio: ["ignore", "ignore", "inherit"],
  });
  const deadline = Date.now() + 90_000;
  while (Date.now() < deadline) {
    if (child.exitCode !== null) throw new Error(`the server exited with ${child.exitCode}`);
    const answer = await fetch(`${url}/api/v1/numbers`).catch(() => null);
    if (answer?.ok) return { url, child };
    await new Promise((r) => setTimeout(r, 500));
  }
  child.kill("SIGKILL");
  throw new Error("the server did not come up within 90 s");
}

/**
 * The pages to audit: an inbox with messages and its country, from the app's own API.
 * @param {string} url
 * @returns {Promise<Record<string, string>>}
 */
async function pagesOf(url) {
  /** @type {{ number: string; country: string; lastMessageAt: string | null }[]} */
  const numbers = await (await fetch(`${url}/api/v1/numbers`)).json();
  const inbox = numbers.find((n) => n.lastMessageAt !== null);
  if (!inbox) throw new Error("the demo seed left no inbox with messages");
  return {
    home: "/",
    country: `/countries/${inbox.country.toLowerCase()}`,
    inbox: `/numbers/${inbox.number.slice(1)}`,
    docs: "/docs/gateways",
  };
}

async function main() {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), "numbox-lighthouse-"));
  const app = await startApp(dir);
  const chrome = await chromeLauncher.launch({
    chromePath: CHROME_PATH,
    chromeFlags: ["--headless=new", "--no-sandbox", "--disable-gpu", "--no-first-run", "--disable-quic"],
  });
  /** @type {string[]} */
  const rows = [];
  /** @type {string[]} */
  const failures = [];
  try {
    const pages = await pagesOf(app.url);
    for (const [name, pagePath] of Object.entries(pages)) {
      for (const device of ["mobile", "desktop"]) {
        /** @type {import("lighthouse").Flags} */
        const flags = { port: chrome.port, onlyCategories: [...CATEGORIES], output: "json", logLevel: "error" };
        const result = await lighthouse(
          `${app.url}${pagePath}`,
          flags,
          device === "desktop" ? desktopConfig : undefined,
        );
        if (!result) throw new Error(`Lighthouse returned nothing for ${pagePath}`);
        const { categories, audits } = result.lhr;
        const scores = CATEGORIES.map((c) => Math.round((categories[c]?.score ?? 0) * 100));
        rows.push(`| ${name} | ${pagePath} | ${device} | ${scores.join(" | ")} |`);
        for (const category of CATEGORIES) {
          for (const ref of categories[category]?.auditRefs ?? []) {
            const audit = audits[ref.id];
            if (ref.weight > 0 && audit && audit.score !== null && audit.score < 1) {
              failures.push(`${name} (${device}) ${category}: ${audit.id} — ${audit.title}`);
            }
          }
        }
      }
    }
  } finally {
    chrome.kill();
    // The embedded database's directory goes only once the server that holds it has exited.
    await new Promise((resolve) => {
      app.child.once("exit", resolve);
      app.child.kill("SIGTERM");
    });
    fs.rmSync(dir, { recursive: true, force: true });
  }
  console.log("| page | path | device | SEO | accessibility | best practices |");
  console.log("|---|---|---|---|---|---|");
  for (const row of rows) console.log(row);
  if (failures.length > 0) {
    console.log(`\nBelow 100:\n${failures.map((f) => `- ${f}`).join("\n")}`);
    process.exitCode = 1;
  }
}

main().catch((error) => {
  console.error(error instanceof Error ? error.message : error);
  process.exitCode = 1;
});
