"use client";

import { useEffect, useEffectEvent, useState } from "react";
import type { Message } from "@/lib/inbox/message";

export type StreamStatus = "connecting" | "live" | "reconnecting" | "offline";

// EventSource gives up for good on a non-2xx answer or a wrong content type (a proxy error page, a restart);
// after this pause we open a fresh one from the newest id we hold.
const REOPEN_AFTER_MS = 5_000;

/**
 * Keeps ONE EventSource open to the number's stream (browsers allow ~6 connections per host across all tabs)
 * and reports its state. `cursor` is read at each (re)open so a fresh connection replays only what we lack.
 * `onHidden` hears the id of each message the operator hides while the page is open.
 */
export function useMessageStream(
  digits: string,
  cursor: () => number,
  onMessage: (message: Message) => void,
  onHidden: (id: number) => void,
): StreamStatus {
  const [status, setStatus] = useState<StreamStatus>("connecting");
  const readCursor = useEffectEvent(cursor);
  const deliver = useEffectEvent(onMessage);
  const hide = useEffectEvent(onHidden);

  useEffect(() => {
    let source: EventSource | undefined;
    let reopenTimer: ReturnType<typeof setTimeout> | undefined;

    const open = () => {
      const current = new EventSource(`/api/v1/numbers/${digits}/stream?after=${readCursor()}`);
      source = current;
      current.onopen = () => setStatus("live");
      current.addEventListener("message", (event) => {
        const message = parseMessage(event.data);
        if (message) deliver(message);
      });
      current.addEventListener("hide", (event) => {
        const id = parseHidden(event.data);
        if (id !== null) hide(id);
      });
      current.onerror = () => {
        if (current.readyState === EventSource.CONNECTING) {
          // The browser retries by itself (sending Last-Event-ID); we only say so.
          setStatus("reconnecting");
          return;
        }
        setStatus("offline");
        current.close();
        clearTimeout(reopenTimer);
        reopenTimer = setTimeout(open, REOPEN_AFTER_MS);
      };
    };

    open();
    return () => {
      clearTimeout(reopenTimer);
      source?.close();
    };
  }, [digits]);

  return status;
}

function parseMessage(data: unknown): Message | null {
  if (typeof data !== "string") return null;
  try {
    const value = JSON.parse(data) as Partial<Message> | null;
    return value && typeof value.id === "number" && typeof value.text === "string" ? (value as Message) : null;
  } catch {
    return null;
  }
}

function parseHidden(data: unknown): number | null {
  if (typeof data !== "string") return null;
  try {
    const value = JSON.parse(data) as { id?: unknown } | null;
    return typeof value?.id === "number" ? value.id : null;
  } catch {
    return null;
  }
}
