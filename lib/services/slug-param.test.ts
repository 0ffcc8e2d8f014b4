import { describe, expect, it } from "vitest";
import { parseServiceParam } from "./slug-param";

describe("the slug of a service's address", () => {
  it("takes a slug as the catalogue and the rule make them, in any script", () => {
    expect(parseServiceParam("whatsapp")).toBe("whatsapp");
    expect(parseServiceParam("bolt-food")).toBe("bolt-food");
    expect(parseServiceParam("%D1%81%D0%B1%D0%B5%D1%80%D0%B1%D0%B0%D0%BD%D0%BA")).toBe("сбербанк");
  });

  it("refuses what no message can carry, so that it 404s without a query", () => {
    for (const raw of ["WhatsApp", "what%20app", "-google", "google-", "a--b", "", "%E0%A4%A", "?", "a".repeat(41)]) {
      expect(parseServiceParam(raw)).toBeNull();
    }
  });
});
