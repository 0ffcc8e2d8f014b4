import { setImmediate as nextTurn } from "node:timers/promises";
import type { Db } from "@/db/client";
import type { Message } from "@/lib/inbox/message";
import { inboxStart, messagesAfter } from "@/lib/inbox/messages";
import { metrics } from "@/lib/observability/metrics";
import { processWide } from "@/lib/process-wide";
import { describeError } from "@/lib/security/log";
import { log } from "@/lib/observability/log";

type Listener = (message: Message) => void;
/** Told the id of a message of its number that the operator hid (which it may have been sent already). */
type HiddenListener = (id: number) => void;

/** How the live side reads the database: only what is committed, so only what every reader may see. */
export type InboxReader = {
  // The newest message id of a number (hidden ones included, 0 for an empty inbox) and, read with it, its newest
  // visible messages (at most `limit`, oldest first).
  start(number: string, limit: number): Promise<{ newestId: number; latest: Message[] }>;
  // The visible messages after a cursor, oldest first.
  after(number: string, cursor: number, limit: number): Promise<Message[]>;
};

/** The reader over our database. */
export function databaseReader(db: Db): InboxReader {
  return {
    start: (number, limit) => inboxStart(db, number, limit),
    after: (number, cursor, limit) => messagesAfter(db, number, cursor, limit),
  };
}

// Rows read per query when catching up; a burst larger than this is read in several pages.
const PAGE = 500;
// After a failed read (the database restarting), try again this soon: the messages wait in the database.
const RETRY_MS = 1_000;
// Subscribers handed a message before the loop lets other work run (~10 ms of writes here): a fan-out to
// thousands must not hold the event loop (ingest answers, pages, other streams) for its whole length.
const DELIVERY_CHUNK = 1000;
// Recent messages each inbox keeps, so that a client that reconnects having missed no more than these replays
// from memory: after a restart, thousands of clients of one number come back over seconds, in waves, each of
// which read the database again (on the embedded database, on the thread that accepts their connections).
export const KEPT_MESSAGES = 20;

type Inbox = {
  number: string;
  // Each subscriber's message listener, and what it wants to hear of hidden messages.
  listeners: Map<Listener, HiddenListener | undefined>;
  // The newest id delivered here; null until the first read set it.
  cursor: number | null;
  ready: Promise<void>;
  // Something was stored since the last read.
  stale: boolean;
  reading: boolean;
  // Every visible message of the number with an id above `keptAfter`, up to the cursor (at most KEPT_MESSAGES),
  // oldest first: a replay from at or past `keptAfter` needs no read.
  kept: Message[];
  keptAfter: number;
};

/**
 * This process's live subscribers (streams, waits), and what they get: every visible message of their number,
 * once each, in id order, with no gaps. A store says "this number changed" (here, or through another instance's
 * NOTIFY); the inbox then reads what follows its cursor from the database, once for all its subscribers. (A store
 * in this process that knows its messages follow the cursor directly hands them over instead: `stored`.)
 * Announcements can arrive late or out of order across instances and async continuations; reading by cursor
 * cannot skip, because commits for one number happen in id order (lib/inbox/locks.ts).
 */
export class LiveInboxes {
  private inboxes = new Map<string, Inbox>();
  private reader: InboxReader | undefined;
  // Replays being read, by number and range: shared by whoever asks for the same one meanwhile.
  private replays = new Map<string, Promise<Message[]>>();

  /** Where to read from; set when the database opens. */
  useReader(reader: InboxReader): void {
    this.reader = reader;
  }

  /**
   * Delivers to `listener` every message of `number` stored after the returned promise resolves. A subscriber
   * that also reads the database itself (a replay, a wait's look at what is already there) must do so after
   * that: everything up to the point where delivery starts is visible to it then.
   */
  async subscribe(number: string, listener: Listener, onHidden?: HiddenListener): Promise<() => void> {
    const reader = this.reader;
    if (!reader) throw new Error("live inboxes used before the database was opened");
    let inbox = this.inboxes.get(number);
    if (!inbox) {
      const created: Inbox = {
        number,
        listeners: new Map(),
        cursor: null,
        ready: Promise.resolve(),
        stale: false,
        reading: false,
        kept: [],
        keptAfter: 0,
      };
      created.ready = reader.start(number, KEPT_MESSAGES).then(
        ({ newestId, latest }) => {
          created.cursor = newestId;
          created.kept = latest;
          // Fewer than asked for: they are all the number has.
          created.keptAfter = latest.length < KEPT_MESSAGES ? 0 : latest[0]!.id - 1;
          void this.catchUp(created);
        },
        (error: unknown) => {
          // Not remembered: the next subscriber tries again.
          if (this.inboxes.get(number) === created) this.inboxes.delete(number);
          throw error;
        },
      );
      this.inboxes.set(number, (inbox = created));
    }
    const joined = inbox;
    joined.listeners.set(listener, onHidden);
    const unsubscribe = () => {
      joined.listeners.delete(listener);
      if (joined.listeners.size === 0 && this.inboxes.get(number) === joined) this.inboxes.delete(number);
    };
    try {
      await joined.ready;
    } catch (error) {
      unsubscribe();
      throw error;
    }
    return unsubscribe;
  }

  /** Messages were stored for this number: subscribers here get them. Cheap when nobody here listens. */
  changed(number: string): void {
    const inbox = this.inboxes.get(number);
    if (!inbox) return;
    inbox.stale = true;
    void this.catchUp(inbox);
  }

  /**
   * This process just stored `messages` (oldest first) for `number`, and `before` is the id of the message the
   * number had before them (lib/ingest/store.ts). When that is where this inbox's cursor stands, nothing lies
   * between: the subscribers get them from hand, with no read. Otherwise (another instance's message came in
   * between, or a read is under way) the inbox reads by cursor as for any change.
   */
  stored(number: string, before: number | undefined, messages: Message[]): void {
    const inbox = this.inboxes.get(number);
    if (!inbox) return;
    if (before === undefined || inbox.reading || inbox.stale || inbox.cursor !== before) return this.changed(number);
    void this.catchUp(inbox, messages);
  }

  /** The operator hid a message of this number: subscribers here that asked are told its id. */
  hidden(number: string, id: number): void {
    const inbox = this.inboxes.get(number);
    if (inbox) inbox.kept = inbox.kept.filter((m) => m.id !== id);
    for (const onHidden of inbox?.listeners.values() ?? []) {
      try {
        onHidden?.(id);
      } catch (error) {
        log().error({ error: describeError(error) }, "live listener failed");
      }
    }
  }

  /**
   * Announcements may have been missed (the connection that hears them was lost), or the operator changed what
   * is there (a purge, hidden messages): look at every inbox, and forget what they kept.
   */
  changedEverywhere(): void {
    for (const [number, inbox] of this.inboxes) {
      // Every replay reads, until delivered messages fill it again.
      if (inbox.cursor !== null) [inbox.kept, inbox.keptAfter] = [[], inbox.cursor];
      this.changed(number);
    }
  }

  /**
   * The visible messages of `number` after `cursor` (at most `limit`), for a subscriber's replay, which it must
   * ask for after subscribing. From what this process's inbox keeps when the cursor is recent enough: the inbox
   * has every message up to its own cursor, and anything newer is delivered live. Otherwise from the database;
   * reads asked at once for the same range (a storm of reconnecting clients) share one query.
   */
  replay(number: string, cursor: number, limit: number): Promise<Message[]> {
    const inbox = this.inboxes.get(number);
    if (inbox && inbox.cursor !== null && cursor >= inbox.keptAfter)
      return Promise.resolve(inbox.kept.filter((m) => m.id > cursor).slice(0, limit));
    const reader = this.reader;
    if (!reader) return Promise.reject(new Error("live inboxes used before the database was opened"));
    const key = `${number} ${cursor} ${limit}`;
    let read = this.replays.get(key);
    if (!read) {
      read = reader.after(number, cursor, limit).finally(() => this.replays.delete(key));
      this.replays.set(key, read);
    }
    return read;
  }

  /** The newest id this process's inbox of `number` has delivered (its subscribers have been told of it), if any. */
  cursorOf(number: string): number | null {
    return this.inboxes.get(number)?.cursor ?? null;
  }

  subscriberCount(number: string): number {
    return this.inboxes.get(number)?.listeners.size ?? 0;
  }

  /**
   * Delivers `handed` (the messages right after the cursor), then reads and delivers what follows the cursor until
   * nothing is left; one reader per inbox at a time.
   */
  private async catchUp(inbox: Inbox, handed: Message[] = []): Promise<void> {
    if (inbox.reading || inbox.cursor === null || !this.reader) return;
    inbox.reading = true;
    try {
      await deliverAll(inbox, handed);
      while (inbox.stale && inbox.listeners.size > 0) {
        inbox.stale = false;
        const page = await this.reader.after(inbox.number, inbox.cursor, PAGE);
        await deliverAll(inbox, page);
        if (page.length === PAGE) inbox.stale = true;
      }
    } catch (error) {
      log().error({ error: describeError(error, { stack: false }) }, "live inbox read failed");
      inbox.stale = true;
      setTimeout(() => void this.catchUp(inbox), RETRY_MS).unref();
    } finally {
      inbox.reading = false;
    }
  }
}

/** Hands messages to the inbox's subscribers in order, moving its cursor along and keeping the latest. */
async function deliverAll(inbox: Inbox, page: Message[]): Promise<void> {
  for (const message of page) {
    inbox.cursor = message.id;
    inbox.kept.push(message);
    if (inbox.kept.length > KEPT_MESSAGES) inbox.keptAfter = inbox.kept.shift()!.id;
    await deliver(inbox, message);
  }
}

/**
 * Hands a message to the inbox's subscribers, a chunk at a time, each in a turn of the event loop of its own: the
 * first one too, so that the answer to the request that stored the message is written before any delivery.
 * Those who joined meanwhile read it in their replay; those who left are skipped.
 */
async function deliver(inbox: Inbox, message: Message): Promise<void> {
  const listeners = [...inbox.listeners.keys()];
  if (listeners.length === 0) return;
  const started = performance.now();
  for (let start = 0; start < listeners.length; start += DELIVERY_CHUNK) {
    await nextTurn();
    for (const listener of listeners.slice(start, start + DELIVERY_CHUNK)) {
      if (!inbox.listeners.has(listener)) continue;
      try {
        listener(message);
      } catch (error) {
        log().error({ error: describeError(error) }, "live listener failed");
      }
    }
  }
  metrics().fanoutSeconds.observe((performance.now() - started) / 1000);
}

// One per process, shared by every route bundle (and surviving dev reloads).
export const liveInboxes = processWide("live inboxes", () => new LiveInboxes());
