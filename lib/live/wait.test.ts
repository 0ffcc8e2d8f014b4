import { describe, expect, it } from "vitest";
import type { Message } from "@/lib/inbox/message";
import { matches } from "./wait";

const message: Message = {
  id: 7,
  number: "+998940373339",
  from: "VM-GOOGLE",
  text: "G-482913 is your Google verification code.",
  code: "482913",
  service: "google",
  links: [],
  receivedAt: "2026-11-30T05:00:00.000Z",
  createdAt: "2026-11-30T05:00:00.000Z",
  incomplete: false,
};

describe("what a wait matches", () => {
  it("the sender (any case), the service (its slug) and words of the text (any case), all of them", () => {
    expect(matches(message, {})).toBe(true);
    expect(matches(message, { from: "vm-google" })).toBe(true);
    expect(matches(message, { from: "Google" })).toBe(false);
    expect(matches(message, { service: "google" })).toBe(true);
    expect(matches(message, { service: "whatsapp" })).toBe(false);
    expect(matches(message, { contains: "VERIFICATION" })).toBe(true);
    expect(matches(message, { service: "google", contains: "verification", from: "VM-Google" })).toBe(true);
    expect(matches(message, { service: "google", contains: "password" })).toBe(false);
    expect(matches({ ...message, service: null }, { service: "google" })).toBe(false);
  });
});
