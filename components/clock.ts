"use client";

import { useSyncExternalStore } from "react";

// Relative times are shown to the minute; a 30 s tick keeps "3 min ago" honest without re-rendering often.
const TICK_MS = 30_000;

// One shared timer for every time on the page, so a long inbox does not start one interval per message.
let now: number | undefined;
let timer: ReturnType<typeof setInterval> | undefined;
const listeners = new Set<() => void>();

function subscribe(listener: () => void) {
  listeners.add(listener);
  timer ??= setInterval(() => {
    now = Date.now();
    for (const notify of listeners) notify();
  }, TICK_MS);
  return () => {
    listeners.delete(listener);
    if (listeners.size > 0) return;
    clearInterval(timer);
    timer = undefined;
    now = undefined;
  };
}

function getSnapshot() {
  now ??= Date.now();
  return now;
}

// null tells the caller it is rendering on the server or hydrating, where the visitor's clock must not be used.
const getServerSnapshot = () => null;

/** The current time, updated every 30 s; null on the server and during hydration. */
export function useClock(): number | null {
  return useSyncExternalStore(subscribe, getSnapshot, getServerSnapshot);
}
