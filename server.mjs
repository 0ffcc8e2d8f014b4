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
  if (malformedPath(req.url ?? "/")) return refuseMalformedPath(res);
  handle(req, res);
});

// Next answers 500 to a path with a broken %-escape ("/numbers/%zz": it cannot decode the route's parameters),
// and a NUL ("%00") in a path parameter reaches Postgres, which refuses it. Both are the client's mistake: a 400
// saying so, with the headers next.config.ts gives every response.
function malformedPath(target) {
  try {
    return decodeURIComponent(target.split("?", 1)[0]).includes("\0");
  } catch {
    return true;
  }
}
function refuseMalformedPath(res) {
  res.writeHead(400, {
    "Content-Type": "application/json",
    "Cache-Control": "no-store",
    "X-Content-Type-Options": "nosniff",
    "Referrer-Policy": "no-referrer",
    "X-Frame-Options": "DENY",
    "Content-Security-Policy": "default-src 'none'; frame-ancestors 'none'",
  });
  res.end(JSON.stringify({ error: "malformed_path", detail: "The path has a malformed %-escape or a NUL." }));
}
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
