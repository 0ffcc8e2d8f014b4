import { describe, expect, it } from "vitest";
import { countryName, countryOf, digitsOf, e164, formatInternational, normalizeNumber, toE164 } from "./phone";

describe("normalizeNumber", () => {
  it.each([
    ["+998940373339", "+998940373339"],
    ["998940373339", "+998940373339"],
    ["+998 94 037-33-39", "+998940373339"],
    ["(+1) 202-555-0143", "+12025550143"],
    ["+1 (202) 555-0143", "+12025550143"],
    ["12025550143", "+12025550143"],
    ["+1.415.555.0199", "+14155550199"],
    ["  +44 7400 123456  ", "+447400123456"],
    ["+44 20 7946 0018", "+442079460018"],
    ["+7 999 123-45-67", "+79991234567"],
    ["+86 138 0013 8000", "+8613800138000"],
    ["+49 151 23456789", "+4915123456789"],
    ["+33 6 12 34 56 78", "+33612345678"],
    ["+380 50 123 4567", "+380501234567"],
    ["+971 50 123 4567", "+971501234567"],
    ["+800 1234 5678", "+80012345678"], // international freephone: valid, no country
  ])("%j → %s", (input, expected) => {
    expect(normalizeNumber(input)).toBe(expected);
  });

  it.each([
    [""],
    ["   "],
    ["+"],
    ["abc"],
    ["+1 202 CALL NOW"],
    ["call +12025550143"],
    ["+12025550143 ext. 12"],
    ["12345"], // too short
    ["+99894037333"], // one digit short for Uzbekistan
    ["+9989403733391234"], // too long
    ["+1234567890123456789"], // longer than E.164 allows
    ["+0123"],
    ["+0998940373339"],
    ["++12025550143"],
    ["+1+2025550143"],
    ["1+2025550143"],
    ["+1202555\u00000143"], // NUL in the middle
    ["\u0000+12025550143"],
    ["+11234567890"], // NANP area codes cannot start with 1
    ["2025550143"], // national US form: read as +20 (Egypt) and invalid
    ["+998001234567"], // unassigned Uzbek range
    ["+44 7700 900123"], // Ofcom drama range: libphonenumber itself rejects it
    ["+1 202 555 0143".repeat(3)],
  ])("%j → null", (input) => {
    expect(normalizeNumber(input)).toBeNull();
  });
});

describe("countryOf", () => {
  it.each([
    ["+998940373339", "UZ"],
    ["+12025550143", "US"],
    ["+12423591234", "BS"], // shares +1 with the US, resolved by area code
    ["+447400123456", "GB"],
    ["+79991234567", "RU"],
    ["+8613800138000", "CN"],
    ["+971501234567", "AE"],
  ])("%s → %s", (e164, expected) => {
    expect(countryOf(e164)).toBe(expected);
  });

  it.each([["+80012345678"], [""], ["not a number"], ["998940373339"]])("%j → null", (input) => {
    expect(countryOf(input)).toBeNull();
  });
});

describe("digitsOf", () => {
  it.each([
    ["+998940373339", "998940373339"],
    ["+12025550143", "12025550143"],
    ["", ""],
  ])("%j → %j", (e164, expected) => {
    expect(digitsOf(e164)).toBe(expected);
  });
});

describe("formatInternational", () => {
  it.each([
    ["+998940373339", "+998 94 037 33 39"],
    ["+12025550143", "+1 202 555 0143"],
    ["+447400123456", "+44 7400 123456"],
    ["+79991234567", "+7 999 123 45 67"],
    ["+8613800138000", "+86 138 0013 8000"],
    ["garbage", "garbage"],
  ])("%s → %s", (e164, expected) => {
    expect(formatInternational(e164)).toBe(expected);
  });
});

describe("countryName", () => {
  it.each([
    ["UZ", "Uzbekistan"],
    ["US", "United States"],
    ["GB", "United Kingdom"],
    ["de", "Germany"],
    ["XK", "Kosovo"],
    ["ZZ", "ZZ"],
    ["QQ", "QQ"],
    ["USA", "USA"],
    ["", ""],
  ])("%j → %j", (code, expected) => {
    expect(countryName(code)).toBe(expected);
  });

  it("names a country in the language asked for", () => {
    expect(countryName("UZ", "ru")).toBe("Узбекистан");
    expect(countryName("DE", "es")).toBe("Alemania");
    expect(countryName("US", "zh-Hans")).toBe("美国");
    expect(countryName("ZZ", "ru")).toBe("ZZ");
  });
});

describe("the E.164 form, without asking whether the number exists", () => {
  it.each([
    ["998940373339", "+998940373339"],
    ["+998940373339", "+998940373339"],
    ["+998 94 037-33-39", null],
    ["0998940373339", null],
    ["12345", null],
    ["1234567890123456", null],
    ["+1 202", null],
  ])("e164(%j) → %j", (value, expected) => {
    expect(e164(value)).toBe(expected);
  });

  it.each([
    ["+998 94 037-33-39", "+998940373339"],
    [" (998) 94.037.33.39 ", "+998940373339"],
    ["+44 7700 900123", "+447700900123"],
    ["998-94-037-33-39x", null],
    ["++998940373339", null],
  ])("toE164(%j) → %j", (value, expected) => {
    expect(toE164(value)).toBe(expected);
  });
});
