import { Validator } from "@seriousme/openapi-schema-validator";
import { describe, expect, it } from "vitest";
import { ERROR_CODES } from "@/lib/error-codes";
import { openApiDocument, openApiDocumentText } from "./openapi";

// Every path the public API answers, as the routes under app/api/v1 define them.
const PUBLIC_PATHS = [
  "/api/v1/countries",
  "/api/v1/numbers",
  "/api/v1/numbers/{number}/messages",
  "/api/v1/numbers/{number}/stream",
  "/api/v1/numbers/{number}/wait",
  "/api/v1/numbers/{number}/feed.rss",
  "/api/v1/numbers/{number}/feed.atom",
  "/api/v1/numbers/{number}/feed.json",
  "/api/v1/services/{slug}/feed.rss",
  "/api/v1/services/{slug}/feed.atom",
  "/api/v1/services/{slug}/feed.json",
  "/api/v1/numbers/{number}/reports",
];

describe("the OpenAPI document", () => {
  it("is a valid OpenAPI 3.1 document", async () => {
    // As served: the JSON text, parsed.
    const result = await new Validator().validate(JSON.parse(openApiDocumentText()));
    expect(result.errors ?? []).toEqual([]);
    expect(result.valid).toBe(true);
    expect(openApiDocument().openapi).toBe("3.1.0");
    // And the validator does refuse a broken one: a parameter without its place.
    const broken = JSON.parse(openApiDocumentText());
    delete broken.paths["/api/v1/numbers"].get.parameters[0].in;
    expect((await new Validator().validate(broken)).valid).toBe(false);
  });

  it("documents every public path, each operation with an id, its answers and the error body", () => {
    const { paths = {} } = openApiDocument();
    expect(Object.keys(paths).sort()).toEqual([...PUBLIC_PATHS].sort());
    for (const [path, item] of Object.entries(paths)) {
      const operations = [item.get, item.post].filter((o) => o !== undefined);
      expect(operations, path).toHaveLength(1);
      for (const operation of operations) {
        expect(operation.operationId, path).toBeTruthy();
        const responses = operation.responses ?? {};
        expect(
          Object.keys(responses).some((status) => status.startsWith("2")),
          path,
        ).toBe(true);
        expect(responses["429"], path).toMatchObject({
          content: { "application/json": { schema: { $ref: "#/components/schemas/Error" } } },
        });
      }
    }
  });

  it("gives each documented error status an error code of that status in the catalogue", () => {
    const statuses = new Set(Object.values(ERROR_CODES).map((entry) => String(entry.status)));
    for (const item of Object.values(openApiDocument().paths ?? {})) {
      for (const status of Object.keys((item.get ?? item.post)!.responses ?? {})) {
        if (Number(status) >= 400) expect(statuses).toContain(status);
      }
    }
  });

  it("names this server, from PUBLIC_URL", () => {
    expect(openApiDocument().servers).toEqual([{ url: "http://localhost:3000" }]);
  });
});
