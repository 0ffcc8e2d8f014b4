import { describe, expect, it } from "vitest";
import { AppError } from "@/lib/errors";
import { NO_PROXY, PEER_HEADER } from "./client-address";
import { OpenSlots, occupySlot } from "./open-slots";

const from = (peer: string, signal = new AbortController().signal) =>
  new Request("http://numbox.test/api/v1/numbers/998940373339/stream", { headers: { [PEER_HEADER]: peer }, signal });

describe("OpenSlots", () => {
  it("holds at most `limit` per key, and a release frees exactly one (twice is harmless)", () => {
    const slots = new OpenSlots(2);
    const a = slots.take("k")!;
    const b = slots.take("k")!;
    expect(slots.take("k")).toBeNull();
    expect(slots.take("other")).not.toBeNull();
    a();
    a();
    expect(slots.held("k")).toBe(1);
    expect(slots.take("k")).not.toBeNull();
    expect(slots.take("k")).toBeNull();
    b();
    expect(slots.held("k")).toBe(1);
  });
});

describe("occupySlot", () => {
  it("refuses the client's limit+1-th stream with 429 and Retry-After, and frees a slot when one aborts", () => {
    const peer = `198.51.100.${Math.floor(Math.random() * 200)}`;
    const first = new AbortController();
    occupySlot("streams", from(peer, first.signal), 2, NO_PROXY);
    occupySlot("streams", from(peer), 2, NO_PROXY);
    let refusal: unknown;
    try {
      occupySlot("streams", from(peer), 2, NO_PROXY);
    } catch (error) {
      refusal = error;
    }
    expect(refusal).toBeInstanceOf(AppError);
    expect((refusal as AppError).status).toBe(429);
    expect((refusal as AppError).code).toBe("rate_limited");
    expect(Number((refusal as AppError).headers["Retry-After"])).toBeGreaterThan(0);

    first.abort();
    expect(() => occupySlot("streams", from(peer), 2, NO_PROXY)).not.toThrow();
  });

  it("counts an IPv6 /64 as one client", () => {
    occupySlot("waits", from("2001:db8:77:1::1"), 1, NO_PROXY);
    expect(() => occupySlot("waits", from("2001:db8:77:1::2"), 1, NO_PROXY)).toThrow(AppError);
    expect(() => occupySlot("waits", from("2001:db8:77:2::1"), 1, NO_PROXY)).not.toThrow();
  });
});
