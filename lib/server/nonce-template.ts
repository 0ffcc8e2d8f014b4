import { createHash } from "node:crypto";
import { constants, crc32, deflateRawSync, gzipSync } from "node:zlib";

// A gzip member's fixed header: magic, deflate, no flags, no time, no extra flags, unknown OS (RFC 1952).
const GZIP_HEADER = Buffer.from([0x1f, 0x8b, 8, 0, 0, 0, 0, 0, 0, 0xff]);

// Deflate looks back at most this far for a repeat.
const WINDOW = 32 * 1024;

/**
 * A rendered body kept for many responses, each of which must carry its own CSP nonce: the body is cut where
 * the nonce it was rendered with appears, and every response fills the holes with a fresh one.
 *
 * Compressing a whole page again for every response would cost more than serving it. So each part between the
 * holes is deflated once, ending in a sync flush (byte-aligned, not final); a response is those parts with its
 * nonce between them as stored (uncompressed) deflate blocks, in one gzip member whose checksum is computed over
 * the filled body: a valid gzip stream (RFC 1951 §3.2.4) at the cost of a checksum pass, not a compression pass.
 * A part may still refer back to the text before it, as one stream would (a page cut in 26 places compresses
 * to 7 KiB instead of 12): it is deflated with what precedes it as its dictionary, every hole in it written as
 * NULs. No repeat can reach into a hole, since the text being compressed holds no NUL to match them; so each
 * hole must be filled with a nonce of the rendering nonce's length (every nonce is 16 random bytes in base64),
 * and a body that does hold a NUL is deflated part by part with no look-back.
 */
export class NonceTemplate {
  /** Identifies the content (the nonce aside): equal tags, equal pages. */
  readonly etag: string;
  /** Memory held, plain and compressed. */
  readonly bytes: number;
  private readonly deflated: Buffer[];

  private constructor(
    private readonly parts: Buffer[],
    private readonly holeLength: number,
  ) {
    const lookBack = !parts.some((part) => part.includes(0));
    const hole = Buffer.alloc(holeLength);
    this.deflated = parts.map((part, i) => {
      const finishFlush = i < parts.length - 1 ? constants.Z_SYNC_FLUSH : constants.Z_FINISH;
      if (!lookBack || i === 0) return deflateRawSync(part, { finishFlush });
      const before = Buffer.concat(parts.slice(0, i).flatMap((p) => [p, hole]));
      return deflateRawSync(part, { finishFlush, dictionary: before.subarray(Math.max(0, before.length - WINDOW)) });
    });
    const hash = createHash("sha256");
    for (const part of parts) hash.update(part);
    this.etag = `"${hash.digest("base64url").slice(0, 27)}"`;
    this.bytes = [...parts, ...this.deflated].reduce((sum, part) => sum + part.length, 0);
  }

  /** The body with a hole wherever `nonce` appears (none: one part, the same for every response). */
  static cut(body: Buffer, nonce: string | null): NonceTemplate {
    const parts: Buffer[] = [];
    if (nonce) {
      const needle = Buffer.from(nonce, "latin1");
      for (let at = body.indexOf(needle), from = 0; ; at = body.indexOf(needle, from)) {
        if (at === -1) {
          parts.push(body.subarray(from));
          break;
        }
        parts.push(body.subarray(from, at));
        from = at + needle.length;
      }
    } else {
      parts.push(body);
    }
    return new NonceTemplate(
      parts.map((part) => Buffer.from(part)),
      nonce ? Buffer.byteLength(nonce, "latin1") : 0,
    );
  }

  /** Whether responses differ from one another (the body holds a nonce). */
  get hasHoles(): boolean {
    return this.parts.length > 1;
  }

  /** The body with `nonce` in every hole. */
  fill(nonce: string): Buffer {
    return Buffer.concat(this.interleave(this.parts, Buffer.from(nonce, "latin1")));
  }

  /** The same body, gzip-encoded. */
  gzip(nonce: string): Buffer {
    const filler = Buffer.from(nonce, "latin1");
    if (this.hasHoles && filler.length !== this.holeLength) return gzipSync(this.fill(nonce));
    let crc = 0;
    let size = 0;
    for (const part of this.interleave(this.parts, filler)) {
      // Skipped when empty: Node 20's crc32 answers 0 for some empty buffers, whatever the running value.
      if (part.length > 0) crc = crc32(part, crc);
      size += part.length;
    }
    // A stored block: BFINAL 0, BTYPE 00, padded to the byte boundary the flush left, then LEN and its complement.
    const length = filler.length;
    const stored = Buffer.concat([
      Buffer.from([0, length & 0xff, length >> 8, ~length & 0xff, (~length >> 8) & 0xff]),
      filler,
    ]);
    const trailer = Buffer.alloc(8);
    trailer.writeUInt32LE(crc >>> 0, 0);
    trailer.writeUInt32LE(size >>> 0, 4);
    return Buffer.concat([GZIP_HEADER, ...this.interleave(this.deflated, stored), trailer]);
  }

  private interleave(parts: Buffer[], filler: Buffer): Buffer[] {
    return parts.flatMap((part, i) => (i === 0 ? [part] : [filler, part]));
  }
}
