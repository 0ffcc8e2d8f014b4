import { createHash, createHmac, randomUUID } from "node:crypto";
import { eq } from "drizzle-orm";
import { describe, expect, it } from "vitest";
import { messages } from "@/db/schema";
import { createGateway } from "@/lib/admin/gateways";
import { createNumber } from "@/lib/admin/numbers";
import type { GatewayAuth } from "../adapter";
import { toInboundRequest } from "../request";
import {
  messagebird,
  parseCompactTime,
  parseLenientIso,
  verifyMessageBirdJwt,
  verifyMessageBirdToken,
} from "./messagebird";
import { appError, pipelineDatabase } from "@/lib/testing/adapters";

// messagebird-nodejs `lib/testdata/webhook-signature-jwt-reference.json` [O] (docs/ingest-sources.md §7a), verified
// at 2021-07-05T12:00:00+02:00.
const SECRET = "36efdd1aace2e26cd490f0d951138253bef2f7c6d34d18981da781555cc4cebb";
const AT_VECTOR = new Date("2021-07-05T12:00:00+02:00");
const PAYLOAD = "Hello, World!";
const VECTOR_URL = "https://example.com/path?bar=1&foo=2";
const REFERENCE = {
  urlAndPayload:
    "eyJhbGciOiJIUzI1NiIsInR5cCI6IkpXVCJ9.eyJpc3MiOiJNZXNzYWdlQmlyZCIsIm5iZiI6MTYyNTQ3OTIwMCwiZXhwIjoxNjI1NDc5MjYwLCJqdGkiOiI5M2U1NTAwNi1hMGU4LTQ1MjYtYTE5MC1mYTVmZjAwZWExMTYiLCJ1cmxfaGFzaCI6IjQxZjA1ZjBkZGQwYTIyYWIyMDlhYzQ2ZjQ3YzQ1NzJkOWNlZmEyNTdlZDc0YjI0MDA0YmFlNzUzZWNlNmMyNjAiLCJwYXlsb2FkX2hhc2giOiJkZmZkNjAyMWJiMmJkNWIwYWY2NzYyOTA4MDllYzNhNTMxOTFkZDgxYzdmNzBhNGIyODY4OGEzNjIxODI5ODZmIn0._H--TOuYFLpeEH39-rg5E3IHVkjHozBcaKVWPRC5m9I",
  // "Valid JWT with URL parameters and no payload"
  urlNoPayload:
    "eyJhbGciOiJIUzI1NiIsInR5cCI6IkpXVCJ9.eyJpc3MiOiJNZXNzYWdlQmlyZCIsIm5iZiI6MTYyNTQ3OTIwMCwiZXhwIjoxNjI1NDc5MjYwLCJqdGkiOiJjOTQ2YWY3Ny1lMTgyLTRlYWEtYjJmZi0xYTU0NWI1ZTk5MWEiLCJ1cmxfaGFzaCI6IjQxZjA1ZjBkZGQwYTIyYWIyMDlhYzQ2ZjQ3YzQ1NzJkOWNlZmEyNTdlZDc0YjI0MDA0YmFlNzUzZWNlNmMyNjAifQ.huo2ou6JDoDc7sV25d75UMWeYhBeavQlLsqIibSZuac",
  // "Valid JWT with no URL parameters or payload" (https://example.com/)
  bare: "eyJhbGciOiJIUzI1NiIsInR5cCI6IkpXVCJ9.eyJpc3MiOiJNZXNzYWdlQmlyZCIsIm5iZiI6MTYyNTQ3OTIwMCwiZXhwIjoxNjI1NDc5MjYwLCJqdGkiOiI1OWEyNDRkYy1lOWFkLTRlMjMtOTc3OC0zNzFmYWEyMzhmNzIiLCJ1cmxfaGFzaCI6IjBmMTE1ZGIwNjJiN2MwZGQwMzBiMTY4NzhjOTlkZWE1YzM1NGI0OWRjMzdiMzhlYjg4NDYxNzljNzc4M2U5ZDcifQ.6Fp0rVOsRr1fj9S2GidXAfkmPVofKr8_RTffC6G6r2E",
  notYetValid:
    "eyJhbGciOiJIUzI1NiIsInR5cCI6IkpXVCJ9.eyJpc3MiOiJNZXNzYWdlQmlyZCIsIm5iZiI6MTYyNTQ4MjgwMCwiZXhwIjoxNjI1NDgyODYwLCJqdGkiOiJmOWY4YzM4Mi0yNDQ5LTQzMTEtYjcyYi0xZGY3MTY4NzkzMWUiLCJ1cmxfaGFzaCI6IjBmMTE1ZGIwNjJiN2MwZGQwMzBiMTY4NzhjOTlkZWE1YzM1NGI0OWRjMzdiMzhlYjg4NDYxNzljNzc4M2U5ZDcifQ.ZELgDFNGhjZH9CffQKcq3sytBe2I0KciLxpBhcfstHQ",
  expired:
    "eyJhbGciOiJIUzI1NiIsInR5cCI6IkpXVCJ9.eyJpc3MiOiJNZXNzYWdlQmlyZCIsIm5iZiI6MTYyNTQ3NTYwMCwiZXhwIjoxNjI1NDc1NjYwLCJqdGkiOiI1ZjAyZjUyMi02MDMwLTQ2YzgtYjVhMy0wMTI0NjQ3OGQ4YmMiLCJ1cmxfaGFzaCI6IjBmMTE1ZGIwNjJiN2MwZGQwMzBiMTY4NzhjOTlkZWE1YzM1NGI0OWRjMzdiMzhlYjg4NDYxNzljNzc4M2U5ZDcifQ.45MSST3B_2PsjNUeiuW54_vUQgVw4rBXrdWrOUEz3lM",
  // "Token received on different URL (parameters were sorted out of order)": signed for ?foo=1&bar=2's sibling
  reordered:
    "eyJhbGciOiJIUzI1NiIsInR5cCI6IkpXVCJ9.eyJpc3MiOiJNZXNzYWdlQmlyZCIsIm5iZiI6MTYyNTQ3OTIwMCwiZXhwIjoxNjI1NDc5MjYwLCJqdGkiOiJhNzVjOTA5Ni1lODIzLTQ0MmItODVmMi03ZDNjOWQ5YjcyNmIiLCJ1cmxfaGFzaCI6IjZhMDIyZDgzNGMxODMzMGJhYWQ4YTJiZDYxMzUxNzNlZDIxNjEwYTQ1NDUxNmJlMGRmM2YxY2MwMTUxNjEwZWEifQ.z6Sw1XQIM0wuEQGBhXBdawDIIrtMg2XnmA_bpDq53pE",
  payloadMismatch:
    "eyJhbGciOiJIUzI1NiIsInR5cCI6IkpXVCJ9.eyJpc3MiOiJNZXNzYWdlQmlyZCIsIm5iZiI6MTYyNTQ3OTIwMCwiZXhwIjoxNjI1NDc5MjYwLCJqdGkiOiIxNDUwMTUzMi05NmYyLTQ2ODQtOTgzMi02OGYwOTUxYWUzNDIiLCJ1cmxfaGFzaCI6IjBmMTE1ZGIwNjJiN2MwZGQwMzBiMTY4NzhjOTlkZWE1YzM1NGI0OWRjMzdiMzhlYjg4NDYxNzljNzc4M2U5ZDciLCJwYXlsb2FkX2hhc2giOiJmYjYyZjAyYWNkYTdkNzQxNzdhNzAxYTFjZTAwNmU2YmFjZDkwYzdkNGQ3YWI0ODE2OTJjMWRhNDdjODEwNzZiIn0.m79RCwO6dGa9pvzsQypkVuXQ6eM0CkRl6_U7MfWg6TM",
  differentSecret:
    "eyJhbGciOiJIUzI1NiIsInR5cCI6IkpXVCJ9.eyJpc3MiOiJNZXNzYWdlQmlyZCIsIm5iZiI6MTYyNTQ3OTIwMCwiZXhwIjoxNjI1NDc5MjYwLCJqdGkiOiIyNDNjMjdhZS0yZjAyLTQ2YTAtODg1Mi1jNjZmMzdlYTlmNDYiLCJ1cmxfaGFzaCI6IjBmMTE1ZGIwNjJiN2MwZGQwMzBiMTY4NzhjOTlkZWE1YzM1NGI0OWRjMzdiMzhlYjg4NDYxNzljNzc4M2U5ZDcifQ.JgSeYyOtlEKAXk8bz30iJI4tXgf4lxknoiezawuVhb4",
  payloadRemoved:
    "eyJhbGciOiJIUzI1NiIsInR5cCI6IkpXVCJ9.eyJpc3MiOiJNZXNzYWdlQmlyZCIsIm5iZiI6MTYyNTQ3OTIwMCwiZXhwIjoxNjI1NDc5MjYwLCJqdGkiOiIxNDUwMTUzMi05NmYyLTQ2ODQtOTgzMi02OGYwOTUxYWUzNDIiLCJ1cmxfaGFzaCI6IjBmMTE1ZGIwNjJiN2MwZGQwMzBiMTY4NzhjOTlkZWE1YzM1NGI0OWRjMzdiMzhlYjg4NDYxNzljNzc4M2U5ZDciLCJwYXlsb2FkX2hhc2giOiJkZmZkNjAyMWJiMmJkNWIwYWY2NzYyOTA4MDllYzNhNTMxOTFkZDgxYzdmNzBhNGIyODY4OGEzNjIxODI5ODZmIn0.bHfsjj3tljfzTufoG3EU3p_yFrQh9CufyzRSaRMd4ss",
  port: "eyJhbGciOiJIUzI1NiIsInR5cCI6IkpXVCJ9.eyJpc3MiOiJNZXNzYWdlQmlyZCIsIm5iZiI6MTYyNTQ3OTIwMCwiZXhwIjoxNjI1NDc5MjYwLCJqdGkiOiI1OWEyNDRkYy1lOWFkLTRlMjMtOTc3OC0zNzFmYWEyMzhmNzIiLCJ1cmxfaGFzaCI6IjA3Zjc4NjFhNjliMTNjMjI5YzZhZTU5NmQxOThiMjc2M2IwNTRjZjVlMDAwZDczNmQxYzQ4MTAyZDc3MGNmZmMifQ.vcpa0IicGAbpo064dOjiA2VbVOR2S5uZBEaBOP16sS8",
  specialUrl:
    "eyJhbGciOiJIUzI1NiIsInR5cCI6IkpXVCJ9.eyJpc3MiOiJNZXNzYWdlQmlyZCIsIm5iZiI6MTYyNTQ3OTIwMCwiZXhwIjoxNjI1NDc5MjYwLCJqdGkiOiI1OWEyNDRkYy1lOWFkLTRlMjMtOTc3OC0zNzFmYWEyMzhmNzIiLCJ1cmxfaGFzaCI6IjhhZmYzNzQ4ZDc4OWM0MzMzNTczZTFjMzFmZTViMDA0OTQwY2I1ZmM0NzQ2MGVkM2QwZTY1NGY3ZmM0ZTVmYWUifQ.mJBCMfEjKmN3IMuzqPXPHktWETrcu0iNdF3agE8PDyI",
  hs384:
    "eyJhbGciOiJIUzM4NCIsInR5cCI6IkpXVCJ9.eyJpc3MiOiJNZXNzYWdlQmlyZCIsIm5iZiI6MTYyNTQ3OTIwMCwiZXhwIjoxNjI1NDc5MjYwLCJqdGkiOiI1OWEyNDRkYy1lOWFkLTRlMjMtOTc3OC0zNzFmYWEyMzhmNzIiLCJ1cmxfaGFzaCI6IjBmMTE1ZGIwNjJiN2MwZGQwMzBiMTY4NzhjOTlkZWE1YzM1NGI0OWRjMzdiMzhlYjg4NDYxNzljNzc4M2U5ZDcifQ.KNMW-29X77lZeuPmThmHWc_RUAvTkaDkpxIZK6mqE08v8mWKiU9Edh4QXwAJO2nv",
  hs512:
    "eyJhbGciOiJIUzUxMiIsInR5cCI6IkpXVCJ9.eyJpc3MiOiJNZXNzYWdlQmlyZCIsIm5iZiI6MTYyNTQ3OTIwMCwiZXhwIjoxNjI1NDc5MjYwLCJqdGkiOiI1OWEyNDRkYy1lOWFkLTRlMjMtOTc3OC0zNzFmYWEyMzhmNzIiLCJ1cmxfaGFzaCI6IjBmMTE1ZGIwNjJiN2MwZGQwMzBiMTY4NzhjOTlkZWE1YzM1NGI0OWRjMzdiMzhlYjg4NDYxNzljNzc4M2U5ZDcifQ.rd6r0iMyNGnVPCwurETphE3Y8rpAyvvnUK0S8WvGUkt2E1QSRAZ7NZJZBHw1Y_Wb5W-sK9HJr_PRL2vz4jRT3Q",
  none: "eyJhbGciOiJub25lIiwidHlwIjoiSldUIn0.eyJpc3MiOiJNZXNzYWdlQmlyZCIsImlhdCI6MTYyNTQ3OTIwMCwiZXhwIjoxNjI1NDc5MjYwLCJqdGkiOiI1OWEyNDRkYy1lOWFkLTRlMjMtOTc3OC0zNzFmYWEyMzhmNzIiLCJ1cmxfaGFzaCI6IjBmMTE1ZGIwNjJiN2MwZGQwMzBiMTY4NzhjOTlkZWE1YzM1NGI0OWRjMzdiMzhlYjg4NDYxNzljNzc4M2U5ZDcifQ.",
};
const NONE = new Uint8Array();
const bytes = (s: string) => new TextEncoder().encode(s);

function gateway(secrets: string[] = [SECRET]): GatewayAuth {
  return { id: "messagebird-1", kind: "messagebird", apiKeyHashes: [], secrets, config: {} };
}

const check =
  (token: string, url: string, body = NONE, now = AT_VECTOR, g = gateway()) =>
  () =>
    verifyMessageBirdToken(token, url, body, now, g);

/** Signs like MessageBird (HS256 JWT with url_hash and payload_hash), independently of the adapter. */
function signJwt(url: string, body: string, nbf = Math.floor(Date.now() / 1000), secret = SECRET): string {
  const part = (o: unknown) => Buffer.from(JSON.stringify(o)).toString("base64url");
  const sha = (s: string) => createHash("sha256").update(s).digest("hex");
  const claims = {
    iss: "MessageBird",
    nbf,
    exp: nbf + 60,
    jti: randomUUID(),
    url_hash: sha(url),
    ...(body ? { payload_hash: sha(body) } : {}),
  };
  const signed = `${part({ alg: "HS256", typ: "JWT" })}.${part(claims)}`;
  return `${signed}.${createHmac("sha256", secret).update(signed).digest("base64url")}`;
}

describe("messagebird signature (MessageBird-Signature-JWT)", () => {
  it("accepts the vendor's valid reference tokens with the clock pinned", () => {
    expect(check(REFERENCE.urlAndPayload, VECTOR_URL, bytes(PAYLOAD))).not.toThrow();
    expect(check(REFERENCE.urlNoPayload, VECTOR_URL)).not.toThrow();
    expect(check(REFERENCE.bare, "https://example.com/")).not.toThrow();
    expect(check(REFERENCE.port, "https://example.com:8080/")).not.toThrow();
    expect(
      check(
        REFERENCE.specialUrl,
        "https://example.com/?obj%5Bfield1%5D=val1&obj%5Bfield2%5D=val2&param=value+with+spaces",
      ),
    ).not.toThrow();
    expect(check(REFERENCE.hs384, "https://example.com/")).not.toThrow();
    expect(check(REFERENCE.hs512, "https://example.com/")).not.toThrow();
  });

  it("accepts the [O] vector through a request built on the vector's URL (query in its original order)", () => {
    const request = new Request(VECTOR_URL, {
      method: "POST",
      headers: {
        "messagebird-signature-jwt": REFERENCE.urlAndPayload,
        "content-type": "application/x-www-form-urlencoded",
      },
      body: PAYLOAD,
    });
    const inbound = toInboundRequest(request, bytes(PAYLOAD), new URL(VECTOR_URL).origin, AT_VECTOR);
    expect(() => verifyMessageBirdJwt(inbound, gateway())).not.toThrow();
    expect(() => verifyMessageBirdJwt(inbound, gateway(["new-key", SECRET]))).not.toThrow();
    // The same request arriving on another host is verified against PUBLIC_URL, not the Host it came in on.
    const internal = new Request("http://10.0.0.7:3000/path?bar=1&foo=2", {
      method: "POST",
      headers: request.headers,
      body: PAYLOAD,
    });
    expect(() =>
      verifyMessageBirdJwt(toInboundRequest(internal, bytes(PAYLOAD), "https://example.com", AT_VECTOR), gateway()),
    ).not.toThrow();
    const elsewhere = toInboundRequest(internal, bytes(PAYLOAD), "https://evil.example", AT_VECTOR);
    expect(appError(() => verifyMessageBirdJwt(elsewhere, gateway()))).toMatchObject({
      status: 403,
      code: "payload_hash_mismatch",
    });
  });

  it("refuses the vendor's invalid reference tokens with the §16.6 codes", () => {
    expect(appError(check(REFERENCE.notYetValid, "https://example.com/"))).toMatchObject({
      status: 401,
      code: "stale_request",
    });
    expect(appError(check(REFERENCE.expired, "https://example.com/"))).toMatchObject({
      status: 401,
      code: "stale_request",
    });
    expect(appError(check(REFERENCE.reordered, "https://example.com/path?foo=1&bar=2"))).toMatchObject({
      status: 403,
      code: "payload_hash_mismatch",
    });
    expect(appError(check(REFERENCE.payloadMismatch, "https://example.com/", bytes(PAYLOAD)))).toMatchObject({
      status: 403,
      code: "payload_hash_mismatch",
    });
    expect(appError(check(REFERENCE.differentSecret, "https://example.com/"))).toMatchObject({
      status: 403,
      code: "bad_signature",
    });
    expect(appError(check(REFERENCE.payloadRemoved, "https://example.com/"))).toMatchObject({
      status: 403,
      code: "payload_hash_mismatch",
    });
    expect(appError(check(REFERENCE.bare, "https://example.com/", bytes(PAYLOAD)))).toMatchObject({
      status: 403,
      code: "payload_hash_mismatch",
    });
    expect(appError(check(REFERENCE.none, "https://example.com/"))).toMatchObject({
      status: 403,
      code: "bad_signature",
    });
  });

  it("rejects one-byte changes of the URL, the body and the token, and a wrong key", () => {
    expect(
      appError(check(REFERENCE.urlAndPayload, VECTOR_URL.replace("bar=1", "bar=2"), bytes(PAYLOAD))),
    ).toMatchObject({ status: 403 });
    expect(appError(check(REFERENCE.urlAndPayload, VECTOR_URL, bytes("Hello, World?")))).toMatchObject({ status: 403 });
    const token = REFERENCE.urlAndPayload;
    const flipped = `${token.slice(0, -2)}${token.at(-2) === "A" ? "B" : "A"}${token.at(-1)}`;
    expect(appError(check(flipped, VECTOR_URL, bytes(PAYLOAD)))).toMatchObject({ status: 403, code: "bad_signature" });
    expect(appError(check(token, VECTOR_URL, bytes(PAYLOAD), AT_VECTOR, gateway(["wrong"])))).toMatchObject({
      status: 403,
      code: "bad_signature",
    });
  });

  it("allows 5 s of clock skew around nbf and exp, and no more", () => {
    const at = (s: number) => new Date((1_625_479_200 + s) * 1000);
    expect(check(REFERENCE.bare, "https://example.com/", NONE, at(-5))).not.toThrow();
    expect(check(REFERENCE.bare, "https://example.com/", NONE, at(65))).not.toThrow();
    expect(appError(check(REFERENCE.bare, "https://example.com/", NONE, at(-6)))).toMatchObject({ status: 401 });
    expect(appError(check(REFERENCE.bare, "https://example.com/", NONE, at(66)))).toMatchObject({ status: 401 });
  });

  it("answers a missing header 401 and a malformed one 400", () => {
    const request = (headers: Record<string, string>) =>
      toInboundRequest(new Request(VECTOR_URL, { headers }), NONE, "https://example.com", AT_VECTOR);
    expect(appError(() => messagebird.authenticate(request({}), gateway()))).toMatchObject({
      status: 401,
      code: "missing_credentials",
    });
    expect(
      appError(() => messagebird.authenticate(request({ "messagebird-signature-jwt": "abc.def" }), gateway())),
    ).toMatchObject({
      status: 400,
      code: "malformed_signature",
    });
  });
});

describe("messagebird parse", () => {
  const parse = (query: string) =>
    messagebird.parse(
      toInboundRequest(new Request(`https://numbox.example/api/inbound/mb?${query}`), NONE, "https://numbox.example"),
      gateway(),
    );
  const GOLDEN =
    "id=e8077d803532c0b5937c639b60216938&recipient=31642500190&originator=31612345678&body=This+is+an+incoming+message&createdDatetime=2016-05-03T14:26:57+00:00";

  it("reads the golden VMN GET (createdDatetime's unescaped '+' read back)", () => {
    expect(parse(GOLDEN)).toEqual({
      messages: [
        {
          to: "31642500190",
          from: "+31612345678",
          text: "This is an incoming message",
          receivedAt: new Date("2016-05-03T14:26:57Z"),
          sourceKey: "e8077d803532c0b5937c639b60216938",
        },
      ],
    });
  });

  it("reads the short-code variant (mid, message, receive_datetime; our number is the gateway's)", () => {
    expect(
      parse(
        "mid=123456789&shortcode=1008&keyword=START&originator=31612345678&operator=20401&message=START+now&receive_datetime=20160503142657",
      ),
    ).toEqual({
      messages: [
        {
          from: "+31612345678",
          text: "START now",
          receivedAt: new Date("2016-05-03T14:26:57Z"),
          sourceKey: "123456789",
        },
      ],
    });
  });

  it("reads POST form and JSON bodies too", () => {
    const post = (body: string, contentType: string) =>
      messagebird.parse(
        toInboundRequest(
          new Request("https://numbox.example/api/inbound/mb", {
            method: "POST",
            headers: { "content-type": contentType },
            body,
          }),
          bytes(body),
          "https://numbox.example",
        ),
        gateway(),
      );
    expect(post(GOLDEN.replace("+00:00", "%2B00:00"), "application/x-www-form-urlencoded")).toEqual(parse(GOLDEN));
    const json = JSON.stringify({
      id: "e8077d803532c0b5937c639b60216938",
      recipient: 31642500190,
      originator: "31612345678",
      body: "This is an incoming message",
      createdDatetime: "2016-05-03T14:26:57+00:00",
    });
    expect(post(json, "application/json")).toEqual(parse(GOLDEN));
    expect(appError(() => post("{", "application/json"))).toMatchObject({ status: 400, code: "malformed_body" });
  });

  it("keeps alphanumeric senders and Unicode; lenient times; bad input per §16.6", () => {
    expect(
      parse("id=1&recipient=31642500190&originator=Bank&body=%D0%9A%D0%BE%D0%B4+%F0%9F%94%90+%26+%3D"),
    ).toMatchObject({
      messages: [{ from: "Bank", text: "Код 🔐 & =" }],
    });
    expect(parseLenientIso("2016-05-03T14:26:57 00:00")).toEqual(new Date("2016-05-03T14:26:57Z"));
    expect(parseLenientIso("2016-05-03T16:26:57 02:00")).toEqual(new Date("2016-05-03T14:26:57Z"));
    expect(parseLenientIso("garbage")).toBeNull();
    expect(parseCompactTime("2016050314")).toBeNull();
    expect(appError(() => parse("id=1&body=%ZZ"))).toMatchObject({ status: 400, code: "malformed_body" });
    expect(appError(() => parse("id=1&body=a&body=b"))).toMatchObject({ status: 400, code: "ambiguous_parameter" });
    expect(parse("")).toEqual({ ignored: expect.any(String) });
  });
});

describe("messagebird through the pipeline (PGlite)", () => {
  const PUBLIC_URL = "https://numbox.example";
  const NUMBER = "+31642500190";

  const pipeline = pipelineDatabase(PUBLIC_URL, async (db) => {
    await createGateway(db, { id: "messagebird-1", kind: "messagebird", secret: SECRET });
    await createNumber(db, { number: NUMBER, gateway: "messagebird-1" });
  });

  const path = "/api/inbound/messagebird-1";
  async function get(
    query: string,
    token: string | null = signJwt(`${PUBLIC_URL}${path}?${query}`, ""),
  ): Promise<Response> {
    // Arrives on an internal address: the URL verified is PUBLIC_URL + path + the query exactly as sent.
    const request = new Request(`http://10.0.0.7:3000${path}?${query}`, {
      headers: token ? { "messagebird-signature-jwt": token } : {},
    });
    return pipeline.ingest("messagebird-1", request);
  }
  const GOLDEN =
    "id=e8077d803532c0b5937c639b60216938&recipient=31642500190&originator=31612345678&body=This+is+an+incoming+message&createdDatetime=2016-05-03T14:26:57+00:00";

  it("stores the golden GET once, answers 200 JSON, and the same 200 to a retry", async () => {
    const first = await get(GOLDEN);
    expect(first.status).toBe(200);
    expect(first.headers.get("content-type")).toMatch(/^application\/json/);
    expect(await first.json()).toEqual({ ok: true, accepted: 1, duplicates: 0 });
    const retry = await get(GOLDEN);
    expect(await retry.json()).toEqual({ ok: true, accepted: 0, duplicates: 1 });

    const page = await pipeline.inbox(NUMBER);
    expect(page.messages).toHaveLength(1);
    expect(page.messages[0]).toMatchObject({
      number: NUMBER,
      from: "+31612345678",
      text: "This is an incoming message",
      receivedAt: "2016-05-03T14:26:57.000Z",
    });
    const [row] = await pipeline.db
      .select()
      .from(messages)
      .where(eq(messages.sourceKey, "e8077d803532c0b5937c639b60216938"));
    expect(row).toMatchObject({ gatewayId: "messagebird-1" });
  });

  it("answers the same id with other content 409", async () => {
    const response = await get(GOLDEN.replace("incoming", "outgoing"));
    expect(response.status).toBe(409);
    expect(await response.json()).toMatchObject({ error: "idempotency_conflict" });
  });

  it("stores a short-code message on the gateway's only number", async () => {
    const response = await get(
      "mid=987654321&shortcode=1008&keyword=CODE&originator=Acme&operator=20401&message=CODE+4821&receive_datetime=20261122100000",
    );
    expect(response.status).toBe(200);
    const [latest] = (await pipeline.inbox(NUMBER, 1)).messages;
    expect(latest).toMatchObject({
      from: "Acme",
      text: "CODE 4821",
      code: "4821",
      receivedAt: "2026-11-22T10:00:00.000Z",
    });
  });

  it("refuses a reordered query, a replayed (expired) token, a missing one and POST text/xml", async () => {
    const query = GOLDEN.replace("e8077d80", "f0000000");
    const reordered = query.split("&").reverse().join("&");
    expect((await get(reordered, signJwt(`${PUBLIC_URL}${path}?${query}`, ""))).status).toBe(403);
    const old = Math.floor(Date.now() / 1000) - 600;
    expect((await get(query, signJwt(`${PUBLIC_URL}${path}?${query}`, "", old))).status).toBe(401);
    expect((await get(query, null)).status).toBe(401);
    const xml = new Request(`http://10.0.0.7:3000${path}`, {
      method: "POST",
      headers: { "content-type": "text/xml" },
      body: "<x/>",
    });
    expect((await pipeline.ingest("messagebird-1", xml)).status).toBe(415);
    expect((await pipeline.inbox(NUMBER)).messages).toHaveLength(2);
  });

  it("quarantines an authenticated message to another number (422 unknown_recipient)", async () => {
    const response = await get(GOLDEN.replace("e8077d80", "a0000000").replace("31642500190", "31642500191"));
    expect(response.status).toBe(422);
    expect(await response.json()).toMatchObject({ error: "unknown_recipient" });
  });
});
