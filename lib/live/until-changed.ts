import type { Db } from "@/db/client";
import { onChange } from "./fanout";

// The backstop: an announcement can be missed while an instance's LISTEN connection is down (reconnecting
// announces "everything" too, but a change made in between is only seen this long after).
const MAX_AGE_MS = 10_000;
// Lookups of ids nobody has are never kept; this bounds the ones that are (gateways, numbers).
const MAX_ENTRIES = 10_000;

type Entry<V> = { value: V; until: number };

/**
 * A lookup of what only the operator changes — a gateway and its numbers, whether a number is ours — kept in
 * memory, so that the hot paths (every ingest request, every stream open) do not read it from the database each
 * time. Every operator's change is announced as "everything", here at once and to the other instances by NOTIFY
 * (lib/admin/handler.ts), and empties it. Only found values are kept: an unknown id is looked up every time, so
 * that nobody can fill memory with misses, and a new gateway or number is seen at once.
 */
export function untilChanged<V>(load: (db: Db, key: string) => Promise<V | undefined>): (db: Db, key: string) => Promise<V | undefined> {
  // Per database handle: tests open several in one process.
  let kept = new WeakMap<Db, Map<string, Entry<V>>>();
  // Bumped by every change: a load that started before it must not keep what it read.
  let generation = 0;
  onChange((change) => {
    if (change !== "everything") return;
    generation++;
    kept = new WeakMap();
  });

  return async (db, key) => {
    const now = Date.now();
    const entry = kept.get(db)?.get(key);
    if (entry && entry.until > now) return entry.value;
    const started = generation;
    const value = await load(db, key);
    if (value !== undefined && started === generation) {
      let entries = kept.get(db);
      if (!entries) kept.set(db, (entries = new Map()));
      if (entries.size >= MAX_ENTRIES) entries.clear();
      entries.set(key, { value, until: now + MAX_AGE_MS });
    }
    return value;
  };
}
