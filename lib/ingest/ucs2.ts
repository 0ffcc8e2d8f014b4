import { AppError } from "@/lib/errors";

/**
 * UCS-2 as SMS carries it: UTF-16BE code units (emoji as surrogate pairs), with no byte-order mark convention —
 * a leading U+FEFF is kept as the character it is.
 */

/** UTF-16BE bytes of a whole message, strictly: an odd length or a lone surrogate is 422 bad_ucs2 (§16.6 #19). */
export function decodeUcs2(bytes: Uint8Array): string {
  evenLength(bytes);
  try {
    return new TextDecoder("utf-16be", { fatal: true, ignoreBOM: true }).decode(bytes);
  } catch {
    throw new AppError("bad_ucs2", "The UCS-2 text contains a lone surrogate (half of an emoji or rare character).");
  }
}

/**
 * One UCS-2 part of a concatenated SMS: its bytes travel with it (a surrogate pair may straddle two parts and is
 * joined before decoding); its own text, decoded leniently, is only what a reader sees if the rest never comes.
 * An odd length is 422 bad_ucs2 already: no other part can complete a byte.
 */
export function ucs2Part(bytes: Uint8Array): { text: string; ucs2: Uint8Array } {
  evenLength(bytes);
  return { text: new TextDecoder("utf-16be", { ignoreBOM: true }).decode(bytes), ucs2: bytes };
}

function evenLength(bytes: Uint8Array): void {
  if (bytes.length % 2 !== 0) {
    throw new AppError("bad_ucs2", `The UCS-2 text has an odd number of bytes (${bytes.length}).`);
  }
}
