import { describe, expect, it } from "vitest";
import { isIndexable, isServiceIndexable } from "./indexable";

const NOW = new Date("2026-11-30T12:00:00Z");
const daysAgo = (d: number) => new Date(NOW.getTime() - d * 86_400_000);

describe("isIndexable", () => {
  it("indexes a number in service with messages inside the retention period", () => {
    expect(isIndexable({ status: "active", lastMessageAt: daysAgo(1) }, NOW, 7)).toBe(true);
    expect(isIndexable({ status: "paused", lastMessageAt: daysAgo(6.9) }, NOW, 7)).toBe(true);
    expect(isIndexable({ status: "active", lastMessageAt: daysAgo(1).toISOString() }, NOW, 7)).toBe(true);
  });

  it("leaves out retired numbers and empty inboxes", () => {
    expect(isIndexable({ status: "retired", lastMessageAt: daysAgo(1) }, NOW, 7)).toBe(false);
    expect(isIndexable({ status: "active", lastMessageAt: null }, NOW, 7)).toBe(false);
    // Its last message is older than what the purge keeps: nothing left to show.
    expect(isIndexable({ status: "active", lastMessageAt: daysAgo(7.1) }, NOW, 7)).toBe(false);
  });
});

describe("whether a service's page is indexable", () => {
  it("indexes a catalogue service received in the last 7 days, nothing else", () => {
    expect(isServiceIndexable({ inCatalogue: true, receivedRecently: true })).toBe(true);
    expect(isServiceIndexable({ inCatalogue: true, receivedRecently: false })).toBe(false);
    expect(isServiceIndexable({ inCatalogue: false, receivedRecently: true })).toBe(false);
  });
});
