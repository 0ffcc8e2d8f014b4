import { scrape, valueOf } from "./prometheus";
import { test, expect } from "./fixtures";

// What Prometheus scrapes from /metrics (open on the shared servers: no METRICS_TOKEN there; the token is
// tested in metrics-token.pglite.spec.ts). Counters only grow and other tests run meanwhile, so each test
// checks series of its own gateway, or that a count grew past what it was before.

test.describe("metrics", () => {
  test("ingest by gateway, kind and outcome; messages stored and duplicates; the gateway's last-seen time", async ({
    numbox,
  }) => {
    const { gateway, key, number } = await numbox.gatewayWithNumber();
    const message = { to: number, from: "Google", text: "G-123456 is your code", id: `m-${gateway}` };
    expect((await numbox.inbound(gateway, key, message)).status).toBe(200);
    expect((await numbox.inbound(gateway, key, message)).status).toBe(200);
    expect((await numbox.inbound(gateway, "nbx_wrong", message)).status).toBe(401);

    const families = await scrape(numbox.url);
    const of = { gateway, kind: "generic" };
    expect(valueOf(families, "numbox_ingest_requests_total", { ...of, outcome: "stored" })).toBe(1);
    expect(valueOf(families, "numbox_ingest_requests_total", { ...of, outcome: "duplicate" })).toBe(1);
    expect(valueOf(families, "numbox_ingest_requests_total", { ...of, outcome: "bad_key" })).toBe(1);
    expect(valueOf(families, "numbox_messages_stored_total", { gateway })).toBe(1);
    expect(valueOf(families, "numbox_message_duplicates_total", { gateway })).toBe(1);
    const lastSeen = valueOf(families, "numbox_gateway_last_seen_timestamp_seconds", of);
    expect(lastSeen).toBeGreaterThan(Date.now() / 1000 - 600);
  });

  test("a gateway that does not exist never becomes a series of its own", async ({ numbox }) => {
    // (unknown) has a series per outcome (other tests send other mistakes): this one is unknown_gateway's.
    const series = { gateway: "(unknown)", outcome: "unknown_gateway" };
    const before = valueOf(await scrape(numbox.url), "numbox_ingest_requests_total", series) ?? 0;
    const made = `no-such-${Date.now()}`;
    expect((await numbox.inbound(made, "nbx_x", { to: "+998901234567", from: "x", text: "x" })).status).toBe(404);
    const families = await scrape(numbox.url);
    expect(valueOf(families, "numbox_ingest_requests_total", series)).toBeGreaterThan(before);
    expect(JSON.stringify(families)).not.toContain(made);
  });

  test("requests by route pattern and status, open streams, and the fan-out's time", async ({ numbox }) => {
    const { gateway, key, number, digits } = await numbox.gatewayWithNumber();
    const before = await scrape(numbox.url);
    const route = { route: "/api/v1/numbers/{number}/messages", method: "GET", status: "200" };
    const fanouts = valueOf(before, "numbox_fanout_seconds") ?? 0;

    expect((await numbox.get(`/api/v1/numbers/${digits}/messages`)).status).toBe(200);
    const stream = await fetch(`${numbox.url}/api/v1/numbers/${digits}/stream`);
    const reader = stream.body!.getReader();
    await reader.read(); // connected
    expect((await numbox.inbound(gateway, key, { to: number, from: "X", text: "code 4321" })).status).toBe(200);
    const decoder = new TextDecoder();
    for (let got = ""; !got.includes("code 4321");) got += decoder.decode((await reader.read()).value);

    const during = await scrape(numbox.url);
    expect(valueOf(during, "numbox_http_request_duration_seconds", route)).toBeGreaterThan(
      valueOf(before, "numbox_http_request_duration_seconds", route) ?? 0,
    );
    expect(valueOf(during, "numbox_open_connections", { kind: "streams" })).toBeGreaterThanOrEqual(1);
    expect(valueOf(during, "numbox_fanout_seconds")).toBeGreaterThan(fanouts);
    await reader.cancel();
    // A raw path never becomes a label.
    expect(JSON.stringify(during)).not.toContain(digits);
  });

  test("purges run and rows deleted, by what they were", async ({ numbox }) => {
    const runs = valueOf(await scrape(numbox.url), "numbox_purge_runs_total") ?? 0;
    expect((await numbox.admin("/purge")).status).toBe(200);
    const families = await scrape(numbox.url);
    expect(valueOf(families, "numbox_purge_runs_total")).toBeGreaterThan(runs);
    for (const what of ["expired", "overCap", "retired", "parts", "quarantine", "reports"])
      expect(valueOf(families, "numbox_purged_rows_total", { what }), what).toBeGreaterThanOrEqual(0);
  });

  test("the process's own metrics are there", async ({ numbox }) => {
    const families = await scrape(numbox.url);
    expect(valueOf(families, "process_resident_memory_bytes")).toBeGreaterThan(0);
    expect(valueOf(families, "nodejs_eventloop_lag_seconds")).toBeGreaterThanOrEqual(0);
  });
});
