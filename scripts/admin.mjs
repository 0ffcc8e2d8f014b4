/**
 * `npm run admin -- …`: a small CLI over the admin API (README, "Adding a gateway and a number"), for people at a shell.
 * It talks to a running Numbox over HTTP only, so it works the same against a laptop or a production site.
 */
// @ts-check
// Plain JavaScript, run by node itself: the CLI must work wherever the server does, including a production
// install (`npm ci --omit=dev`) that has no tsx or TypeScript. Types are JSDoc, checked by editors.
import { parseArgs } from "node:util";

const USAGE = `Usage: npm run admin -- <command> [options]

Commands:
  gateway add <id> --kind <kind> [--name <name>] [--secret <secret>] [--config '<json>']
                                    create a gateway; prints its API key (shown only once)
  gateway list                      list gateways
  gateway config <id> [--name <name>] [--config '<json>']
                                    rename a gateway and/or replace its whole config (devices, SIM channels, allowIps, …)
  gateway rotate <id> [--key] [--secret <secret>]
                                    new API key and/or signing secret; the previous one stays valid
  number add <number> --gateway <id> [--country CC] [--sim N]
                                    register one of our numbers on a gateway
  number list                       list numbers with their status and health
  number status <number> <active|paused|retired>
                                    take a number out of service or back in
  quarantine list                   authenticated requests that were refused, newest first
  messages hide <id>                hide a message from every public view (the fact that it arrived is kept)
  redactions add [--sender <sender>] [--pattern <regex>] [--replacement <text>]
                                    redact matching messages at ingest (default replacement "[hidden]")
  redactions list                   the redaction rules, in the order they apply
  redactions remove <id>            delete a redaction rule
  reports list                      visitors' "codes from X don't arrive" reports, newest first
  purge                             delete what the retention policy no longer keeps, now
  help                              show this text

Options:
  --url <url>      server (default: $NUMBOX_URL, else $PUBLIC_URL, else http://localhost:$PORT or 3000)
  --token <token>  admin token (default: $ADMIN_TOKEN)

Examples:
  ADMIN_TOKEN=… npm run admin -- gateway add modem-1 --kind generic --name "USB modem"
  ADMIN_TOKEN=… npm run admin -- number add +998940373339 --gateway modem-1
  ADMIN_TOKEN=… npm run admin -- number status +998940373339 paused
  ADMIN_TOKEN=… npm run admin -- redactions add --pattern 'https?://\\S*reset\\S*' --replacement '[link hidden]'`;

/** Ends the program with a message on stderr: exit 1 for a failed call, 2 for a mistake in the command line. */
class Exit extends Error {
  /**
   * @param {string} message
   * @param {1 | 2} exitCode
   */
  constructor(message, exitCode = 2, usage = false) {
    super(message);
    this.exitCode = exitCode;
    this.usage = usage;
  }
}

/** @param {string[]} args */
function parse(args) {
  const text = /** @type {const} */ ({ type: "string" });
  return parseArgs({
    args,
    allowPositionals: true,
    options: {
      url: text,
      token: text,
      kind: text,
      name: text,
      secret: text,
      config: text,
      gateway: text,
      country: text,
      sim: text,
      sender: text,
      pattern: text,
      replacement: text,
      key: /** @type {const} */ ({ type: "boolean" }),
      help: /** @type {const} */ ({ type: "boolean", short: "h" }),
    },
  });
}

/** @param {{ url?: string; token?: string }} options */
function client(options) {
  const env = process.env;
  const fallback = env.NUMBOX_URL ?? env.PUBLIC_URL ?? `http://localhost:${env.PORT ?? 3000}`;
  const base = (options.url ?? fallback).replace(/\/+$/, "");
  const token = options.token ?? env.ADMIN_TOKEN; // unset: the server answers 403 with a hint

  /**
   * @param {string} method
   * @param {string} path
   * @param {unknown} [body]
   * @returns {Promise<any>} the answer's JSON, typed where it is used
   */
  async function call(method, path, body) {
    /** @type {Record<string, string>} */
    const headers = { "Content-Type": "application/json" };
    if (token) headers.Authorization = `Bearer ${token}`;
    const response = await fetch(base + path, { method, headers, body: JSON.stringify(body) }).catch(() => {
      throw new Exit(`cannot reach ${base} — is the server running?`, 1);
    });
    const text = await response.text();
    /** @type {{ error?: string; detail?: string } | undefined} */
    let data;
    try {
      data = JSON.parse(text);
    } catch {
      // not JSON (a proxy's error page): shown as text below
    }
    if (!response.ok) {
      const detail = data?.detail ?? (text.trim().slice(0, 200) || response.statusText);
      throw new Exit(`${detail} (${data?.error ?? "http_error"}, HTTP ${response.status})`, 1);
    }
    return data;
  }
  return { base, call };
}

/**
 * @typedef {{ id: string; name: string; kind: string; demo: boolean; hasSecret: boolean; lastSeenAt: string | null }} Gateway
 * @typedef {{ number: string; country: string; status: string; health: string; demo: boolean }} NumberInfo
 * @typedef {NumberInfo & { lastMessageAt: string | null; messages24h: number }} NumberRow
 * @typedef {{ id: number; gateway: string; error: string; detail: string; createdAt: string }} Quarantined
 * @typedef {{ id: number; sender: string | null; pattern: string | null; replacement: string }} Redaction
 * @typedef {{ id: number; number: string; service: string; note: string | null; createdAt: string }} Report
 */

/**
 * @param {string[]} args
 * @returns {Promise<void>}
 */
async function run(args) {
  const { values: options, positionals } = parse(args);
  const [group, action, ...rest] = positionals;
  if (options.help || !group || group === "help") return console.log(USAGE);
  const { base, call } = client(options);
  const command = `${group} ${action ?? ""}`.trim();

  switch (command) {
    case "gateway add": {
      const [id] = need(rest, 1, "gateway add <id> --kind <kind>");
      if (!options.kind) throw new Exit("gateway add needs --kind (e.g. --kind generic)");
      const config = options.config === undefined ? undefined : parseJson(options.config);
      const { name, kind, secret } = options;
      const gateway = { id, name, kind, secret, config };
      const { apiKey } = /** @type {{ apiKey: string }} */ (await call("POST", "/api/admin/gateways", gateway));
      console.log(`Gateway '${id}' (${kind}) created.\n`);
      console.log(`  API key:        ${apiKey}`);
      console.log(`  Ingestion URL:  ${base}/api/inbound/${encodeURIComponent(id)}\n`);
      console.log("  The key is shown only this once (the server keeps only a hash): store it now.");
      return;
    }
    case "gateway list": {
      const gateways = /** @type {Gateway[]} */ (await call("GET", "/api/admin/gateways"));
      if (gateways.length === 0) return console.log("No gateways yet: see `npm run admin -- help`.");
      return table(
        ["ID", "NAME", "KIND", "SECRET", "LAST SEEN"],
        gateways.map((g) => [demo(g.id, g.demo), g.name, g.kind, g.hasSecret ? "yes" : "no", ago(g.lastSeenAt)]),
      );
    }
    case "gateway config": {
      const [id] = need(rest, 1, "gateway config <id> [--name <name>] [--config '<json>']");
      if (options.name === undefined && options.config === undefined)
        throw new Exit("gateway config needs --name <name> and/or --config '<json>'");
      const config = options.config === undefined ? undefined : parseJson(options.config);
      await call("PATCH", `/api/admin/gateways/${encodeURIComponent(id)}`, { name: options.name, config });
      return console.log(`Gateway '${id}' updated.`);
    }
    case "gateway rotate": {
      const [id] = need(rest, 1, "gateway rotate <id> [--key] [--secret <secret>]");
      if (!options.key && !options.secret) throw new Exit("gateway rotate needs --key and/or --secret <secret>");
      const rotated = /** @type {{ apiKey?: string }} */ (
        await call("POST", `/api/admin/gateways/${encodeURIComponent(id)}/rotate`, {
          apiKey: options.key || undefined,
          secret: options.secret,
        })
      );
      if (rotated.apiKey) {
        console.log(`  New API key:  ${rotated.apiKey}\n`);
        console.log("  Shown only this once. The previous key keeps working until the next rotation.");
      }
      if (options.secret)
        console.log(`Signing secret of '${id}' replaced; the previous one stays valid until the next rotation.`);
      return;
    }
    case "quarantine list": {
      const rows = /** @type {Quarantined[]} */ (await call("GET", "/api/admin/quarantine"));
      if (rows.length === 0) return console.log("Nothing in quarantine.");
      return table(
        ["ID", "GATEWAY", "WHEN", "ERROR", "DETAIL"],
        rows.map((q) => [String(q.id), q.gateway, ago(q.createdAt), q.error, q.detail.slice(0, 80)]),
      );
    }
    case "messages hide": {
      const [id] = need(rest, 1, "messages hide <id>");
      const hidden = /** @type {{ id: number; number: string }} */ (
        await call("DELETE", `/api/admin/messages/${encodeURIComponent(id)}`)
      );
      return console.log(`Message ${hidden.id} on ${hidden.number} is hidden.`);
    }
    case "redactions add": {
      need(rest, 0, "redactions add [--sender <sender>] [--pattern <regex>] [--replacement <text>]");
      const { sender, pattern, replacement } = options;
      if (!sender && !pattern) throw new Exit("redactions add needs --sender and/or --pattern");
      const rule = /** @type {Redaction} */ (
        await call("POST", "/api/admin/redactions", { sender, pattern, replacement })
      );
      return console.log(
        `Redaction rule ${rule.id} added: ${describeRule(rule)}. It applies to messages stored from now on.`,
      );
    }
    case "redactions list": {
      const rules = /** @type {Redaction[]} */ (await call("GET", "/api/admin/redactions"));
      if (rules.length === 0) return console.log("No redaction rules.");
      return table(
        ["ID", "SENDER", "PATTERN", "REPLACEMENT"],
        rules.map((r) => [String(r.id), r.sender ?? "(any)", r.pattern ?? "(whole text)", r.replacement]),
      );
    }
    case "redactions remove": {
      const [id] = need(rest, 1, "redactions remove <id>");
      await call("DELETE", `/api/admin/redactions/${encodeURIComponent(id)}`);
      return console.log(`Redaction rule ${id} removed.`);
    }
    case "reports list": {
      const reports = /** @type {Report[]} */ (await call("GET", "/api/admin/reports"));
      if (reports.length === 0) return console.log("No reports.");
      return table(
        ["ID", "NUMBER", "WHEN", "SERVICE", "NOTE"],
        reports.map((r) => [
          String(r.id),
          r.number,
          ago(r.createdAt),
          r.service,
          (r.note ?? "").replace(/\s+/g, " ").slice(0, 80),
        ]),
      );
    }
    case "purge": {
      const report = /** @type {Record<string, number>} */ (await call("POST", "/api/admin/purge"));
      return console.log(
        `Purged: ${report.expired} expired, ${report.overCap} over the per-number cap, ${report.retired} of retired numbers, ` +
          `${report.parts} old parts, ${report.quarantine} quarantined requests, ${report.reports} old reports.`,
      );
    }
    case "number add": {
      const [number] = need(rest, 1, "number add <number> --gateway <id>");
      if (!options.gateway) throw new Exit("number add needs --gateway <id>");
      const sim = options.sim === undefined ? undefined : Number(options.sim);
      if (sim !== undefined && !Number.isInteger(sim)) throw new Exit(`--sim must be a whole number: '${options.sim}'`);
      const { gateway, country } = options;
      const added = /** @type {NumberInfo} */ (
        await call("POST", "/api/admin/numbers", { number, gateway, country, sim })
      );
      return console.log(`Added ${added.number} (${added.country}) on '${gateway}': ${added.status}, ${added.health}.`);
    }
    case "number list": {
      const numbers = /** @type {NumberRow[]} */ (await call("GET", "/api/admin/numbers"));
      if (numbers.length === 0) return console.log("No numbers yet: see `npm run admin -- help`.");
      return table(
        ["NUMBER", "COUNTRY", "STATUS", "HEALTH", "LAST MESSAGE", "24H"],
        numbers.map((n) => {
          return [demo(n.number, n.demo), n.country, n.status, n.health, ago(n.lastMessageAt), `${n.messages24h}`];
        }),
      );
    }
    case "number status": {
      const [number, status] = need(rest, 2, "number status <number> <active|paused|retired>");
      const digits = encodeURIComponent(number.replace(/^\+/, ""));
      const updated = /** @type {NumberInfo} */ (await call("PATCH", `/api/admin/numbers/${digits}`, { status }));
      return console.log(`${updated.number} is now ${updated.status}.`);
    }
    default:
      throw new Exit(`unknown command '${command}'`, 2, true);
  }
}

/**
 * @param {string[]} rest
 * @param {number} n
 * @param {string} usage
 */
function need(rest, n, usage) {
  if (rest.length !== n) throw new Exit(`usage: npm run admin -- ${usage}`);
  return rest;
}

/** @param {Redaction} rule */
function describeRule(rule) {
  const what = rule.pattern ? `/${rule.pattern}/` : "the whole text";
  return `${what}${rule.sender ? ` of messages from '${rule.sender}'` : ""} → '${rule.replacement}'`;
}

/** @param {string} text */
function parseJson(text) {
  try {
    return JSON.parse(text);
  } catch {
    throw new Exit(`--config is not valid JSON: ${text}`);
  }
}

/**
 * @param {string} label
 * @param {boolean} isDemo
 */
function demo(label, isDemo) {
  return isDemo ? `${label} (demo)` : label;
}

/**
 * "never", "42s ago", "5m ago", "3h ago", "2d ago".
 * @param {string | null} iso
 */
function ago(iso) {
  if (!iso) return "never";
  const s = Math.max(0, Math.round((Date.now() - Date.parse(iso)) / 1000));
  if (s < 60) return `${s}s ago`;
  if (s < 3600) return `${Math.floor(s / 60)}m ago`;
  if (s < 86400) return `${Math.floor(s / 3600)}h ago`;
  return `${Math.floor(s / 86400)}d ago`;
}

/**
 * @param {string[]} headers
 * @param {string[][]} rows
 */
function table(headers, rows) {
  const widths = headers.map((h, i) => Math.max(h.length, ...rows.map((r) => r[i].length)));
  for (const row of [headers, ...rows]) {
    console.log(
      row
        .map((cell, i) => cell.padEnd(widths[i]))
        .join("  ")
        .trimEnd(),
    );
  }
}

// `npm run admin -- number list | head` closes the pipe early: that is not an error.
process.stdout.on("error", (/** @type {NodeJS.ErrnoException} */ error) => {
  if (error.code !== "EPIPE") throw error;
  process.exit(0);
});

run(process.argv.slice(2)).catch((/** @type {unknown} */ error) => {
  const exit = error instanceof Exit ? error : null;
  const badOption = String(/** @type {{ code?: unknown }} */ (error).code).startsWith("ERR_PARSE_ARGS");
  if (!exit && !badOption) throw error;
  console.error(`error: ${/** @type {Error} */ (error).message}` + (badOption || exit?.usage ? `\n\n${USAGE}` : ""));
  process.exitCode = exit?.exitCode ?? 2;
});
