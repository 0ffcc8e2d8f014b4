/**
 * The yardstick of the live case: the least any SSE server can do on this machine, with the same client and the
 * same posting process as Numbox. Bare `node:http` in one process: `GET /stream/{number}` holds a stream,
 * `POST /publish/{number}` answers at once, then writes one pre-encoded event to every stream of that number in
 * a plain loop. No database, no framework, no replay: what is left of its delivery time is the machine, the
 * kernel's loopback and the bench's own client reading thousands of sockets.
 *
 * Written into a temporary directory as plain JavaScript, like the static Next app, so that nothing of it enters
 * the project's build, lint or tests.
 */
import fs from "node:fs";
import path from "node:path";
import { freePort, startServer, tempDir, type Server } from "./processes";

const SERVER = `// The bench's bare SSE server (scripts/bench/bare-sse.ts).
import { createServer } from "node:http";

const subscribers = new Map();
let lastId = 0;

const server = createServer((req, res) => {
  const [, kind, number] = req.url.split("/");
  if (req.method === "GET" && kind === "stream" && number) {
    res.writeHead(200, { "Content-Type": "text/event-stream", "Cache-Control": "no-cache" });
    res.write("retry: 3000\\n: connected\\n\\n");
    let streams = subscribers.get(number);
    if (!streams) subscribers.set(number, (streams = new Set()));
    streams.add(res);
    req.on("close", () => streams.delete(res));
    return;
  }
  if (req.method === "POST" && kind === "publish" && number) {
    const parts = [];
    req.on("data", (part) => parts.push(part));
    req.on("end", () => {
      const id = ++lastId;
      const body = JSON.parse(Buffer.concat(parts).toString("utf8"));
      const event = Buffer.from(
        "event: message\\nid: " + id + "\\ndata: " + JSON.stringify({ id, number: "+" + number, from: body.from, text: body.text, receivedAt: new Date().toISOString() }) + "\\n\\n",
      );
      res.writeHead(200, { "Content-Type": "application/json" });
      res.end(JSON.stringify({ accepted: 1, duplicates: 0, ids: [id] }));
      for (const stream of subscribers.get(number) ?? []) stream.write(event);
    });
    return;
  }
  res.writeHead(req.url === "/" ? 200 : 404, { "Content-Type": "text/plain" });
  res.end("bare SSE server");
});
server.keepAliveTimeout = 60_000;
server.listen(Number(process.env.PORT));
for (const signal of ["SIGTERM", "SIGINT"]) process.once(signal, () => process.exit(0));
`;

/** Starts the bare server; stopped at cleanup. Its streams: `/stream/{digits}`; its ingest: `/publish/{digits}`. */
export async function startBareSse(): Promise<Server> {
  const dir = tempDir("bare-sse");
  const file = path.join(dir, "server.mjs");
  fs.writeFileSync(file, SERVER);
  const port = await freePort();
  return startServer("bare node:http SSE", process.execPath, [file], {
    cwd: dir,
    env: { ...process.env, PORT: String(port) },
    port,
    readyPath: "/",
  });
}
