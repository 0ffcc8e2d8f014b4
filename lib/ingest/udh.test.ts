import { describe, expect, it } from "vitest";
import { AppError } from "@/lib/errors";
import { udhConcatenation } from "./udh";

const hex = (h: string) => Uint8Array.from(Buffer.from(h.replace(/\s/g, ""), "hex"));

function errorOf(fn: () => unknown): unknown {
  try {
    fn();
  } catch (error) {
    return error;
  }
  return undefined;
}

describe("udhConcatenation", () => {
  it("reads 8-bit and 16-bit references, skipping other elements", () => {
    expect(udhConcatenation(hex("0500032A0201"))).toEqual({ ref: "42", total: 2, part: 1 });
    expect(udhConcatenation(hex("06080401020302"))).toEqual({ ref: "258", total: 3, part: 2 });
    expect(udhConcatenation(hex("06080412340302"), { wideRefPrefix: "16:" })).toEqual({
      ref: "16:4660",
      total: 3,
      part: 2,
    });
    expect(udhConcatenation(hex("0B05040B8423F00003070201"))).toEqual({ ref: "7", total: 2, part: 1 });
  });

  it("has no concatenation for port addressing alone or for part 1 of 1", () => {
    expect(udhConcatenation(hex("06050415810000"))).toBeNull();
    expect(udhConcatenation(hex("050003070101"))).toBeNull();
    expect(udhConcatenation(hex("050003070000"))).toEqual({ ref: "7", total: 0, part: 0 }); // validation refuses it
  });

  it("refuses an empty UDH, a length byte that disagrees and an element that overruns (422 bad_binary_encoding)", () => {
    for (const udh of ["", "0500030102", "0600032A0201", "0300032A", "0500042A0201"]) {
      expect(
        errorOf(() => udhConcatenation(hex(udh))),
        udh,
      ).toMatchObject({ status: 422, code: "bad_binary_encoding" });
      expect(errorOf(() => udhConcatenation(hex(udh)))).toBeInstanceOf(AppError);
    }
  });
});
