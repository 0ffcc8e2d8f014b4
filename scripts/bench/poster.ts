/**
 * The live case's sender, in a process of its own (child_process.fork from live.ts): the bench process reads
 * thousands of streams, and a POST's answer read there would wait its turn behind their events — the POST's own
 * latency would grow with the subscribers even if the server answered at once. Here nothing else runs, so
 * `sent` and `answered` are the request's.
 *
 * Times are process.hrtime (CLOCK_MONOTONIC: one clock for every process on the machine), in ms, so they compare
 * with the receipts the bench process stamps with the same clock.
 */
import { monotonicMs } from "./sse-client";

export type Post = { seq: number; url: string; headers: Record<string, string>; body: string };
export type Posted = { seq: number; sent: number; answered: number; status: number; body: string };

process.on("message", (post: Post) => {
  void send(post).then((posted) => process.send!(posted));
});

async function send(post: Post): Promise<Posted> {
  const sent = monotonicMs();
  try {
    const response = await fetch(post.url, { method: "POST", headers: post.headers, body: post.body });
    const body = await response.text();
    return { seq: post.seq, sent, answered: monotonicMs(), status: response.status, body };
  } catch (error) {
    return { seq: post.seq, sent, answered: monotonicMs(), status: 0, body: String(error) };
  }
}
