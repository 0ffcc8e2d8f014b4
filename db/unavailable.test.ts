import { describe, expect, it } from "vitest";
import { isDatabaseUnavailable } from "@/lib/errors";
import { openDatabase } from "./client";

describe("an unreachable Postgres", () => {
  it("fails to open with an error the routes answer as 503, so senders retry", async () => {
    // Port 1: nothing listens there, so the connection is refused at once.
    const failure = await openDatabase({ url: "postgres://postgres@127.0.0.1:1/x" }).catch((error: unknown) => error);
    expect(failure).toBeInstanceOf(Error);
    expect(isDatabaseUnavailable(failure)).toBe(true);
  });
});
