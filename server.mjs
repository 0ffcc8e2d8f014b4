// Numbox's HTTP server: Next.js behind a plain Node server, for what Next's route handlers cannot see or do:
// - the request target exactly as the client sent it: Next re-encodes the query (":" → "%3A"), and providers
//   sign the URL they called byte for byte (MessageBird, Twilio, Plivo);
// - the socket peer's address, the only client address a client cannot forge (lib/limits/client-address.ts);
// - request lines and targets Next answers with a 500 or not at all: they are refused here, as the client's
//   mistake, with a JSON 4xx like every other API error.
// The first two are stamped into headers only this process sets: client-sent copies are overwritten.
import { EventEmitter } from "node:events";
import { createServer, STATUS_CODES } from "node:http";
import next from "next";

const dev = process.argv.includes("--dev");
const port = Number(process.env.PORT || 3000);
// The same rule as lib/config.ts, which this plain-JS file cannot load: checked here because the port is bound
// before anything else runs.
if (!Number.isInteger(port) || port < 1 || port > 65535) {
  console.error(`\nNumbox cannot start: PORT must be an integer from 1 to 65535.\n`);
  process.exit(1);
}
// Next attaches its WebSocket handler (development's hot reload) to `httpServer`, else to the server of the first
// request it sees. Production has no use for it: given a server that is never listened on instead, a request
// asking to upgrade (a WebSocket, curl --http2's h2c) stays what it also is, a plain request that Node hands to
// the handler below; Next's handler hung up on it, or left it hanging.
const app = next({ dev, turbopack: dev, port, ...(dev ? {} : { httpServer: new EventEmitter() }) });
const handle = app.getRequestHandler();

// What every answer from here carries: the headers next.config.ts gives every response, and no caching.
const SECURITY_HEADERS = {
  "Cache-Control": "no-store",
  "X-Content-Type-Options": "nosniff",
  "Referrer-Policy": "no-referrer",
  "X-Frame-Options": "DENY",
  "Content-Security-Policy": "default-src 'none'; frame-ancestors 'none'",
};
// Every method some route of ours answers.
const ALLOW = "GET, HEAD, POST, PUT, PATCH, DELETE, OPTIONS";
// Fetch's forbidden methods: Next cannot even build a Request for them and answers 500. TRACE would echo the
// request back (cookies included) where it worked; CONNECT asks for a tunnel, and arrives as its own event;
// Node's parser refuses TRACK today, but a parser that learns it must not bring the 500 back.
const FORBIDDEN_METHODS = new Set(["TRACE", "TRACK", "CONNECT"]);

// The port is bound first, and only then is Next prepared (which goes on to open the database and apply
// migrations, in instrumentation.ts): a process that cannot have its port must end before it touches the
// database, not linger holding connections, taking part in the purge and hearing NOTIFYs without serving anyone.
let ready = false;
const server = createServer((req, res) => {
  if (FORBIDDEN_METHODS.has(req.method)) {
    return refuse(res, 405, "method_not_allowed", `${req.method} is not supported here.`, { Allow: ALLOW });
  }
  const target = originForm(req.url ?? "/");
  if (target === null) {
    // "OPTIONS *" asks what the server as a whole supports; "*" means nothing with any other method.
    if (req.method === "OPTIONS" && req.url === "*") {
      res.writeHead(204, { ...SECURITY_HEADERS, Allow: ALLOW });
      return res.end();
    }
    return refuse(res, 400, "malformed_target", "The request target must be a path starting with '/'.");
  }
  if (malformedPath(target)) return refuse(res, 400, "malformed_path", "The path has a malformed %-escape or a NUL.");
  // "The process answers": a liveness probe, true even while the server is still starting (GET /readyz says
  // whether it can serve: lib/server/health.ts). Never limited or logged.
  if (target === "/healthz" && (req.method === "GET" || req.method === "HEAD")) {
    const body = JSON.stringify({ status: "ok" });
    res.writeHead(200, { ...SECURITY_HEADERS, "Content-Type": "application/json", "Content-Length": body.length });
    return res.end(req.method === "HEAD" ? undefined : body);
  }
  req.url = target;
  req.headers["x-numbox-raw-url"] = target;
  req.headers["x-numbox-peer"] = req.socket.remoteAddress ?? "";
  if (!ready) {
    // Between binding the port and Next having loaded: a 503 that says so, which clients and modem hosts retry.
    // (Once Next has loaded, requests wait for the database to open: Next holds them until instrumentation is done.)
    return refuse(res, 503, "starting", "The server is starting; try again in a few seconds.", { "Retry-After": "2" });
  }
  // Public pages and the read API from memory when nothing changed (lib/server/respond.ts, installed once the
  // server has started); everything else, and everything before that, straight to Next.
  const respond = globalThis.__numboxRespond;
  if (respond) respond(req, res, () => handle(req, res));
  // The doors install as the server starts (instrumentation.ts): until then, it is not ready to serve.
  else if (target === "/readyz") refuse(res, 503, "starting", "The server is starting.", { "Retry-After": "2" });
  else handle(req, res);
});

// An idle keep-alive connection stays open 65 s, not Node's 5 s. A client or proxy that sends a request on a
// connection at the moment the server closes it loses that request ("other side closed"; a POST is never
// retried), so the other side must be the one that closes first: proxies' upstream idle timeouts are 60 s
// (nginx, cloud load balancers), and a busy client's own timer (Keep-Alive: timeout=65, less its margin) can
// fire late without meeting the server's. The headers timeout stays above it, as Node's documentation asks.
server.keepAliveTimeout = 65_000;
server.headersTimeout = 66_000;

// HTTP/1.1 lets a client name the whole URL ("GET http://host/path"), meant for proxies; a server must accept
// it. Its path is what counts: its host is ignored like the Host header (PUBLIC_URL names the site), and Next
// would otherwise answer with a redirect to whatever host it names. Null for anything else that is not a path.
function originForm(target) {
  if (target.startsWith("/")) return target;
  const absolute = /^https?:\/\/[^/?#]*(.*)$/is.exec(target);
  if (!absolute) return null;
  return absolute[1].startsWith("/") ? absolute[1] : `/${absolute[1]}`;
}

// Next answers 500 to a path with a broken %-escape ("/numbers/%zz": it cannot decode the route's parameters),
// and a NUL ("%00") in a path parameter reaches Postgres, which refuses it. Both are the client's mistake.
function malformedPath(target) {
  try {
    return decodeURIComponent(target.split("?", 1)[0]).includes("\0");
  } catch {
    return true;
  }
}

function refuse(res, status, error, detail, headers = {}) {
  const body = JSON.stringify({ error, detail });
  res.writeHead(status, {
    ...SECURITY_HEADERS,
    ...headers,
    "Content-Type": "application/json",
    "Content-Length": Buffer.byteLength(body),
  });
  res.end(body);
}

/** A refusal written straight to a socket that has no response object (CONNECT, unparseable requests), then closed. */
function refuseOnSocket(socket, status, error, detail, headers = {}) {
  const body = JSON.stringify({ error, detail });
  const fields = {
    ...SECURITY_HEADERS,
    ...headers,
    "Content-Type": "application/json",
    "Content-Length": Buffer.byteLength(body),
    Connection: "close",
  };
  const head = [
    `HTTP/1.1 ${status} ${STATUS_CODES[status]}`,
    ...Object.entries(fields).map(([name, value]) => `${name}: ${value}`),
  ];
  socket.end(`${head.join("\r\n")}\r\n\r\n${body}`, () => socket.destroy());
}

server.on("connect", (req, socket) => {
  refuseOnSocket(socket, 405, "method_not_allowed", "CONNECT is not supported here: this is not a proxy.", {
    Allow: ALLOW,
  });
});

// What Node's parser refuses before any of our code runs (an unknown method, a broken request line or header,
// headers past 16 KiB): the status Node would send, with a JSON body and our headers instead of an empty one.
const PARSER_REFUSALS = {
  HPE_HEADER_OVERFLOW: [431, "headers_too_large", "The request's headers are larger than the server accepts."],
  HPE_CHUNK_EXTENSIONS_OVERFLOW: [
    413,
    "payload_too_large",
    "The request's chunk extensions are larger than the server accepts.",
  ],
  ERR_HTTP_REQUEST_TIMEOUT: [408, "request_timeout", "The request did not arrive in time."],
};
server.on("clientError", (error, socket) => {
  // Nothing can be said on a connection that is gone, or in the middle of a response already under way.
  if (error.code === "ECONNRESET" || !socket.writable || socket._httpMessage?.headersSent) return socket.destroy();
  const [status, code, detail] = PARSER_REFUSALS[error.code] ?? [
    400,
    "malformed_request",
    "The request is not valid HTTP/1.1.",
  ];
  refuseOnSocket(socket, status, code, detail);
});

// Development's hot reload over WebSocket; Next's handler exists only once it is prepared.
let upgrade = (req, socket) => socket.destroy();
if (dev) server.on("upgrade", (req, socket, head) => upgrade(req, socket, head));

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
// Connections the kernel may hold before we accept them: Node's default is 511. After a restart, every client
// of every live stream reconnects within a second or two; past the queue, a client's connection attempt is
// dropped and retried after 1, 3, 7, 15 s (TCP's backoff). The kernel caps this at net.core.somaxconn.
const BACKLOG = 65535;
await new Promise((resolve) => server.listen({ port, backlog: BACKLOG }, resolve));
server.off("error", cannotListen);
try {
  await app.prepare();
} catch (error) {
  console.error("\nNumbox cannot start: Next.js did not start.\n", error);
  process.exit(1);
}
if (dev) upgrade = app.getUpgradeHandler();
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
