import { Client } from "@modelcontextprotocol/sdk/client/index.js";
import { StreamableHTTPClientTransport } from "@modelcontextprotocol/sdk/client/streamableHttp.js";
import { test, expect, type Numbox } from "./fixtures";

type ToolResult = { isError?: boolean; content: { type: string; text?: string }[] };

/** The SDK's own client, connected to the running server's /api/mcp as an agent would be. */
async function connect(numbox: Numbox): Promise<Client> {
  const client = new Client({ name: "numbox-e2e", version: "1.0.0" });
  await client.connect(new StreamableHTTPClientTransport(new URL(`${numbox.url}/api/mcp`)));
  return client;
}

async function call(client: Client, name: string, args: Record<string, unknown> = {}) {
  const result = (await client.callTool({ name, arguments: args })) as ToolResult;
  const text = result.content.find((c) => c.type === "text")?.text ?? "";
  return { isError: result.isError === true, text, json: () => JSON.parse(text) };
}

test.describe("the MCP server", () => {
  test("lists its read-only tools, each saying what it returns", async ({ numbox }) => {
    const client = await connect(numbox);
    try {
      const { tools } = await client.listTools();
      expect(tools.map((t) => t.name).sort()).toEqual([
        "get_messages",
        "list_countries",
        "list_numbers",
        "wait_for_code",
      ]);
      for (const tool of tools) {
        expect(tool.annotations?.readOnlyHint, tool.name).toBe(true);
        expect(tool.description, tool.name).toMatch(/JSON/);
      }
      const wait = tools.find((t) => t.name === "wait_for_code")!;
      expect(wait.description).toMatch(/timeout/i);
      expect(wait.inputSchema.required).toEqual(["number"]);
    } finally {
      await client.close();
    }
  });

  test("list_countries, list_numbers and get_messages answer what the API answers", async ({ numbox }) => {
    const { gateway, key, number, digits } = await numbox.gatewayWithNumber();
    const sent = { from: "Telegram", text: "Telegram code: 70412. Do not give this code to anyone." };
    expect((await numbox.inbound(gateway, key, { to: number, ...sent })).status).toBe(200);
    const client = await connect(numbox);
    try {
      const countries = await call(client, "list_countries");
      expect(countries.isError).toBe(false);
      // What GET /api/v1/countries answers (other tests add numbers meanwhile: the counts may have moved on).
      for (const country of countries.json()) {
        expect(country).toEqual({
          code: expect.stringMatching(/^[A-Z]{2}$/),
          name: expect.any(String),
          numbers: expect.any(Number),
        });
      }
      expect(countries.json()).toContainEqual({ code: "UZ", name: "Uzbekistan", numbers: expect.any(Number) });

      const numbers = (await call(client, "list_numbers", { country: "uz", service: "telegram" })).json();
      expect(numbers.map((n: { number: string }) => n.number)).toContain(number);
      const whatsapp = (await call(client, "list_numbers", { country: "UZ", service: "whatsapp-none" })).json();
      expect(whatsapp).toEqual([]);

      const page = await call(client, "get_messages", { number: digits, service: "telegram" });
      expect(page.isError).toBe(false);
      expect(page.json()).toMatchObject({ messages: [{ number, ...sent, code: "70412", service: "telegram" }] });
      expect(page.json()).toEqual(
        await (await numbox.get(`/api/v1/numbers/${digits}/messages?service=telegram`)).json(),
      );
      expect((await call(client, "get_messages", { number, q: "nothing like this" })).json().messages).toEqual([]);

      const unknown = await call(client, "get_messages", { number: "+998900000001" });
      expect(unknown.isError).toBe(true);
      expect(unknown.text).toMatch(/not one of our numbers/);
    } finally {
      await client.close();
    }
  });

  test("wait_for_code answers with the code of a message that arrives after the call started", async ({ numbox }) => {
    const { gateway, key, number } = await numbox.gatewayWithNumber();
    const client = await connect(numbox);
    try {
      // The cursor is the newest message now (none yet): whatever arrives after the call starts counts, whether it
      // lands before or after the server subscribes, so the test needs no pause to be sure of the order.
      const { messages } = (await call(client, "get_messages", { number })).json();
      const after = messages[0]?.id ?? 0;
      const waiting = call(client, "wait_for_code", { number, service: "whatsapp", after, timeout: 60 });
      const posted = await numbox.inbound(gateway, key, {
        messages: [
          { to: number, from: "Telegram", text: "Telegram code: 11111" },
          { to: number, from: "+12025550143", text: "<#> Your WhatsApp code: 482-913" },
        ],
      });
      expect(posted.status).toBe(200);
      const found = await waiting;
      expect(found.isError).toBe(false);
      expect(found.json()).toMatchObject({ number, service: "whatsapp", code: expect.stringMatching(/^482-?913$/) });
    } finally {
      await client.close();
    }
  });

  test("wait_for_code says so on timeout and gives the cursor to wait again with", async ({ numbox }) => {
    const { number } = await numbox.gatewayWithNumber();
    const client = await connect(numbox);
    try {
      const result = await call(client, "wait_for_code", { number, from: "Nobody", timeout: 1 });
      expect(result.isError).toBe(false);
      expect(result.json()).toMatchObject({ timedOut: true, after: 0 });
      expect(result.json().hint).toMatch(/after=0/);
    } finally {
      await client.close();
    }
  });
  test("refuses bad input by naming it: a tool argument out of range, a body that is not JSON-RPC", async ({
    numbox,
  }) => {
    const { number } = await numbox.gatewayWithNumber();
    const client = await connect(numbox);
    try {
      const tooLong = await call(client, "wait_for_code", { number, timeout: 100_000 });
      expect(tooLong.isError).toBe(true);
      expect(tooLong.text).toMatch(/timeout/);
      const notANumber = await call(client, "get_messages", { number: "hello" });
      expect(notANumber).toMatchObject({
        isError: true,
        text: "The number must be in E.164 form, with or without '+'.",
      });
    } finally {
      await client.close();
    }
    const garbled = await fetch(`${numbox.url}/api/mcp`, {
      method: "POST",
      headers: { "Content-Type": "application/json", Accept: "application/json, text/event-stream" },
      body: "{not json",
    });
    expect(garbled.status).toBe(400);
    expect(await garbled.json()).toMatchObject({ jsonrpc: "2.0", error: { code: -32700 } });
    const get = await numbox.get("/api/mcp");
    expect(get.status).toBe(405);
    expect(get.headers.get("allow")).toBe("POST");
  });
});
