import { describe, expect, it } from "vitest";
import { refusal } from "@/lib/testing/refusal";
import { messagesQuery, noQuery, numbersQuery, parseCursorHeader, parseNumber, parseQuery, waitQuery } from "./schemas";

const messages = (query: string) => parseQuery(messagesQuery, new URLSearchParams(query));

describe("the public API's query schemas", () => {
  it("take text of the right length; absent or empty is absent", () => {
    expect(messages("q=code").q).toBe("code");
    expect(messages("").q).toBeUndefined();
    expect(messages("q=").q).toBeUndefined();
    // Characters, not UTF-16 units: two emoji are two characters.
    expect(messages(`q=${encodeURIComponent("😀😀")}`).q).toBe("😀😀");
  });

  it("refuse text too short or too long, or that the database cannot compare, naming the parameter", () => {
    expect(refusal(() => messages("q=a"))).toMatchObject({ status: 400, code: "invalid_parameter" });
    expect(refusal(() => messages(`q=${"a".repeat(101)}`))?.detail).toBe("'q' must be 2 to 100 characters long.");
    expect(refusal(() => messages("from=a%00b"))?.detail).toMatch(/^'from' must not contain control/);
    // URLSearchParams already turns a lone surrogate into U+FFFD; the schema refuses one all the same.
    expect(messagesQuery.shape.from.safeParse("a\ud800").error?.issues[0]?.message).toBe(
      "'from' must not contain control characters or broken UTF-16.",
    );
  });

  it("read integers and cursors as the API always did: digits only, within bounds", () => {
    expect(messages("limit=5&before=10&after=0")).toMatchObject({ limit: 5, before: 10, after: 0 });
    for (const limit of ["0", "101", "1e1", " 5", "5.0", "-1"]) {
      expect(refusal(() => messages(`limit=${encodeURIComponent(limit)}`))?.detail).toBe(
        "'limit' must be an integer from 1 to 100.",
      );
    }
    expect(refusal(() => messages("before=9007199254740993"))?.detail).toBe(
      "'before' must be a message id (a non-negative integer).",
    );
    expect(refusal(() => parseQuery(waitQuery(60), new URLSearchParams("timeout=61")))?.detail).toBe(
      "'timeout' must be an integer from 1 to 60.",
    );
    expect(parseCursorHeader("42")).toBe(42);
    expect(refusal(() => parseCursorHeader("x"))?.detail).toBe(
      "'Last-Event-ID' must be a message id (a non-negative integer).",
    );
  });

  it("name an unknown parameter and those the endpoint takes, in the documented order", () => {
    expect(refusal(() => messages("sevrice=google"))?.detail).toBe(
      "This endpoint does not take the parameter 'sevrice'. It takes 'limit', 'before', 'after', 'from', 'service', 'q'.",
    );
    expect(refusal(() => parseQuery(noQuery, new URLSearchParams("x=1")))?.code).toBe("unknown_parameter");
  });

  it("keep `?country=` a wrong country, and upper-case a right one", () => {
    const numbers = (query: string) =>
      parseQuery(numbersQuery, new URLSearchParams(query), { emptyIsWrong: ["country"] });
    expect(numbers("country=uz").country).toBe("UZ");
    expect(refusal(() => numbers("country="))?.detail).toBe("'country' must be an ISO 3166 two-letter code, e.g. UZ.");
  });

  it("read the number of a path with or without '+', else 400 invalid_number", () => {
    expect(parseNumber("998940373339")).toBe("+998940373339");
    expect(parseNumber("%2B998940373339")).toBe("+998940373339");
    expect(refusal(() => parseNumber("hello"))).toMatchObject({ status: 400, code: "invalid_number" });
  });
});
