import type { Db } from "@/db/client";
import { onChange } from "./fanout";

// The backstop: an announcement can be missed while an instance's LISTEN connection is down (reconnecting
// announces "everything" too, but a change made in between is only seen this long after).
const MAX_AGE_MS = 10_000;
// Lookups of ids nobody has are never kept; this bounds the ones that are (gateways, numbers).
const MAX_ENTRIES = 10_000;

type Entry<V> = { value: Promise<V | undefined>; until: number };

/**
 * A lookup of what only the operator changes — a gateway and its numbers, whether a number is ours — kept in
 * memory, so that the hot paths (every ingest request, every stream open) do not read it from the database each
 * time. Every operator's change is announced as "everything", here at once and to the other instances by NOTIFY
 * (lib/admin/handler.ts), and empties it. Lookups of one key made at once share one read (thousands of clients
 * reconnecting after a restart). Only found values are kept: an unknown id is looked up every time, so that
 * nobody can fill memory with misses, and a new gateway or number is seen at once.
 */
export function untilChanged<V>(
  load: (db: Db, key: string) => Promise<V | undefined>,
): (db: Db, key: string) => Promise<V | undefined> {
  // Per database handle: tests open several in one process.
  let kept = new WeakMap<Db, Map<string, Entry<V>>>();
  onChange((change) => {
    // A read under way is dropped with the rest: whoever asks next reads again.
    if (change === "everything") kept = new WeakMap();
  });

  return (db, key) => {
    const now = Date.now();
    let entries = kept.get(db);
    const entry = entries?.get(key);
    if (entry && entry.until > now) return entry.value;
    if (!entries) kept.set(db, (entries = new Map()));
    if (entries.size >= MAX_ENTRIES) entries.clear();
    const added: Entry<V> = { value: load(db, key), until: now + MAX_AGE_MS };
    const forget = () => entries.get(key) === added && entries.delete(key);
    added.value.then((value) => value === undefined && forget(), forget);
    entries.set(key, added);
    return added.value;
  };
}
