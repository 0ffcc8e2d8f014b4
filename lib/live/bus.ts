import type { Message } from "@/lib/inbox/message";
import { describeError } from "@/lib/security/log";

type Listener = (message: Message) => void;

/**
 * In-process fan-out of newly stored messages to the streams and waits of this process, keyed by number.
 * Publishing happens after the commit, so a subscriber never sees a message the database does not have.
 */
export class MessageBus {
  private listeners = new Map<string, Set<Listener>>();

  subscribe(number: string, listener: Listener): () => void {
    let set = this.listeners.get(number);
    if (!set) this.listeners.set(number, (set = new Set()));
    set.add(listener);
    return () => {
      set.delete(listener);
      if (set.size === 0 && this.listeners.get(number) === set) this.listeners.delete(number);
    };
  }

  publish(message: Message): void {
    for (const listener of this.listeners.get(message.number) ?? []) {
      try {
        listener(message);
      } catch (error) {
        console.error("message listener failed:", describeError(error));
      }
    }
  }

  subscriberCount(number: string): number {
    return this.listeners.get(number)?.size ?? 0;
  }
}

// One bus per process, shared by every route bundle (and surviving dev reloads).
const state = globalThis as unknown as { __numboxBus?: MessageBus };
export const bus: MessageBus = (state.__numboxBus ??= new MessageBus());
