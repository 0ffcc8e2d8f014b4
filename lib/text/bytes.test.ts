import { describe, expect, it } from "vitest";
import { decodeBase64, decodeHex } from "./bytes";

describe("decodeHex", () => {
  it('reads hex in either case, around spaces, and no bytes from ""', () => {
    expect(decodeHex("48656c6C6f")).toEqual(Uint8Array.from([0x48, 0x65, 0x6c, 0x6c, 0x6f]));
    expect(decodeHex(" 0500 ")).toEqual(Uint8Array.from([0x05, 0x00]));
    expect(decodeHex("")).toEqual(new Uint8Array());
  });

  it("refuses an odd number of digits and anything that is no hex digit", () => {
    for (const value of ["05000", "zz", "0G", "05 00", "0x05"]) expect(decodeHex(value), value).toBeNull();
  });
});

describe("decodeBase64", () => {
  it("reads standard base64 with or without its padding", () => {
    expect(decodeBase64("aGk=")).toEqual(Uint8Array.from(Buffer.from("hi")));
    expect(decodeBase64("aGk")).toEqual(Uint8Array.from(Buffer.from("hi")));
    expect(decodeBase64("")).toEqual(new Uint8Array());
  });

  it("refuses what Buffer.from would silently skip or cut", () => {
    for (const value of ["***", "aGk=x", "a", "aG-k", "aGk===", " aGk="]) expect(decodeBase64(value), value).toBeNull();
  });
});
