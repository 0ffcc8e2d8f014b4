/**
 * `npm run simulate`: posts realistic OTP messages to a running Numbox through the real generic ingestion API
 * (README, "Posting a message"), so a newcomer sees the demo inboxes come alive. HTTP only, like a real modem script.
 */
import { randomUUID } from "node:crypto";
import { setTimeout as sleep } from "node:timers/promises";
import { parseArgs } from "node:util";
import { randomSample } from "../lib/demo/samples";
import { DEMO_GATEWAY_ID, DEMO_NUMBERS } from "../lib/demo/numbers";

const USAGE = `Usage: npm run simulate -- [options]

Posts a realistic verification SMS to a random number every few seconds, through POST /api/inbound/<gateway>.

Options:
  --url <url>          server (default: $NUMBOX_URL, else $PUBLIC_URL, else http://localhost:$PORT or 3000)
  --gateway <id>       gateway id (default: ${DEMO_GATEWAY_ID})
  --key <key>          the gateway's API key (default: $DEMO_GATEWAY_KEY, else demo-gateway-key)
  --numbers <a,b,…>    recipient numbers (default: the demo numbers)
  --interval <s>       seconds between messages, ±50% jitter (default: 3)
  --count <n>          stop after n messages (default: until Ctrl-C)`;

const HEARTBEAT_MS = 60_000;

type Reply = { status: number; body: Record<string, unknown>; retryAfter: number };

function fail(message: string, code = 1): never {
  console.error(message);
  process.exit(code);
}

function options() {
  let parsed;
  try {
    parsed = parseArgs({
      options: {
        url: { type: "string" },
        gateway: { type: "string", default: DEMO_GATEWAY_ID },
        key: { type: "string", default: process.env.DEMO_GATEWAY_KEY ?? "demo-gateway-key" },
        numbers: { type: "string" },
        interval: { type: "string", default: "3" },
        count: { type: "string" },
        help: { type: "boolean", short: "h" },
      },
    }).values;
  } catch (error) {
    fail(`error: ${(error as Error).message}\n\n${USAGE}`, 2);
  }
  if (parsed.help) {
    console.log(USAGE);
    process.exit(0);
  }
  const env = process.env;
  const interval = Number(parsed.interval);
  const count = parsed.count === undefined ? Infinity : Number(parsed.count);
  if (!(interval >= 0)) fail(`error: --interval must be a number of seconds, not '${parsed.interval}'`, 2);
  if (count !== Infinity && !(Number.isInteger(count) && count > 0)) {
    fail("error: --count must be a whole number > 0", 2);
  }
  const numbers = parsed.numbers
    ? parsed.numbers
        .split(",")
        .map((n) => n.trim())
        .filter(Boolean)
    : DEMO_NUMBERS;
  if (numbers.length === 0) fail("error: --numbers is empty", 2);
  return {
    url: (parsed.url ?? env.NUMBOX_URL ?? env.PUBLIC_URL ?? `http://localhost:${env.PORT ?? 3000}`).replace(/\/+$/, ""),
    gateway: parsed.gateway,
    key: parsed.key,
    numbers,
    interval,
    count,
  };
}

const opts = options();
const inbound = `${opts.url}/api/inbound/${encodeURIComponent(opts.gateway)}`;

/** POSTs JSON; null when the server cannot be reached. */
async function post(url: string, body: unknown): Promise<Reply | null> {
  try {
    const response = await fetch(url, {
      method: "POST",
      headers: { Authorization: `Bearer ${opts.key}`, "Content-Type": "application/json" },
      body: JSON.stringify(body),
    });
    const text = await response.text();
    let parsed: Record<string, unknown> = {};
    try {
      parsed = JSON.parse(text) as Record<string, unknown>;
    } catch {
      parsed = { detail: text.trim().slice(0, 200) || response.statusText };
    }
    return { status: response.status, body: parsed, retryAfter: Number(response.headers.get("retry-after")) || 0 };
  } catch {
    return null;
  }
}

function describe(reply: Reply | null): string {
  if (!reply) return `cannot reach ${opts.url}`;
  return `${String(reply.body.detail ?? "error")} (${String(reply.body.error ?? "http_error")}, HTTP ${reply.status})`;
}

/** The first request decides whether there is any point going on. */
function checkFirst(reply: Reply | null): void {
  if (!reply) fail(`error: cannot reach ${opts.url} — is the server running? Start it with \`npm run dev\`.`);
  if (reply.status === 404) {
    fail(
      `error: the gateway '${opts.gateway}' does not exist at ${opts.url} — start the site with \`npm run dev\` ` +
        "(DEMO on) on an empty database, or pass --gateway and --key of a gateway made with " +
        "`npm run admin -- gateway add`.",
    );
  }
  if (reply.status === 401) {
    fail(
      `error: the key is not valid for gateway '${opts.gateway}' — pass --key, or set DEMO_GATEWAY_KEY to the value ` +
        "the server was started with.",
    );
  }
}

/** The code the server extracted from a stored message; best effort, "ok" when it cannot tell. */
async function codeOf(number: string, id: unknown): Promise<string> {
  if (typeof id !== "number") return "ok";
  try {
    const digits = number.replace(/^\+/, "");
    const response = await fetch(`${opts.url}/api/v1/numbers/${digits}/messages?before=${id + 1}&limit=1`);
    const page = (await response.json()) as { messages?: { id: number; code: string | null }[] };
    const message = page.messages?.[0];
    return message?.id === id && message.code ? `code ${message.code}` : "ok";
  } catch {
    return "ok";
  }
}

/** Sends one message; a 429/503 or a network error is retried with the same id, which the server stores once. */
async function send(n: number): Promise<boolean> {
  const to = opts.numbers[Math.floor(Math.random() * opts.numbers.length)]!;
  const { from, text } = randomSample();
  const message = { to, from, text, id: `simulate:${randomUUID()}` };
  let reply: Reply | null = null;
  for (let attempt = 0; attempt < 3; attempt++) {
    reply = await post(inbound, message);
    if (n === 0 && attempt === 0) checkFirst(reply);
    if (reply && reply.status !== 429 && reply.status !== 503) break;
    await sleep(1000 * (reply?.retryAfter || 1 + attempt));
  }
  const time = new Date().toLocaleTimeString("en-GB");
  const ok = reply?.status === 200;
  const outcome = ok ? await codeOf(to, (reply!.body.ids as unknown[] | undefined)?.[0]) : `error: ${describe(reply)}`;
  console.log(`${time}  ${to.padEnd(15)}  ${from.padEnd(12)}  ${outcome}`);
  return ok;
}

async function heartbeat(): Promise<void> {
  const reply = await post(`${inbound}/heartbeat`, {});
  if (reply?.status !== 200) console.error(`heartbeat failed: ${describe(reply)}`);
}

let sent = 0;
let failed = 0;
process.on("SIGINT", () => {
  console.log(`\nstopped: ${sent} sent, ${failed} failed`);
  process.exit(0);
});

async function main(): Promise<void> {
  checkFirst(await post(`${inbound}/heartbeat`, {}));
  const beat = setInterval(() => void heartbeat(), HEARTBEAT_MS);
  const numbers = opts.numbers.length === 1 ? "1 number" : `${opts.numbers.length} numbers`;
  console.log(`posting to ${inbound} (${numbers}), Ctrl-C to stop`);
  for (let n = 0; n < opts.count; n++) {
    if (n > 0) await sleep(opts.interval * 1000 * (0.5 + Math.random()));
    if (await send(n)) sent++;
    else failed++;
  }
  clearInterval(beat);
  console.log(`done: ${sent} sent, ${failed} failed`);
  if (sent === 0) process.exitCode = 1;
}

void main();
