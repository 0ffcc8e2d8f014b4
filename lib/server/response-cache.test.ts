import { describe, expect, it } from "vitest";
import { ResponseCache, type Scope } from "./response-cache";

const inbox = (number: string): Scope => ({ kind: "inbox", number });
const lists: Scope = { kind: "lists" };

function cacheAt(clock: { now: number }, limits = { maxAgeMs: 30_000, maxEntries: 100, maxBytes: 1_000_000 }) {
  const cache = new ResponseCache<string>(limits, () => clock.now);
  const keep = (key: string, scope: Scope, renderedAt = cache.now(), bytes = 10) =>
    cache.set(key, { value: key, bytes, scope, renderedAt, storedAt: clock.now });
  return { cache, keep };
}

describe("the response cache", () => {
  it("keeps an answer until its number changes; other numbers' answers stay", () => {
    const { cache, keep } = cacheAt({ now: 0 });
    keep("/numbers/1", inbox("+1"));
    keep("/numbers/2", inbox("+2"));
    cache.changed(["+1"]);
    expect(cache.get("/numbers/1")).toBeUndefined();
    expect(cache.get("/numbers/2")?.value).toBe("/numbers/2");
  });

  it("makes every list stale when any number changes, and everything stale on 'everything'", () => {
    const { cache, keep } = cacheAt({ now: 0 });
    keep("/", lists);
    keep("/numbers/2", inbox("+2"));
    cache.changed(["+1"]);
    expect(cache.get("/")).toBeUndefined();
    expect(cache.get("/numbers/2")).toBeDefined();
    keep("/", lists);
    cache.changed("everything");
    expect(cache.get("/")).toBeUndefined();
    expect(cache.get("/numbers/2")).toBeUndefined();
  });

  it("never keeps an answer whose number changed while it rendered", () => {
    const { cache, keep } = cacheAt({ now: 0 });
    const renderedAt = cache.now(); // rendering begins
    cache.changed(["+1"]); // a message lands before the answer is stored
    keep("/numbers/1", inbox("+1"), renderedAt);
    keep("/", lists, renderedAt);
    expect(cache.get("/numbers/1")).toBeUndefined();
    expect(cache.get("/")).toBeUndefined();
    keep("/numbers/1", inbox("+1")); // rendered after the change: fresh
    expect(cache.get("/numbers/1")).toBeDefined();
  });

  it("lets answers age out, changed or not", () => {
    const clock = { now: 0 };
    const { cache, keep } = cacheAt(clock);
    keep("/", lists);
    clock.now = 29_999;
    expect(cache.get("/")).toBeDefined();
    clock.now = 30_000;
    expect(cache.get("/")).toBeUndefined();
  });

  it("drops the least recently used answers past its entry and byte bounds", () => {
    const { cache, keep } = cacheAt({ now: 0 }, { maxAgeMs: 30_000, maxEntries: 3, maxBytes: 100 });
    keep("a", lists);
    keep("b", lists);
    keep("c", lists);
    cache.get("a"); // a is used again: b is now the oldest
    keep("d", lists);
    expect([..."abcd"].filter((key) => cache.get(key))).toEqual(["a", "c", "d"]);
    keep("big", lists, cache.now(), 95);
    expect(cache.size).toBe(1);
    keep("huge", lists, cache.now(), 101); // larger than the whole cache: not kept, nothing evicted for it
    expect(cache.get("big")).toBeDefined();
    expect(cache.get("huge")).toBeUndefined();
  });
});
