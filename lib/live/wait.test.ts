import { describe, expect, it } from "vitest";
import type { Message } from "@/lib/inbox/message";
import { MessageBus } from "./bus";
import { waitForMessage } from "./wait";

const message = (id: number, text: string): Message => ({
  id,
  number: "+998940373339",
  from: "Svc",
  text,
  code: null,
  receivedAt: new Date().toISOString(),
  createdAt: new Date().toISOString(),
  incomplete: false,
});

describe("waitForMessage", () => {
  it("is not answered by a late publish of a message at or before its cursor, only by a newer one", async () => {
    const bus = new MessageBus();
    const waiting = waitForMessage({
      number: "+998940373339",
      filter: {},
      after: 10,
      bus,
      stored: async () => [],
      timeoutMs: 2000,
      signal: new AbortController().signal,
    });
    await new Promise((r) => setTimeout(r, 10));
    bus.publish(message(10, "the newest when the wait began, announced late"));
    bus.publish(message(11, "new"));
    expect((await waiting)?.text).toBe("new");
  });
});
