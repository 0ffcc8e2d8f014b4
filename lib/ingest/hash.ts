import { createHash } from "node:crypto";

/** What makes two deliveries "the same message", so a reused id with other content is caught. */
export function contentHash(to: string, from: string, text: string): string {
  return createHash("sha256")
    .update(JSON.stringify([to, from, text]))
    .digest("hex");
}
