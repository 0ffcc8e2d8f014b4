import { describe, expect, it } from "vitest";
import { CODE_LIFETIME_MS, probablyExpired } from "./code-age";

describe("a code's age", () => {
  const at = "2026-11-22T10:00:00.000Z";
  const received = Date.parse(at);

  it("is fresh for the ten minutes services keep codes valid, then probably expired", () => {
    expect(probablyExpired(at, received)).toBe(false);
    expect(probablyExpired(at, received + CODE_LIFETIME_MS)).toBe(false);
    expect(probablyExpired(at, received + CODE_LIFETIME_MS + 1)).toBe(true);
  });

  it("is fresh when the source's clock is ahead of ours", () => {
    expect(probablyExpired(at, received - 60_000)).toBe(false);
  });
});
