import { describe, expect, it } from "vitest";
import { NOT_CLASSIFIED } from "@/lib/services/service";
import { messageOf } from "./message";

const row = {
  id: 1,
  number: "+998940373339",
  sender: "Telegram",
  text: "",
  code: null,
  service: "telegram",
  receivedAt: new Date("2026-11-30T05:00:00Z"),
  createdAt: new Date("2026-11-30T05:00:01Z"),
  incomplete: false,
};

describe("a message as the API sees it", () => {
  it("lists the safe links of its text, in order, as written and where they go", () => {
    const text =
      "Log in: https://t.me/login/51234, or www.example.com/a?b=1. Not javascript:alert(1), " +
      "https://google.com@evil.example, https://аpple.com or http://2130706433.";
    expect(messageOf({ ...row, text }).links).toEqual([
      { href: "https://t.me/login/51234", text: "https://t.me/login/51234" },
      { href: "https://www.example.com/a?b=1", text: "www.example.com/a?b=1" },
    ]);
    expect(messageOf({ ...row, text: "Telegram code: 51234" }).links).toEqual([]);
  });

  it("says its service, and none for a message not classified yet", () => {
    expect(messageOf(row).service).toBe("telegram");
    expect(messageOf({ ...row, service: null }).service).toBeNull();
    expect(messageOf({ ...row, service: NOT_CLASSIFIED }).service).toBeNull();
  });
});
