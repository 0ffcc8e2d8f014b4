// Numbox's HTTP server: Next.js behind a plain Node server, for two things Next's route handlers cannot see:
// - the request target exactly as the client sent it: Next re-encodes the query (":" → "%3A"), and providers
//   sign the URL they called byte for byte (MessageBird, Twilio, Plivo);
// - the socket peer's address, the only client address a client cannot forge (lib/limits/client-address.ts).
// Both are stamped into headers only this process sets: client-sent copies are overwritten.
import { createServer } from "node:http";
import next from "next";

const dev = process.argv.includes("--dev");
const port = Number(process.env.PORT || 3000);
const app = next({ dev, turbopack: dev, port });
const handle = app.getRequestHandler();

await app.prepare();
const server = createServer((req, res) => {
  req.headers["x-numbox-raw-url"] = req.url ?? "/";
  req.headers["x-numbox-peer"] = req.socket.remoteAddress ?? "";
  handle(req, res);
});
const upgrade = app.getUpgradeHandler(); // dev: hot reload over WebSocket
server.on("upgrade", (req, socket, head) => upgrade(req, socket, head));
server.listen(port, () => console.log(`> Numbox ${dev ? "(dev) " : ""}listening on http://localhost:${port}`));

// A clean exit releases the embedded database's lock file; SIGTERM is what process managers send.
for (const signal of ["SIGTERM", "SIGINT"]) {
  process.once(signal, () => {
    server.close();
    app.close().finally(() => process.exit(0));
    setTimeout(() => process.exit(0), 5000).unref();
  });
}
