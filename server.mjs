// Numbox's HTTP server: Next.js behind a plain Node server, for two things Next's route handlers cannot see:
// - the request target exactly as the client sent it: Next re-encodes the query (":" → "%3A"), and providers
//   sign the URL they called byte for byte (MessageBird, Twilio, Plivo);
// - the socket peer's address, the only client address a client cannot forge (lib/limits/client-address.ts).
// Both are stamped into headers only this process sets: client-sent copies are overwritten.
import { createServer } from "node:http";
import next from "next";

const dev = process.argv.includes("--dev");
const port = Number(process.env.PORT || 3000);
// The same rule as lib/config.ts, which this plain-JS file cannot load: checked here because the port is bound
// before anything else runs.
if (!Number.isInteger(port) || port < 1 || port > 65535) {
  console.error(`\nNumbox cannot start: PORT must be an integer from 1 to 65535.\n`);
  process.exit(1);
}
const app = next({ dev, turbopack: dev, port });
const handle = app.getRequestHandler();

// The port is bound first, and only then is Next prepared (which goes on to open the database and apply
// migrations, in instrumentation.ts): a process that cannot have its port must end before it touches the
// database, not linger holding connections, taking part in the purge and hearing NOTIFYs without serving anyone.
let ready = false;
const server = createServer((req, res) => {
  req.headers["x-numbox-raw-url"] = req.url ?? "/";
  req.headers["x-numbox-peer"] = req.socket.remoteAddress ?? "";
  if (malformedPath(req.url ?? "/")) return refuseMalformedPath(res);
  if (!ready) return refuseWhileStarting(res);
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
  refuse(res, 400, "malformed_path", "The path has a malformed %-escape or a NUL.");
}
// Between binding the port and Next having loaded: a 503 that says so, which clients and modem hosts retry.
// (Once Next has loaded, requests wait for the database to open: Next holds them until instrumentation is done.)
function refuseWhileStarting(res) {
  refuse(res, 503, "starting", "The server is starting; try again in a few seconds.", { "Retry-After": "2" });
}
function refuse(res, status, error, detail, headers = {}) {
  res.writeHead(status, {
    "Content-Type": "application/json",
    "Cache-Control": "no-store",
    "X-Content-Type-Options": "nosniff",
    "Referrer-Policy": "no-referrer",
    "X-Frame-Options": "DENY",
    "Content-Security-Policy": "default-src 'none'; frame-ancestors 'none'",
    ...headers,
  });
  res.end(JSON.stringify({ error, detail }));
}
let upgrade = (req, socket) => socket.destroy(); // until Next is ready
server.on("upgrade", (req, socket, head) => upgrade(req, socket, head));

function cannotListen(error) {
  const why =
    error.code === "EADDRINUSE"
      ? `port ${port} is in use by another process`
      : error.code === "EACCES"
        ? `this user may not listen on port ${port}`
        : `cannot listen on port ${port} (${error.code ?? error.message})`;
  console.error(`\nNumbox cannot start: ${why}.\n`);
  process.exit(1);
}
server.once("error", cannotListen);
await new Promise((resolve) => server.listen(port, resolve));
server.off("error", cannotListen);
try {
  await app.prepare();
} catch (error) {
  console.error("\nNumbox cannot start: Next.js did not start.\n", error);
  process.exit(1);
}
upgrade = app.getUpgradeHandler(); // dev: hot reload over WebSocket
ready = true;
console.log(`> Numbox ${dev ? "(dev) " : ""}listening on http://localhost:${port}`);

// A clean exit releases the embedded database's lock file; SIGTERM is what process managers send.
for (const signal of ["SIGTERM", "SIGINT"]) {
  process.once(signal, () => {
    server.close();
    app.close().finally(() => process.exit(0));
    setTimeout(() => process.exit(0), 5000).unref();
  });
}
