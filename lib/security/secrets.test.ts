import { describe, expect, it } from "vitest";
import { hasAdminToken } from "./admin-token";
import { bearerToken, hashKey, keyMatches, newApiKey, sameSecret } from "./secrets";

// Constant time by construction: both sides are SHA-256 hashed to 32 bytes, then compared with
// crypto.timingSafeEqual, so neither the length nor the first differing byte of a guess changes the time taken.
describe("secret comparison", () => {
  it("matches only the exact secret, whatever the lengths", () => {
    const token = "s3cret-admin-token";
    expect(sameSecret(token, token)).toBe(true);
    for (const guess of [
      "",
      "s",
      "s3cret-admin-toke",
      "s3cret-admin-token ",
      "S3cret-admin-token",
      token.repeat(100),
    ]) {
      expect(sameSecret(guess, token), JSON.stringify(guess.slice(0, 30))).toBe(false);
    }
  });

  it("checks API keys against their stored hash, and a malformed hash never matches", () => {
    const key = newApiKey();
    expect(key).toMatch(/^nbx_[A-Za-z0-9_-]{43}$/);
    expect(keyMatches(key, hashKey(key))).toBe(true);
    expect(keyMatches(`${key}x`, hashKey(key))).toBe(false);
    expect(keyMatches(key, "")).toBe(false);
    expect(keyMatches(key, "zz")).toBe(false);
  });

  it("reads the admin token only from a well-formed bearer header", () => {
    expect(bearerToken("Bearer abc")).toBe("abc");
    expect(bearerToken("bearer   abc  ")).toBe("abc");
    expect(bearerToken("Basic abc")).toBeNull();
    expect(bearerToken("Bearer a b")).toBeNull();
    expect(hasAdminToken("Bearer tok", "tok")).toBe(true);
    expect(hasAdminToken("Bearer tok2", "tok")).toBe(false);
    expect(hasAdminToken(null, "tok")).toBe(false);
  });
});
