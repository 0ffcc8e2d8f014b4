import { describe, expect, it } from "vitest";
import { canonicalPath } from "./redirects";

describe("canonicalPath", () => {
  it.each([
    ["/countries/UZ", "/countries/uz"],
    ["/countries/Uz", "/countries/uz"],
    ["/ru/countries/UZ", "/ru/countries/uz"],
    ["/numbers/%2B998940373339", "/numbers/998940373339"],
    ["/numbers/+998940373339", "/numbers/998940373339"],
    ["/ar/numbers/%2b998940373339", "/ar/numbers/998940373339"],
    ["/en", "/"],
    ["/en/", "/"],
    ["/en/numbers/998940373339", "/numbers/998940373339"],
    ["/en/countries/UZ", "/countries/uz"],
    ["/en/docs/gateways", "/docs/gateways"],
    ["/services/WhatsApp", "/services/whatsapp"],
    ["/ru/services/TELEGRAM", "/ru/services/telegram"],
    ["/en/services/Google", "/services/google"],
    [
      "/services/%D0%A1%D0%B1%D0%B5%D1%80%D0%B1%D0%B0%D0%BD%D0%BA",
      "/services/%D1%81%D0%B1%D0%B5%D1%80%D0%B1%D0%B0%D0%BD%D0%BA",
    ],
  ])("sends %s to %s", (from, to) => {
    expect(canonicalPath(from)).toBe(to);
  });

  it.each([
    "/",
    "/ru",
    "/countries/uz",
    "/ru/countries/uz",
    "/numbers/998940373339",
    "/pt-br/numbers/998940373339",
    "/docs/gateways",
    // Not a number or not a country: a 404 at its own address, not a redirect somewhere.
    "/numbers/abc",
    "/numbers/%2Babc",
    "/countries/uzb",
    "/services",
    "/services/whatsapp",
    "/ar/services/bolt-food",
    "/services/%D1%81%D0%B1%D0%B5%D1%80%D0%B1%D0%B0%D0%BD%D0%BA",
    // Not a slug at all: a 404 where it is.
    "/services/What%20App",
    "/something/else",
  ])("leaves %s where it is", (path) => {
    expect(canonicalPath(path)).toBeNull();
  });
});
