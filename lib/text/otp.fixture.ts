import { expect } from "vitest";
import { extractCode, findCode } from "./otp";

/** Zero of each digit block the messages are written in: ASCII, Arabic-Indic, Persian, Devanagari, full-width. */
const ZEROS = [0x30, 0x660, 0x6f0, 0x966, 0xff10];

/** The run as the user types it: every digit in ASCII, the separator of a split code ("123 456", "123-456") out. */
function typed(run: string): string {
  return [...run]
    .filter((ch) => ch !== " " && ch !== "-")
    .map((ch) => {
      const cp = ch.codePointAt(0)!;
      const zero = ZEROS.find((z) => cp >= z && cp <= z + 9);
      return zero === undefined ? ch : String(cp - zero);
    })
    .join("");
}

/**
 * Checks a message the way a visitor would: the code offered for copy, and which characters of the message are
 * highlighted. The expected highlight is written into the message: "Order 1234567: your code is ⟦4567⟧" is the
 * message without the brackets, and its highlight must be exactly the bracketed characters (not the "4567"
 * inside the order number). The brackets mark the run the code is read from, as written: "⟦123 456⟧",
 * "⟦١٢٣٤٥٦⟧" for the code "123456"; "G-⟦123456⟧" (a prefix is not the code). Every message with a code marks one.
 */
export function expectCode(marked: string, code: string | null): void {
  const text = marked.replace(/[⟦⟧]/g, "");
  const found = findCode(text);
  expect(found?.code ?? null, "the code").toBe(code);
  expect(extractCode(text), "extractCode, what ingest stores").toBe(code);
  const open = marked.indexOf("⟦");
  const close = marked.indexOf("⟧");
  if (code === null) {
    expect(open, "a message without a code marks no highlight").toBe(-1);
    return;
  }
  expect(open >= 0 && close > open && marked.lastIndexOf("⟦") === open, "the message marks one highlight").toBe(true);
  const run = marked.slice(open + 1, close);
  expect(typed(run), "the marked run is the code as written").toBe(code);
  expect(text.slice(found!.start, found!.end), "the highlighted characters").toBe(run);
  expect({ start: found!.start, end: found!.end }, "the highlight's place").toEqual({ start: open, end: close - 1 });
}
