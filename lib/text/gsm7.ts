/**
 * GSM 03.38 (3GPP TS 23.038) default alphabet, unpacked: one septet per byte, as SMS-centre gateways (Kannel,
 * Jasmin) and smsd with `cs_convert = no` hand it over.
 */

// One character per septet value 0x00–0x7F (0x1B escapes to the extension table).
const GSM7_BASIC =
  "@£$¥èéùìòÇ\nØø\rÅåΔ_ΦΓΛΩΠΨΣΘΞ\u001bÆæßÉ !\"#¤%&'()*+,-./0123456789:;<=>?" +
  "¡ABCDEFGHIJKLMNOPQRSTUVWXYZÄÖÑÜ§¿abcdefghijklmnopqrstuvwxyzäöñüà";
const GSM7_EXTENSION: Record<number, string> = {
  0x0a: "\f",
  0x14: "^",
  0x28: "{",
  0x29: "}",
  0x2f: "\\",
  0x3c: "[",
  0x3d: "~",
  0x3e: "]",
  0x40: "|",
  0x65: "€",
};

const ESCAPE = 0x1b;

/** The first byte that is no septet (≥ 0x80), or undefined when every byte is one. */
export function firstNonSeptet(bytes: Uint8Array): number | undefined {
  return bytes.find((b) => b > 0x7f);
}

/**
 * Unpacked GSM 7-bit text. A byte ≥ 0x80 cannot be GSM: it is read as Latin-1, so that a gateway's mislabelled
 * text still shows (a caller that must refuse it checks `firstNonSeptet` first).
 */
export function decodeGsm7(bytes: Uint8Array): string {
  let out = "";
  for (let i = 0; i < bytes.length; i++) {
    const b = bytes[i]!;
    if (b === ESCAPE) {
      const next = bytes[i + 1];
      if (next === undefined) break; // a dangling escape at the end shows nothing
      i++;
      // An unknown extension shows the basic character (TS 23.038 §6.2.1.1); a second escape, a space.
      out += GSM7_EXTENSION[next] ?? (next === ESCAPE ? " " : basic(next));
    } else {
      out += basic(b);
    }
  }
  return out;
}

function basic(b: number): string {
  return b < 0x80 ? GSM7_BASIC[b]! : String.fromCharCode(b);
}
