import { describe, expect, it } from "vitest";
import { openApiDocument } from "./openapi";
import { apiReference, typeOf, type ApiDocument } from "./reference";

describe("the API reference page's content", () => {
  const reference = apiReference(openApiDocument() as ApiDocument, "https://sms.example.org");
  const operations = reference.groups.flatMap((g) => g.operations);

  it("shows every operation of the document once, in its group", () => {
    const documented = Object.values(openApiDocument().paths ?? {}).length;
    expect(operations).toHaveLength(documented);
    expect(new Set(operations.map((o) => o.id)).size).toBe(documented);
  });

  it("gives each operation a curl line made of its examples, on this server", () => {
    const curl = Object.fromEntries(operations.map((o) => [o.id, o.curl]));
    expect(curl.listCountries).toBe('curl -s "https://sms.example.org/api/v1/countries"');
    expect(curl.waitForMessage).toBe(
      'curl -s "https://sms.example.org/api/v1/numbers/998940373339/wait?after=0&from=Telegram&service=telegram&contains=code&timeout=1"',
    );
    expect(curl.streamMessages).toMatch(
      /^curl -sN "https:\/\/sms\.example\.org\/api\/v1\/numbers\/998940373339\/stream\?after=0"$/,
    );
    expect(curl.reportNumber).toContain(`-d '{"service":"WhatsApp","note":"nothing for an hour"}'`);
  });

  it("says what each parameter takes, in a few words", () => {
    const messages = operations.find((o) => o.id === "listMessages")!;
    expect(messages.fields.find((f) => f.name === "limit")).toMatchObject({ where: "query", type: "integer, 1–100" });
    expect(messages.fields.find((f) => f.name === "number")).toMatchObject({ where: "path", required: true });
    expect(typeOf({ type: "array", items: { $ref: "#/components/schemas/Country" } })).toBe("array of Country");
    expect(reference.schemas.map((s) => s.name)).toContain("Message");
  });
});
