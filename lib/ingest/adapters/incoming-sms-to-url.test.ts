import { createHash, createHmac } from "node:crypto";
import { describe, expect, it } from "vitest";
import { messages } from "@/db/schema";
import { createGateway } from "@/lib/admin/gateways";
import { hashKey } from "@/lib/security/secrets";
import { createNumber } from "@/lib/admin/numbers";
import type { GatewayAuth } from "../adapter";
import { toInboundRequest } from "../request";
import { incomingSmsToUrl } from "./incoming-sms-to-url";
import { appError, pipelineDatabase } from "@/lib/testing/adapters";

// docs/ingest-sources.md §9a [S]: the app's default template rendered, exact bytes, and its X-Signature.
const SECRET = "bk-secret";
const BODY =
  '{\n  "from":"+15551234567",\n  "text":"Your code is 123456",\n  "sentStamp":1768556698000,\n  "receivedStamp":1768556699512,\n  "sim":"sim1"\n}';
const SIGNATURE = "a253421a3c5a9b6628d3b4d63b3ae1eda811a49d33a577cf417575bab2150ef3";

const API_KEY = "nbx_sms-forwarder-test-key-0123456789abcdef";
const PUBLIC_URL = "https://numbox.example";
const URL_PATH = `${PUBLIC_URL}/api/inbound/forwarder-1`;

function gateway(secrets: string[] = [SECRET]): GatewayAuth {
  return { id: "forwarder-1", kind: "sms-forwarder", apiKeyHashes: [hashKey(API_KEY)], secrets, config: {} };
}

const sign = (body: string, secret = SECRET) => createHmac("sha256", secret).update(body).digest("hex");
const headers = (extra: Record<string, string> = {}) => ({
  "content-type": "application/json; charset=utf-8",
  "user-agent": "SMS Forwarder App",
  authorization: `Bearer ${API_KEY}`,
  "x-signature": SIGNATURE,
  ...extra,
});

function inbound(body: string | Uint8Array, h: Record<string, string> = headers(), url = URL_PATH) {
  const bytes = typeof body === "string" ? new TextEncoder().encode(body) : body;
  const request = new Request(url, { method: "POST", headers: h, body: bytes as Uint8Array<ArrayBuffer> });
  return toInboundRequest(request, bytes, PUBLIC_URL);
}

describe("sms-forwarder authentication (bearer key + optional X-Signature over the body)", () => {
  it("our signing reproduces the [S] vector, and the vector is accepted", () => {
    expect(sign(BODY)).toBe(SIGNATURE);
    expect(() => incomingSmsToUrl.authenticate(inbound(BODY), gateway())).not.toThrow();
    expect(() => incomingSmsToUrl.authenticate(inbound(BODY), gateway(["next-secret", SECRET]))).not.toThrow();
  });

  it("rejects a one-byte change of body or signature, and a wrong secret (403)", () => {
    const flipped = SIGNATURE.slice(0, -1) + (SIGNATURE.endsWith("3") ? "4" : "3");
    const cases = [
      () => incomingSmsToUrl.authenticate(inbound(BODY.replace("is 123456", "is 123457")), gateway()),
      () => incomingSmsToUrl.authenticate(inbound(BODY, headers({ "x-signature": flipped })), gateway()),
      () => incomingSmsToUrl.authenticate(inbound(BODY), gateway(["bk-secreT"])),
    ];
    for (const attempt of cases) {
      const error = appError(attempt);
      expect([error.status, error.code]).toEqual([403, "bad_signature"]);
    }
  });

  it("refuses a malformed signature (400) and a missing one when the gateway has a secret (401)", () => {
    const malformed = appError(() =>
      incomingSmsToUrl.authenticate(inbound(BODY, headers({ "x-signature": "sha256=abc" })), gateway()),
    );
    expect([malformed.status, malformed.code]).toEqual([400, "malformed_signature"]);
    const h = headers();
    delete (h as Record<string, string>)["x-signature"];
    const missing = appError(() => incomingSmsToUrl.authenticate(inbound(BODY, h), gateway()));
    expect([missing.status, missing.code]).toEqual([401, "missing_credentials"]);
    // Without a secret the signature is not needed.
    expect(() => incomingSmsToUrl.authenticate(inbound(BODY, h), gateway([]))).not.toThrow();
  });

  it("needs the bearer key header: none, a wrong one, or one only in the URL are refused (401)", () => {
    const h = headers();
    delete (h as Record<string, string>).authorization;
    expect(appError(() => incomingSmsToUrl.authenticate(inbound(BODY, h), gateway())).code).toBe("missing_credentials");
    expect(
      appError(() => incomingSmsToUrl.authenticate(inbound(BODY, h, `${URL_PATH}?key=${API_KEY}`), gateway())).code,
    ).toBe("missing_credentials");
    expect(
      appError(() =>
        incomingSmsToUrl.authenticate(inbound(BODY, headers({ authorization: "Bearer nbx_wrong" })), gateway()),
      ).code,
    ).toBe("bad_key");
  });
});

describe("sms-forwarder parse", () => {
  it("reads the golden default template; the key is the body's hash", () => {
    expect(incomingSmsToUrl.parse(inbound(BODY), gateway())).toEqual({
      messages: [
        {
          from: "+15551234567",
          text: "Your code is 123456",
          sim: 1,
          receivedAt: new Date(1768556698000),
          sourceKey: createHash("sha256").update(BODY).digest("hex"),
        },
      ],
    });
  });

  it("reads quoted stamps (older README), sim2, 'undetected', 'Unknown sender' and tricky text exactly", () => {
    const body = JSON.stringify({
      from: "Unknown sender",
      text: 'a & b = 100% + "quotes"\nnew line 🙂',
      sentStamp: "1768556698000",
      receivedStamp: "1768556699512",
      sim: "sim2",
    });
    expect(incomingSmsToUrl.parse(inbound(body), gateway())).toMatchObject({
      messages: [
        {
          from: "Unknown sender",
          text: 'a & b = 100% + "quotes"\nnew line 🙂',
          sim: 2,
          receivedAt: new Date(1768556698000),
        },
      ],
    });
    const undetected = JSON.stringify({
      from: "Bank",
      text: "x",
      sentStamp: 0,
      receivedStamp: 1768556699512,
      sim: "undetected",
    });
    expect(incomingSmsToUrl.parse(inbound(undetected), gateway())).toMatchObject({
      messages: [{ sim: null, receivedAt: new Date(1768556699512) }],
    });
  });

  it("answers broken JSON with 400 malformed_body and invalid UTF-8 with 400 invalid_utf8", () => {
    expect(appError(() => incomingSmsToUrl.parse(inbound('{"from":"%from%","text":"%text%",'), gateway())).code).toBe(
      "malformed_body",
    );
    expect(appError(() => incomingSmsToUrl.parse(inbound("[1]"), gateway())).code).toBe("malformed_body");
    expect(appError(() => incomingSmsToUrl.parse(inbound(new Uint8Array([0x22, 0xc3, 0x22])), gateway())).code).toBe(
      "invalid_utf8",
    );
  });
});

describe("sms-forwarder through the pipeline (PGlite)", () => {
  const pipeline = pipelineDatabase(PUBLIC_URL, async (db) => {
    await createGateway(db, { id: "forwarder-1", kind: "sms-forwarder", secret: SECRET }, { apiKey: API_KEY });
    await createNumber(db, { number: "+14155550100", gateway: "forwarder-1" });
    // A dual-SIM phone without a signing secret.
    await createGateway(db, { id: "forwarder-2", kind: "sms-forwarder" }, { apiKey: `${API_KEY}-2` });
    await createNumber(db, { number: "+4915112345678", gateway: "forwarder-2", sim: 1 });
    await createNumber(db, { number: "+4915112345679", gateway: "forwarder-2", sim: 2 });
  });

  async function post(gatewayId: string, body: string, h: Record<string, string>) {
    const request = new Request(`http://10.0.0.2/api/inbound/${gatewayId}`, { method: "POST", headers: h, body });
    return pipeline.ingest(gatewayId, request);
  }

  it("stores the golden request once; the app's byte-identical retry gets the same 200", async () => {
    const first = await post("forwarder-1", BODY, headers());
    expect(first.status).toBe(200);
    expect(first.headers.get("content-type")).toMatch(/^application\/json/);
    expect(await first.json()).toEqual({ ok: true, accepted: 1, duplicates: 0 });
    const retry = await post("forwarder-1", BODY, headers());
    expect(retry.status).toBe(200);
    expect(await retry.json()).toEqual({ ok: true, accepted: 0, duplicates: 1 });

    const page = await pipeline.inbox("+14155550100");
    expect(page.messages).toHaveLength(1);
    expect(page.messages[0]).toMatchObject({
      from: "+15551234567",
      text: "Your code is 123456",
      code: "123456",
      receivedAt: new Date(1768556698000).toISOString(),
    });
    const [row] = await pipeline.db.select().from(messages);
    expect(row).toMatchObject({ sourceKey: createHash("sha256").update(BODY).digest("hex") });
  });

  it("places a dual-SIM phone's messages by slot and refuses an undetected slot there (422)", async () => {
    const key = { authorization: `Bearer ${API_KEY}-2`, "content-type": "application/json; charset=utf-8" };
    const body = (sim: string, text: string) =>
      JSON.stringify({ from: "+15551234567", text, sentStamp: 1768556698000, receivedStamp: 1768556699512, sim });
    expect((await post("forwarder-2", body("sim2", "to SIM 2"), key)).status).toBe(200);
    expect((await pipeline.inbox("+4915112345679", 5)).messages.map((m) => m.text)).toEqual(["to SIM 2"]);
    const undetected = await post("forwarder-2", body("undetected", "where?"), key);
    expect(undetected.status).toBe(422);
    expect(await undetected.json()).toMatchObject({ error: "unknown_recipient" });
  });

  it("refuses an unsigned, a forged, and a keyless request; a form body is 415", async () => {
    const other = BODY.replace("is 123456", "is 654321");
    expect((await post("forwarder-1", other, headers())).status).toBe(403);
    expect((await post("forwarder-1", other, headers({ "x-signature": sign(other, "guess") }))).status).toBe(403);
    const noKey = headers({ "x-signature": sign(other) });
    delete (noKey as Record<string, string>).authorization;
    expect((await post("forwarder-1", other, noKey)).status).toBe(401);
    expect(
      (await post("forwarder-1", "from=a&text=b", headers({ "content-type": "application/x-www-form-urlencoded" })))
        .status,
    ).toBe(415);
    expect(await pipeline.db.select().from(messages)).toHaveLength(2);
  });

  it("stores a re-signed new message with its own key (a different body is a different message)", async () => {
    const other = BODY.replace("is 123456", "is 654321");
    const response = await post("forwarder-1", other, headers({ "x-signature": sign(other) }));
    expect(response.status).toBe(200);
    expect((await pipeline.inbox("+14155550100", 5)).messages.map((m) => m.text)).toEqual([
      "Your code is 654321",
      "Your code is 123456",
    ]);
  });
});
