import { test as base, expect } from "@playwright/test";
import { randomBytes } from "node:crypto";
import { Agent, setGlobalDispatcher } from "undici";

// The tests' HTTP client (fetch) closes a connection idle for 5 s, long before the server does (65 s:
// server.mjs). By default it would keep one until a second or two before the server's own deadline, and a worker
// starved of CPU (both cores kept busy) then sends its next request on a connection the server is closing at that
// moment: "other side closed", a request lost by the harness, not by Numbox.
setGlobalDispatcher(new Agent({ keepAliveTimeout: 5_000, keepAliveMaxTimeout: 5_000 }));

// fetch's failures say only "fetch failed"; what failed (a reset, a refused connection, a closed socket) is in
// their cause, which the test report does not print. Put it in the message.
const plainFetch = globalThis.fetch;
globalThis.fetch = async (...args: Parameters<typeof fetch>) => {
  try {
    return await plainFetch(...args);
  } catch (error) {
    // Only fetch's own TypeError: an abort's DOMException has a read-only message.
    const cause =
      error instanceof TypeError ? (error.cause as { code?: string; message?: string } | undefined) : undefined;
    if (error instanceof TypeError && cause)
      error.message += ` (${[cause.code, cause.message].filter(Boolean).join(": ")})`;
    throw error;
  }
};

let numbersDrawn = 0;

/**
 * The digits of a phone number no other test of this run uses: the prefix (an Uzbek mobile range, valid and not
 * anybody's here), 100 + this worker's index and a count (tests use +998900000000/1 as numbers nobody has). Random draws collided: a run registers hundreds of numbers on
 * each shared server, and 7 random digits gave two tests the same one about once in twenty runs (409
 * number_exists).
 */
export function freshDigits(prefix = "99890"): string {
  const worker = 100 + Number(process.env.TEST_WORKER_INDEX ?? 0);
  numbersDrawn += 1;
  return `${prefix}${worker}${String(numbersDrawn).padStart(4, "0")}`;
}

/** The server a test talks to (chosen by its project) and a small client for its public contracts. */
export class Numbox {
  constructor(
    readonly url: string,
    readonly adminToken: string,
  ) {}

  admin(path: string, init: { method?: string; body?: unknown; token?: string | null } = {}) {
    const headers: Record<string, string> = { "Content-Type": "application/json" };
    const token = init.token === undefined ? this.adminToken : init.token;
    if (token !== null) headers.Authorization = `Bearer ${token}`;
    return fetch(`${this.url}/api/admin${path}`, {
      method: init.method ?? "POST",
      headers,
      body: init.body === undefined ? undefined : JSON.stringify(init.body),
    });
  }

  /** A new generic gateway with one new number, unique to the calling test. */
  async gatewayWithNumber(): Promise<{ gateway: string; key: string; number: string; digits: string }> {
    const gateway = `gw-${randomBytes(4).toString("hex")}`;
    const created = await this.admin("/gateways", { body: { id: gateway, kind: "generic" } });
    expect(created.status).toBe(201);
    const { apiKey } = (await created.json()) as { apiKey: string };
    const digits = freshDigits();
    const number = `+${digits}`;
    const added = await this.admin("/numbers", { body: { number, gateway } });
    expect(added.status, await added.clone().text()).toBe(201);
    return { gateway, key: apiKey, number, digits };
  }

  inbound(gateway: string, key: string | null, body: unknown, headers: Record<string, string> = {}) {
    return fetch(`${this.url}/api/inbound/${gateway}`, {
      method: "POST",
      headers: {
        "Content-Type": "application/json",
        ...(key === null ? {} : { Authorization: `Bearer ${key}` }),
        ...headers,
      },
      body: typeof body === "string" || body instanceof Uint8Array ? (body as BodyInit) : JSON.stringify(body),
    });
  }

  get(path: string, headers: Record<string, string> = {}) {
    return fetch(`${this.url}${path}`, { headers });
  }
}

export const test = base.extend<{ numbox: Numbox }>({
  numbox: async ({}, provide, testInfo) => {
    const server = testInfo.project.metadata.server as "pglite" | "postgres";
    const url = server === "postgres" ? process.env.NUMBOX_POSTGRES_URL : process.env.NUMBOX_PGLITE_URL;
    if (!url) throw new Error("the test servers are not running: run through `npx playwright test` (global setup)");
    await provide(new Numbox(url, process.env.NUMBOX_ADMIN_TOKEN!));
  },
});

export { expect };

/** Reads Server-Sent Events from a fetch response until `count` events arrived or the time is up. */
export async function readEvents(response: Response, count: number, timeoutMs = 30_000) {
  const events: { event?: string; id?: string; data: string }[] = [];
  const reader = response.body!.pipeThrough(new TextDecoderStream()).getReader();
  const timer = setTimeout(() => reader.cancel(), timeoutMs);
  let buffer = "";
  try {
    while (events.length < count) {
      const { done, value } = await reader.read();
      if (done) break;
      buffer += value;
      let end: number;
      while ((end = buffer.indexOf("\n\n")) >= 0) {
        const block = buffer.slice(0, end);
        buffer = buffer.slice(end + 2);
        const event: { event?: string; id?: string; data: string } = { data: "" };
        const data: string[] = [];
        for (const line of block.split("\n")) {
          if (line.startsWith(":")) continue;
          const [field, ...rest] = line.split(":");
          const value = rest.join(":").replace(/^ /, "");
          if (field === "event") event.event = value;
          else if (field === "id") event.id = value;
          else if (field === "data") data.push(value);
        }
        if (data.length > 0) events.push({ ...event, data: data.join("\n") });
      }
    }
  } finally {
    clearTimeout(timer);
    await reader.cancel().catch(() => {});
  }
  return events;
}
