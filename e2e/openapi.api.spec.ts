import Ajv2020 from "ajv/dist/2020";
import addFormats from "ajv-formats";
import { test, expect, readEvents } from "./fixtures";

type Schema = Record<string, unknown>;
type Parameter = { in: string; name: string; schema?: { example?: unknown } };
type Operation = {
  operationId: string;
  parameters?: Parameter[];
  requestBody?: { content: Record<string, { example?: unknown }> };
  responses: Record<string, { content?: Record<string, { schema?: Schema }> }>;
};
type Document = { paths: Record<string, Record<string, Operation>>; components: { schemas: Record<string, Schema> } };

// The message the examples are about: a Telegram code, which every documented filter example matches.
const TELEGRAM = { from: "Telegram", text: "Telegram code: 51234. Do not give this code to anyone." };

/** JSON Pointer escaping, for a $ref into the document. */
const pointer = (...parts: string[]) => parts.map((p) => p.replace(/~/g, "~0").replace(/\//g, "~1")).join("/");

test.describe("the OpenAPI document, against the live server", () => {
  test("every documented example request is answered as documented", async ({ numbox }) => {
    const served = await numbox.get("/api/v1/openapi.json", { Origin: "https://tester.example" });
    expect(served.status).toBe(200);
    expect(served.headers.get("content-type")).toMatch(/^application\/json/);
    expect(served.headers.get("access-control-allow-origin")).toBe("*");
    const document = (await served.json()) as Document;

    // The answers' schemas, compiled by ajv straight out of the served document (OpenAPI 3.1 is JSON Schema
    // 2020-12): a $ref into the document, so that its own #/components/schemas/… references resolve.
    const ajv = new Ajv2020({ strict: false, allErrors: true });
    addFormats(ajv);
    ajv.addSchema(document, "openapi.json");
    const check = (ref: string, body: unknown, label: string) => {
      const validate = ajv.compile({ $ref: `openapi.json#/${ref}` });
      expect(validate(body), `${label}: ${ajv.errorsText(validate.errors)}`).toBe(true);
    };

    const { gateway, key, number, digits } = await numbox.gatewayWithNumber();
    expect((await numbox.inbound(gateway, key, { to: number, ...TELEGRAM })).status).toBe(200);

    const operations = Object.entries(document.paths).flatMap(([path, item]) =>
      Object.entries(item).map(([method, operation]) => ({ path, method, operation })),
    );
    expect(operations.length).toBeGreaterThanOrEqual(12);
    for (const { path, method, operation } of operations) {
      const label = `${method.toUpperCase()} ${path} (${operation.operationId})`;
      // The request the examples make, about the number of this test.
      const query = new URLSearchParams();
      for (const parameter of operation.parameters ?? []) {
        const example = parameter.schema?.example;
        if (parameter.in === "query" && example !== undefined) query.set(parameter.name, String(example));
      }
      const body = operation.requestBody?.content["application/json"]?.example;
      // The number is this test's; any other path parameter (a service's slug) is its documented example.
      let target = path.replace("{number}", digits);
      for (const parameter of operation.parameters ?? []) {
        if (parameter.in === "path" && parameter.name !== "number")
          target = target.replace(`{${parameter.name}}`, encodeURIComponent(String(parameter.schema?.example)));
      }
      const url = `${numbox.url}${target}${query.size ? `?${query}` : ""}`;
      const response = await fetch(url, {
        method: method.toUpperCase(),
        headers: body === undefined ? {} : { "Content-Type": "application/json" },
        body: body === undefined ? undefined : JSON.stringify(body),
      });

      const status = String(response.status);
      // Reports are counted per address, and the suite's other tests file some from the same one: a 429 is then
      // the documented answer. Everything else must succeed.
      if (operation.operationId === "reportNumber" && status === "429") {
        check(
          pointer("paths", path, method, "responses", "429", "content", "application/json", "schema"),
          await response.json(),
          label,
        );
        continue;
      }
      expect(status, `${label}: ${status}`).toMatch(/^2/);
      const documented = operation.responses[status];
      expect(documented, `${label}: ${status} is documented`).toBeDefined();
      const [mediaType, media] = Object.entries(documented!.content ?? {})[0] ?? [];
      if (mediaType === undefined) continue;
      expect(response.headers.get("content-type"), label).toContain(mediaType);
      const schemaRef = pointer("paths", path, method, "responses", status, "content", mediaType!, "schema");
      if (mediaType === "text/event-stream") {
        // Each message event's data is a Message: the example replays the one this test sent.
        const [event] = await readEvents(response, 1);
        expect(event?.event, label).toBe("message");
        check(pointer("components", "schemas", "Message"), JSON.parse(event!.data), label);
        expect(JSON.parse(event!.data)).toMatchObject({ ...TELEGRAM, code: "51234", service: "telegram" });
      } else if (mediaType.includes("json")) {
        const answer = await response.json();
        check(schemaRef, answer, label);
        if (operation.operationId === "listMessages") expect(answer.messages).toMatchObject([{ number, ...TELEGRAM }]);
        if (operation.operationId === "waitForMessage") expect(answer).toMatchObject({ number, code: "51234" });
      } else {
        expect(media?.schema, label).toBeDefined();
        expect(await response.text(), label).toContain("51234");
      }
    }
  });

  test("a request off the document is refused with the documented error body", async ({ numbox }) => {
    const document = (await (await numbox.get("/api/v1/openapi.json")).json()) as Document;
    const ajv = new Ajv2020({ strict: false });
    addFormats(ajv);
    ajv.addSchema(document, "openapi.json");
    const isError = ajv.compile({ $ref: "openapi.json#/components/schemas/Error" });

    const { digits } = await numbox.gatewayWithNumber();
    for (const [path, status, code] of [
      [`/api/v1/numbers/${digits}/messages?sevrice=google`, 400, "unknown_parameter"],
      [`/api/v1/numbers/${digits}/wait?timeout=0`, 400, "invalid_parameter"],
      ["/api/v1/numbers/998900000000/messages", 404, "unknown_number"],
      ["/api/v1/openapi.json?pretty=1", 400, "unknown_parameter"],
      ["/api/v1/services/no-such-service/feed.rss", 404, "unknown_service"],
      ["/api/v1/services/Not%20A%20Slug/feed.json", 400, "invalid_service"],
    ] as const) {
      const response = await numbox.get(path);
      expect(response.status, path).toBe(status);
      const body = await response.json();
      expect(isError(body), path).toBe(true);
      expect(body.error, path).toBe(code);
    }
  });
});
