/**
 * Rendered responses kept in memory until what they show changes. Framework-free: lib/server/respond.ts feeds
 * it from the HTTP server, and the live fan-out tells it what changed.
 *
 * What a response shows is its scope: one number's inbox (its page, its messages in the read API), or the lists
 * (home, country pages, the number and country lists), which show every number's last message and counts. A
 * change to a number makes its inbox responses and every list stale; a change to "everything" (an operator's
 * edit, a purge, the fan-out's connection coming back) makes every response stale.
 *
 * Staleness is decided by a logical clock rather than by deleting entries: a response remembers the clock when
 * its rendering began, and is fresh while nothing in its scope changed after that. A change that lands while a
 * page renders (so the page may or may not show it) therefore makes that page stale the moment it is stored.
 */
export type Scope = { kind: "lists" } | { kind: "inbox"; number: string };

export type Cached<T> = {
  value: T;
  /** Memory it holds, in bytes. */
  bytes: number;
  scope: Scope;
  /** The clock when rendering began (`ResponseCache.now()` then). */
  renderedAt: number;
  /** Wall-clock time it was stored, for the age bound. */
  storedAt: number;
};

export type CacheLimits = {
  /** Longest a response is served, changed or not: relative times ("3 min ago") and host health age by themselves. */
  maxAgeMs: number;
  maxEntries: number;
  maxBytes: number;
};

export class ResponseCache<T> {
  private entries = new Map<string, Cached<T>>();
  private bytes = 0;
  private clock = 0;
  private everythingChangedAt = 0;
  private listsChangedAt = 0;
  private numberChangedAt = new Map<string, number>();

  constructor(
    private readonly limits: CacheLimits,
    private readonly wallClock: () => number = Date.now,
  ) {}

  /** The clock to stamp on a response whose rendering begins now. */
  now(): number {
    return this.clock;
  }

  /** What changed: these numbers (their inboxes and the lists), or everything. */
  changed(what: readonly string[] | "everything"): void {
    const at = ++this.clock;
    this.listsChangedAt = at;
    if (what === "everything") {
      this.everythingChangedAt = at;
      // Every number's own mark is older now: no need to keep them.
      this.numberChangedAt.clear();
      this.entries.clear();
      this.bytes = 0;
      return;
    }
    for (const number of what) this.numberChangedAt.set(number, at);
  }

  /** The fresh response for `key`, or undefined. A hit becomes the most recently used. */
  get(key: string): Cached<T> | undefined {
    const entry = this.entries.get(key);
    if (!entry) return undefined;
    if (!this.isFresh(entry)) {
      this.delete(key, entry);
      return undefined;
    }
    this.entries.delete(key);
    this.entries.set(key, entry);
    return entry;
  }

  /** Keeps a response, unless something in its scope changed while it rendered. */
  set(key: string, entry: Cached<T>): void {
    const old = this.entries.get(key);
    if (old) this.delete(key, old);
    if (!this.isFresh(entry)) return;
    if (entry.bytes > this.limits.maxBytes) return;
    this.entries.set(key, entry);
    this.bytes += entry.bytes;
    // Least recently used first: a Map iterates in insertion order, and a hit re-inserts.
    for (const [oldest, victim] of this.entries) {
      if (this.entries.size <= this.limits.maxEntries && this.bytes <= this.limits.maxBytes) break;
      this.delete(oldest, victim);
    }
  }

  get size(): number {
    return this.entries.size;
  }

  private isFresh(entry: Cached<T>): boolean {
    if (this.wallClock() - entry.storedAt >= this.limits.maxAgeMs) return false;
    const changedAt =
      entry.scope.kind === "lists"
        ? this.listsChangedAt
        : Math.max(this.everythingChangedAt, this.numberChangedAt.get(entry.scope.number) ?? 0);
    return changedAt <= entry.renderedAt;
  }

  private delete(key: string, entry: Cached<T>): void {
    this.entries.delete(key);
    this.bytes -= entry.bytes;
  }
}
