import { EventSource } from "eventsource";
import { createPostgresDatabase, startServer, type TestServer } from "./servers";
import { Numbox, test, expect } from "./fixtures";

/**
 * Each instance keeps its own rendered pages; what one instance stores must still show on every other
 * instance's next page load (through the fan-out's NOTIFY), for the inbox, the country page and the home page,
 * and for an operator's edit made through another instance — which also reaches the streams open there.
 */
test("a message stored through one instance shows in the other instance's kept pages", async () => {
  test.setTimeout(120_000);
  const database = await createPostgresDatabase();
  const env = { ADMIN_TOKEN: "pages-token", DATABASE_URL: database.url };
  const servers: TestServer[] = [];
  let source: EventSource | undefined;
  try {
    servers.push(...(await Promise.all([startServer("pages-a", env), startServer("pages-b", env)])));
    const [a, b] = servers.map((s) => new Numbox(s.url, "pages-token")) as [Numbox, Numbox];
    const { gateway, key, number, digits } = await a.gatewayWithNumber();
    const page = async (path: string) => {
      const response = await b.get(path);
      expect(response.status, path).toBe(200);
      return response.text();
    };

    // B renders and keeps its pages before anything arrives.
    expect(await page(`/numbers/${digits}`)).toContain("No messages yet");
    expect(await page("/")).not.toContain(`/numbers/${digits}`);
    // The only number here: its card says when its last SMS came once one has.
    expect(await page("/countries/uz")).not.toContain("Last SMS");

    // A live page on B: its stream, open before anything arrives.
    const streamed: { type: string; id: number }[] = [];
    source = new EventSource(`${b.url}/api/v1/numbers/${digits}/stream?after=0`);
    for (const type of ["message", "hide"]) {
      source.addEventListener(type, (event) =>
        streamed.push({ type, id: (JSON.parse(event.data) as { id: number }).id }),
      );
    }

    const stored = await a.inbound(gateway, key, { to: number, from: "Telegram", text: "Telegram code: 51234" });
    expect(stored.status).toBe(200);
    const { ids } = (await stored.json()) as { ids: number[] };

    // The NOTIFY arrives soon after the commit; until then B may still answer with what it kept.
    await expect.poll(() => page(`/numbers/${digits}`)).toContain("Telegram code: 51234");
    await expect.poll(() => page("/")).toContain(`/numbers/${digits}`);
    await expect.poll(() => page("/countries/uz")).toContain("Last SMS");

    await expect.poll(() => streamed).toEqual([{ type: "message", id: ids[0] }]);

    // An operator hides it through A: gone from B's inbox, and from the page open on B.
    expect((await a.admin(`/messages/${ids[0]}`, { method: "DELETE" })).status).toBe(200);
    await expect.poll(() => page(`/numbers/${digits}`)).not.toContain("Telegram code: 51234");
    await expect
      .poll(() => streamed)
      .toEqual([
        { type: "message", id: ids[0] },
        { type: "hide", id: ids[0] },
      ]);
  } finally {
    source?.close();
    await Promise.all(servers.map((s) => s.stop()));
    await database.drop();
  }
});
