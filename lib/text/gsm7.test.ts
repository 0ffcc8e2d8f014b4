import { describe, expect, it } from "vitest";
import { decodeGsm7, firstNonSeptet } from "./gsm7";

const hex = (h: string) => Uint8Array.from(Buffer.from(h.replace(/\s/g, ""), "hex"));

describe("decodeGsm7", () => {
  it("has the whole GSM 03.38 default alphabet and its extension table", () => {
    const all = decodeGsm7(Uint8Array.from({ length: 128 }, (_, i) => i).filter((b) => b !== 0x1b));
    expect(all).toHaveLength(127);
    expect(all.slice(0, 10)).toBe("@£$¥èéùìòÇ");
    expect(all.slice(-5)).toBe("äöñüà");
    expect(decodeGsm7(hex("1B14 1B28 1B29 1B2F 1B3C 1B3D 1B3E 1B40 1B65"))).toBe("^{}\\[~]|€");
    expect(decodeGsm7(Uint8Array.from([0x1b, 0x14, 0x1b, 0x28, 0x1b, 0x29, 0x1b, 0x2f, 0x1b, 0x3d, 0x1b, 0x40]))).toBe(
      "^{}\\~|",
    );
    expect(decodeGsm7(hex("1B41"))).toBe("A"); // an unknown extension shows the basic character
  });

  it("shows a double escape as a space and drops a dangling one", () => {
    expect(decodeGsm7(hex("41 1B1B 42"))).toBe("A B");
    expect(decodeGsm7(hex("41 1B"))).toBe("A");
  });

  it("reads a byte that is no septet as Latin-1, and firstNonSeptet finds it", () => {
    expect(decodeGsm7(hex("41 C4 1B E9"))).toBe("AÄé");
    expect(firstNonSeptet(hex("41 C4"))).toBe(0xc4);
    expect(firstNonSeptet(hex("00 41 1B65 7F"))).toBeUndefined();
  });
});
