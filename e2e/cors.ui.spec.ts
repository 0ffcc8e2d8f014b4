import { createServer, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import { test, expect } from "./fixtures";

/**
 * A tester's tool on another origin: a tiny page served from a second server (its own port, so its own origin),
 * which reads the API with fetch and follows the live stream with EventSource, as a browser-based tool would.
 */
const TOOL = `<!doctype html>
<meta charset="utf-8">
<title>tool</title>
<ul id="messages"></ul>
<p id="fetched"></p>
<p id="refused"></p>
<p id="mcp"></p>
<script>
  const api = new URLSearchParams(location.search).get("api");
  const digits = new URLSearchParams(location.search).get("digits");
  fetch(api + "/api/v1/numbers/" + digits + "/messages?service=telegram")
    .then((r) => r.json())
    .then((page) => (document.getElementById("fetched").textContent = page.messages.map((m) => m.code).join(",")))
    .catch((e) => (document.getElementById("fetched").textContent = "failed: " + e));
  // The MCP server, as a browser-based agent calls it: JSON-RPC in a POST, which takes a preflight.
  fetch(api + "/api/mcp", {
    method: "POST",
    headers: {
      "Content-Type": "application/json",
      Accept: "application/json, text/event-stream",
      "Mcp-Protocol-Version": "2025-06-18",
    },
    body: JSON.stringify({ jsonrpc: "2.0", id: 1, method: "tools/list" }),
  })
    .then((r) => r.json())
    .then((answer) => (document.getElementById("mcp").textContent = answer.result.tools.map((t) => t.name).join(",")))
    .catch((e) => (document.getElementById("mcp").textContent = "failed: " + e));
  // A write from another origin stays refused: the report route answers no preflight for it.
  fetch(api + "/api/v1/numbers/" + digits + "/reports", {
    method: "POST",
    headers: { "Content-Type": "application/json" },
    body: JSON.stringify({ service: "WhatsApp" }),
  })
    .then((r) => (document.getElementById("refused").textContent = "answered " + r.status))
    .catch(() => (document.getElementById("refused").textContent = "blocked"));
  const stream = new EventSource(api + "/api/v1/numbers/" + digits + "/stream?after=0");
  stream.addEventListener("message", (event) => {
    const message = JSON.parse(event.data);
    const item = document.createElement("li");
    item.textContent = message.from + " " + message.code + " " + message.service;
    document.getElementById("messages").append(item);
  });
</script>`;

test.describe("a page on another origin", () => {
  let tool: Server;
  let toolUrl = "";
  test.beforeAll(async () => {
    tool = createServer((_req, res) => {
      res.writeHead(200, { "Content-Type": "text/html; charset=utf-8" });
      res.end(TOOL);
    });
    await new Promise<void>((resolve) => tool.listen(0, "127.0.0.1", resolve));
    // localhost for the tool, 127.0.0.1 for Numbox: two origins whatever the ports.
    toolUrl = `http://localhost:${(tool.address() as AddressInfo).port}/`;
  });
  test.afterAll(() => new Promise<void>((resolve) => tool.close(() => resolve())));

  test("reads the API with fetch, follows the stream with EventSource and calls the MCP server; cannot file a report", async ({
    numbox,
    page,
  }) => {
    const { gateway, key, number, digits } = await numbox.gatewayWithNumber();
    expect(
      (await numbox.inbound(gateway, key, { to: number, from: "Telegram", text: "Telegram code: 11111" })).status,
    ).toBe(200);
    await page.goto(`${toolUrl}?api=${encodeURIComponent(numbox.url)}&digits=${digits}`);
    expect(new URL(page.url()).origin).not.toBe(new URL(numbox.url).origin);

    await expect(page.locator("#fetched")).toHaveText("11111");
    await expect(page.locator("#refused")).toHaveText("blocked");
    await expect(page.locator("#mcp")).toContainText("get_messages");
    // The stream replays what is stored, then delivers what arrives.
    await expect(page.locator("#messages li")).toHaveText(["Telegram 11111 telegram"]);
    expect(
      (
        await numbox.inbound(gateway, key, {
          to: number,
          from: "VM-GOOGLE",
          text: "G-222222 is your Google verification code.",
        })
      ).status,
    ).toBe(200);
    await expect(page.locator("#messages li")).toHaveText(["Telegram 11111 telegram", "VM-GOOGLE 222222 google"]);
  });
});
