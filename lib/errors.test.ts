import { describe, expect, it } from "vitest";
import { isDatabaseUnavailable } from "./errors";

const withCode = (code: string) => Object.assign(new Error("failed"), { code });
// drizzle wraps the driver's error: the code is on the cause.
const wrapped = (code: string) => new Error("Failed query: select 1", { cause: withCode(code) });

describe("which database errors mean 503 (retry later) rather than 500", () => {
  it.each([
    "ECONNREFUSED", // not running
    "CONNECT_TIMEOUT",
    "CONNECTION_CLOSED",
    "DATABASE_DEADLINE", // our client-side deadline
    "57P01", // terminated by a restart
    "57P03", // starting up
    "57014", // statement timeout
    "40001", // serialization failure
    "40P01", // deadlock
    "08006", // connection failure
    "53300", // too many connections
    "53100", // disk full
  ])("%s is unavailable", (code) => {
    expect(isDatabaseUnavailable(wrapped(code))).toBe(true);
  });

  it.each(["23505", "22P02", "42P01", "TypeError"])("%s is a bug of ours, not an outage", (code) => {
    expect(isDatabaseUnavailable(wrapped(code))).toBe(false);
  });
});
