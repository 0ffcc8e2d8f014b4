import { describe, expect, it } from "vitest";
import { AppError } from "./errors";
import { refuseUnstorable, storable, unstorableField } from "./unstorable";

describe("unstorableField", () => {
  it("names the field holding a NUL or an unpaired surrogate, as the admin API names fields", () => {
    expect(unstorableField({ service: "Google", note: "a\u0000b" })).toEqual({
      field: "note",
      problem: "contains a NUL character",
    });
    expect(unstorableField({ config: { allowIps: ["10.0.0.1", "\u0000"] } })?.field).toBe("config.allowIps.1");
    expect(unstorableField({ name: "bad \ud800 half" })).toEqual({
      field: "name",
      problem: "contains an unpaired UTF-16 surrogate",
    });
    expect(unstorableField("\u0000")?.field).toBe("body");
    // In a field's name, the object holding it is named.
    expect(unstorableField({ config: { "a\u0000": 1 } })).toEqual({
      field: "config",
      problem: "has a field name that contains a NUL character",
    });
  });

  it("passes everything else, emoji and every other control character included", () => {
    expect(unstorableField({ text: "код 4821 🔐\u0001\u007f", n: 1, ok: true, none: null, list: [[], {}] })).toBeNull();
  });

  it("walks a document nested deeper than the call stack", () => {
    const depth = 200_000;
    const deep = JSON.parse(`${"[".repeat(depth)}"\\u0000"${"]".repeat(depth)}`);
    const found = unstorableField(deep);
    expect(found?.problem).toBe("contains a NUL character");
    // Named by the end of its path, not by 400 000 characters of it.
    expect(found?.field).toMatch(/^…[.0]+$/);
    expect(found!.field.length).toBeLessThanOrEqual(121);
  });
});

describe("refuseUnstorable", () => {
  it("throws 422 invalid_fields naming the field", () => {
    expect(() => refuseUnstorable({ service: "Goo\u0000gle" })).toThrow(AppError);
    expect(() => refuseUnstorable({ service: "Goo\u0000gle" })).toThrow("service: contains a NUL character.");
    expect(() => refuseUnstorable({ service: "Google" })).not.toThrow();
  });
});

describe("storable", () => {
  it("writes a NUL out as \\u0000 and replaces an unpaired surrogate, leaving the rest as it was", () => {
    expect(storable("to: +998\u0000")).toBe("to: +998\\u0000");
    expect(storable("half \ud800 🔐")).toBe("half \ufffd 🔐");
    expect(storable("Ваш код 4821")).toBe("Ваш код 4821");
  });
});
