import { describe, expect, it } from "vitest";
import { DrizzleQueryError } from "drizzle-orm/errors";
import { describeError } from "./log";

describe("describeError", () => {
  it("keeps the failed query and the driver's reason, drops the parameters", () => {
    const driver = Object.assign(new Error("duplicate key value violates unique constraint"), { code: "23505" });
    const error = new DrizzleQueryError("insert into gateways (id, secret) values ($1, $2)", ["modem-1", "whsec_TOPSECRET"], driver);
    const logged = describeError(error);
    expect(logged).toContain("insert into gateways (id, secret) values ($1, $2)");
    expect(logged).toContain("duplicate key value violates unique constraint [23505]");
    expect(logged).toMatch(/^\s+at /m);
    expect(logged).not.toContain("TOPSECRET");
    expect(logged).not.toContain("modem-1");
  });

  it("follows causes, and says nothing about values that are not errors", () => {
    const logged = describeError(new Error("outer", { cause: new TypeError("inner") }));
    expect(logged).toContain("Error: outer");
    expect(logged).toContain("cause: TypeError: inner");
    expect(describeError("Bearer nbx_secret")).toBe("thrown: string");
    expect(describeError(new Error("no frames"), { stack: false })).toBe("Error: no frames");
    expect(describeError(new Error("x", { cause: { token: "nbx_secret" } }))).not.toContain("nbx_secret");
  });
});
