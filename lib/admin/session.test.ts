import { describe, expect, it } from "vitest";
import {
  endSessionCookie,
  isValidSession,
  newSession,
  SESSION_SECONDS,
  sessionCookie,
  sessionFromCookieHeader,
} from "./session";

const TOKEN = "the-admin-token";

describe("admin session", () => {
  it("accepts a session it signed until it expires, and not a second longer", () => {
    const now = Date.parse("2026-11-30T09:00:00Z");
    const session = newSession(TOKEN, now);
    expect(isValidSession(session, TOKEN, now)).toBe(true);
    expect(isValidSession(session, TOKEN, now + (SESSION_SECONDS - 1) * 1000)).toBe(true);
    expect(isValidSession(session, TOKEN, now + SESSION_SECONDS * 1000)).toBe(false);
  });

  it("signs everyone out when the admin token changes", () => {
    expect(isValidSession(newSession(TOKEN), "another-token")).toBe(false);
  });

  it("refuses a session with its expiry moved or its signature changed", () => {
    const session = newSession(TOKEN);
    const [expires, random, signature] = session.split(".");
    expect(isValidSession(`${Number(expires) + 3600}.${random}.${signature}`, TOKEN)).toBe(false);
    const flipped = signature!.startsWith("A") ? `B${signature!.slice(1)}` : `A${signature!.slice(1)}`;
    expect(isValidSession(`${expires}.${random}.${flipped}`, TOKEN)).toBe(false);
  });

  it("refuses nothing, garbage, and anything when the admin is off", () => {
    for (const value of [undefined, "", "x", "1.2.3", "99999999999.a.b", `${newSession(TOKEN)}x`])
      expect(isValidSession(value, TOKEN), String(value)).toBe(false);
    expect(isValidSession(newSession(TOKEN), undefined)).toBe(false);
  });

  it("never contains the token it was made with", () => {
    expect(newSession(TOKEN)).not.toContain(TOKEN);
  });

  it("sets an httpOnly, SameSite=Strict cookie for the admin pages only, Secure over https", () => {
    const plain = sessionCookie("v", { secure: false });
    expect(plain).toBe(`numbox_admin=v; Path=/admin; Max-Age=${SESSION_SECONDS}; HttpOnly; SameSite=Strict`);
    expect(sessionCookie("v", { secure: true })).toMatch(/; Secure$/);
    expect(endSessionCookie({ secure: true })).toBe(
      "numbox_admin=; Path=/admin; Max-Age=0; HttpOnly; SameSite=Strict; Secure",
    );
  });

  it("finds its cookie among others", () => {
    expect(sessionFromCookieHeader("a=1; numbox_admin=x.y.z; b=2")).toBe("x.y.z");
    expect(sessionFromCookieHeader("numbox_adminx=1")).toBeUndefined();
    expect(sessionFromCookieHeader(null)).toBeUndefined();
  });
});
