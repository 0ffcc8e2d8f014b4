import { expect } from "vitest";
import { extractCode, findCode } from "./otp";

/**
 * Checks a message the way a visitor would: the code offered for copy, and which characters of the message are
 * highlighted. The expected highlight is written into the message: "Order 1234567: your code is ⟦4567⟧" is the
 * message without the brackets, and its highlight must be exactly the bracketed characters (not the "4567"
 * inside the order number). A message with a code and no brackets must have no highlight: its code is not
 * written as typed ("123 456", "٤٨٢١").
 */
export function expectCode(marked: string, code: string | null): void {
  const text = marked.replace(/[⟦⟧]/g, "");
  const found = findCode(text);
  expect(found?.code ?? null, "the code").toBe(code);
  expect(extractCode(text), "extractCode, what ingest stores").toBe(code);
  if (!found) return;
  const open = marked.indexOf("⟦");
  if (open < 0) {
    expect(found.span, "no highlight: the message does not write the code as typed").toBeNull();
    return;
  }
  const highlighted = { start: open, end: marked.indexOf("⟧") - 1 };
  expect(found.span, "the highlighted characters").toEqual(highlighted);
  expect(text.slice(highlighted.start, highlighted.end), "the highlight is the code").toBe(code);
}
