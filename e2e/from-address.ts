import http from "node:http";
import type { TestServer } from "./servers";

/**
 * Requests from a chosen local address (any of 127.0.0.0/8 works on loopback): how the per-address tests play
 * several clients, or a proxy, from one machine. A new connection each time, read to the end.
 */
export type Reply = { status: number; headers: http.IncomingHttpHeaders; body: string };

export function sendFrom(
  server: TestServer,
  from: string,
  method: string,
  path: string,
  headers: Record<string, string> = {},
  body?: string,
): Promise<Reply> {
  return new Promise((resolve, reject) => {
    const url = new URL(server.url);
    const req = http.request(
      { host: url.hostname, port: url.port, method, path, localAddress: from, headers, agent: false },
      (res) => {
        let body = "";
        res.setEncoding("utf8");
        res.on("data", (chunk: string) => (body += chunk));
        res.on("end", () => resolve({ status: res.statusCode!, headers: res.headers, body }));
      },
    );
    req.on("error", reject);
    req.end(body);
  });
}

/** The statuses of `times` requests made one after another. */
export async function statuses(times: number, request: (i: number) => Promise<Reply>): Promise<number[]> {
  const out: number[] = [];
  for (let i = 0; i < times; i++) out.push((await request(i)).status);
  return out;
}
