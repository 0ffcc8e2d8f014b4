import { createHash, createHmac, createPrivateKey, randomBytes, randomUUID, sign } from "node:crypto";
import { test, expect, type Numbox, freshDigits } from "./fixtures";

/**
 * Golden requests: each source's real webhook shape (docs/ingest-sources.md), signed the way the vendor signs it, sent
 * over HTTP to the production server, answered in the source's dialect, stored once, and readable at once.
 */

type Inbox = { gateway: string; key: string; number: string; digits: string; url: string };

async function inbox(
  numbox: Numbox,
  kind: string,
  extra: { secret?: string; sim?: number; config?: Record<string, unknown> } = {},
): Promise<Inbox> {
  const gateway = `${kind}-${randomBytes(3).toString("hex")}`;
  const created = await numbox.admin("/gateways", {
    body: { id: gateway, kind, secret: extra.secret, config: extra.config },
  });
  expect(created.status, await created.clone().text()).toBe(201);
  const { apiKey } = (await created.json()) as { apiKey: string };
  const digits = freshDigits("99891");
  const added = await numbox.admin("/numbers", { body: { number: `+${digits}`, gateway, sim: extra.sim } });
  expect(added.status, await added.clone().text()).toBe(201);
  return { gateway, key: apiKey, number: `+${digits}`, digits, url: `${numbox.url}/api/inbound/${gateway}` };
}

type Sent = { status: number; type: string | null; body: string };

async function send(url: string, init: RequestInit): Promise<Sent> {
  const response = await fetch(url, init);
  return { status: response.status, type: response.headers.get("content-type"), body: await response.text() };
}

/** Sends the request twice (a provider's retry): same answer, one stored message, which is returned. */
async function deliverTwice(numbox: Numbox, box: Inbox, url: string, init: () => RequestInit) {
  const first = await send(url, init());
  const retry = await send(url, init());
  expect(retry.status).toBe(first.status);
  const page = await (await numbox.get(`/api/v1/numbers/${box.digits}/messages`)).json();
  expect(page.messages, `stored once (answer was ${first.status} ${first.body})`).toHaveLength(1);
  return {
    answer: first,
    message: page.messages[0] as { from: string; text: string; code: string | null; receivedAt: string },
  };
}

const now = () => Math.floor(Date.now() / 1000);
const form = (params: Record<string, string>) => new URLSearchParams(params).toString();
const b64url = (v: string | Buffer) => Buffer.from(v).toString("base64url");
function jwt(secret: string, claims: Record<string, unknown>) {
  const signing = `${b64url(JSON.stringify({ alg: "HS256", typ: "JWT" }))}.${b64url(JSON.stringify(claims))}`;
  return `${signing}.${createHmac("sha256", secret).update(signing).digest("base64url")}`;
}
const sha256hex = (v: string) => createHash("sha256").update(v).digest("hex");

test.describe("provider webhooks, end to end", () => {
  test("twilio: form POST signed with the auth token → TwiML, stored once", async ({ numbox }) => {
    const token = "test_auth_token_0123456789abcdef";
    const box = await inbox(numbox, "twilio", { secret: token });
    const params = {
      ToCountry: "US",
      SmsMessageSid: "SM0123456789abcdef0123456789abcdef",
      NumMedia: "0",
      Body: "Hello & welcome — café ✓ code 482913",
      To: box.number,
      MessageSid: "SM0123456789abcdef0123456789abcdef",
      AccountSid: "AC0123456789abcdef0123456789abcdef",
      From: "+14155550199",
      NumSegments: "1",
      ApiVersion: "2010-04-01",
    };
    const signed = Object.keys(params)
      .sort()
      .reduce((acc, k) => acc + k + params[k as keyof typeof params], box.url);
    const signature = createHmac("sha1", token).update(signed).digest("base64");
    const { answer, message } = await deliverTwice(numbox, box, box.url, () => ({
      method: "POST",
      headers: { "Content-Type": "application/x-www-form-urlencoded", "X-Twilio-Signature": signature },
      body: form(params),
    }));
    expect(answer.status).toBe(200);
    expect(answer.type).toContain("xml");
    expect(answer.body).toContain("<Response");
    expect(message).toMatchObject({
      from: "+14155550199",
      text: "Hello & welcome — café ✓ code 482913",
      code: "482913",
    });

    const forged = await send(box.url, {
      method: "POST",
      headers: { "Content-Type": "application/x-www-form-urlencoded", "X-Twilio-Signature": signature },
      body: form({ ...params, Body: "forged" }),
    });
    expect(forged.status).toBe(403);
  });

  test("plivo: V3 signature → XML, stored once", async ({ numbox }) => {
    const token = "MjFmMmJiODVlOGRiZDIyNzdhMTdhYjMw12345678";
    const box = await inbox(numbox, "plivo", { secret: token });
    const params = {
      From: "14155550199",
      To: box.digits,
      Type: "sms",
      Text: "Your code is 7310",
      MessageUUID: randomUUID(),
      Units: "1",
    };
    const nonce = "05429567804466091622";
    const base = `${box.url}?${Object.keys(params)
      .sort()
      .map((k) => k + params[k as keyof typeof params])
      .join("")}.${nonce}`;
    const signature = createHmac("sha256", token).update(base).digest("base64");
    const { answer, message } = await deliverTwice(numbox, box, box.url, () => ({
      method: "POST",
      headers: {
        "Content-Type": "application/x-www-form-urlencoded",
        "X-Plivo-Signature-V3": signature,
        "X-Plivo-Signature-V3-Nonce": nonce,
      },
      body: form(params),
    }));
    expect(answer.status).toBe(200);
    expect(answer.type).toContain("xml");
    expect(message).toMatchObject({ from: "+14155550199", code: "7310" });
  });

  test("telnyx: Ed25519-signed message.received → 200; message.sent ignored", async ({ numbox }) => {
    const seed = "9d61b19deffd5a60ba844af492ec2cc44449c5697b326919703bac031cae7f60";
    const box = await inbox(numbox, "telnyx", { secret: "11qYAYKxCrfVS/7TyWQHOg7hcvPapiMlrwIaaPcHURo=" });
    const key = createPrivateKey({
      key: Buffer.concat([Buffer.from("302e020100300506032b657004220420", "hex"), Buffer.from(seed, "hex")]),
      format: "der",
      type: "pkcs8",
    });
    const event = (type: string) =>
      JSON.stringify({
        data: {
          event_type: type,
          id: randomUUID(),
          payload: {
            id: "84cca175-9755-4859-b67f-4730d7f58aa3",
            from: { phone_number: "+13125550001" },
            to: [{ phone_number: box.number }],
            text: "Hello from Telnyx, code 5521",
            parts: 1,
            received_at: "2023-11-14T22:13:19.873+00:00",
            type: "SMS",
          },
          record_type: "event",
        },
        meta: { attempt: 1 },
      });
    const signed = (body: string) => {
      const ts = String(now());
      return {
        method: "POST",
        headers: {
          "Content-Type": "application/json",
          "telnyx-timestamp": ts,
          "telnyx-signature-ed25519": sign(null, Buffer.from(`${ts}|${body}`), key).toString("base64"),
        },
        body,
      };
    };
    const ignored = await send(box.url, signed(event("message.sent")));
    expect(ignored.status).toBe(200);
    const body = event("message.received");
    const { answer, message } = await deliverTwice(numbox, box, box.url, () => signed(body));
    expect(answer.status).toBe(200);
    expect(message).toMatchObject({ from: "+13125550001", code: "5521", receivedAt: "2023-11-14T22:13:19.873Z" });
  });

  test("vonage-sms: unsigned GET with the key, and a message in two parts arriving out of order", async ({
    numbox,
  }) => {
    const box = await inbox(numbox, "vonage-sms");
    const query = (extra: Record<string, string>) =>
      `${box.url}?${form({ key: box.key, msisdn: "447700900001", to: box.digits, type: "text", "message-timestamp": "2026-11-22 10:00:00", ...extra })}`;
    const second = await send(
      query({
        messageId: "P2",
        concat: "true",
        "concat-ref": "77",
        "concat-total": "2",
        "concat-part": "2",
        text: "is 123456",
      }),
      {},
    );
    expect(second.status).toBeLessThan(300);
    const { message } = await deliverTwice(
      numbox,
      box,
      query({
        messageId: "P1",
        concat: "true",
        "concat-ref": "77",
        "concat-total": "2",
        "concat-part": "1",
        text: "Your code ",
      }),
      () => ({}),
    );
    expect(message).toMatchObject({ from: "+447700900001", text: "Your code is 123456", code: "123456" });
  });

  test("vonage-messages: JWT with payload_hash → 200", async ({ numbox }) => {
    const secret = "vonage_signature_secret_32_bytes_min!";
    const box = await inbox(numbox, "vonage-messages", { secret });
    const body = JSON.stringify({
      channel: "sms",
      message_uuid: randomUUID(),
      to: box.digits,
      from: "447700900001",
      timestamp: "2025-02-03T12:14:25Z",
      text: "Your code: 900412",
      message_type: "text",
    });
    const { answer, message } = await deliverTwice(numbox, box, box.url, () => ({
      method: "POST",
      headers: {
        "Content-Type": "application/json",
        Authorization: `Bearer ${jwt(secret, { iat: now(), jti: randomUUID(), iss: "Vonage", payload_hash: sha256hex(body) })}`,
      },
      body,
    }));
    expect(answer.status).toBe(200);
    expect(message).toMatchObject({ from: "+447700900001", code: "900412" });
  });

  test("messagebird: GET with a JWT over the full URL → 200", async ({ numbox }) => {
    const secret = "36efdd1aace2e26cd490f0d951138253bef2f7c6d34d18981da781555cc4cebb";
    const box = await inbox(numbox, "messagebird", { secret });
    const url = `${box.url}?id=${randomBytes(16).toString("hex")}&recipient=${box.digits}&originator=31612345678&body=Your+code+is+6612&createdDatetime=2016-05-03T14:26:57+00:00`;
    const token = () =>
      jwt(secret, { iss: "MessageBird", nbf: now(), exp: now() + 60, jti: randomUUID(), url_hash: sha256hex(url) });
    const { answer, message } = await deliverTwice(numbox, box, url, () => ({
      headers: { "MessageBird-Signature-JWT": token() },
    }));
    expect(answer.status).toBe(200);
    expect(message).toMatchObject({ from: "+31612345678", code: "6612", receivedAt: "2016-05-03T14:26:57.000Z" });

    // The raw request target is stamped by our server; a client cannot supply its own to match a forged signature.
    const forgedUrl = `${box.url}?id=forged&recipient=${box.digits}&originator=Bank&body=forged`;
    const forged = await send(url.replace("Your+code+is+6612", "Your+code+is+0000"), {
      headers: {
        "MessageBird-Signature-JWT": jwt(secret, {
          iss: "MessageBird",
          nbf: now(),
          exp: now() + 60,
          jti: randomUUID(),
          url_hash: sha256hex(forgedUrl),
        }),
        "X-Numbox-Raw-Url": forgedUrl.slice(numbox.url.length),
      },
    });
    expect(forged.status).toBe(403);
  });

  test("bird: HMAC over timestamp, URL and body hash → 200", async ({ numbox }) => {
    const secret = "bird-signing-key";
    const box = await inbox(numbox, "bird", { secret });
    const body = JSON.stringify({
      service: "channels",
      event: "sms.inbound",
      payload: {
        id: randomUUID(),
        sender: { contact: { identifierKey: "phonenumber", identifierValue: "+31612345678" } },
        receiver: { connector: { id: "86cc4dc0-3dc0-41b7-ac43-8ec829ead56f" } },
        body: { type: "text", text: { text: "Sample incoming text message 3141" } },
        direction: "incoming",
        createdAt: "2022-12-22T08:32:50.736Z",
      },
    });
    const signed = () => {
      const ts = String(now());
      const mac = createHmac("sha256", secret)
        .update(Buffer.concat([Buffer.from(`${ts}\n${box.url}\n`), createHash("sha256").update(body).digest()]))
        .digest("base64");
      return {
        method: "POST",
        headers: {
          "Content-Type": "application/json",
          "messagebird-request-timestamp": ts,
          "messagebird-signature": mac,
        },
        body,
      };
    };
    const { answer, message } = await deliverTwice(numbox, box, box.url, signed);
    expect(answer.status).toBe(200);
    expect(message).toMatchObject({ from: "+31612345678", text: "Sample incoming text message 3141" });
  });

  test("sinch: JSON with the key as Basic password → 200", async ({ numbox }) => {
    const box = await inbox(numbox, "sinch");
    const body = JSON.stringify({
      id: randomUUID(),
      from: "+447700900001",
      to: box.number,
      body: "Hello from Sinch 2231",
      type: "mo_text",
      received_at: "2024-01-01T10:00:00.000Z",
    });
    const { answer, message } = await deliverTwice(numbox, box, box.url, () => ({
      method: "POST",
      headers: {
        "Content-Type": "application/json",
        Authorization: `Basic ${Buffer.from(`sinch:${box.key}`).toString("base64")}`,
      },
      body,
    }));
    expect(answer.status).toBe(200);
    expect(message).toMatchObject({ from: "+447700900001", receivedAt: "2024-01-01T10:00:00.000Z" });
  });

  test("infobip: a batch stored all or nothing → 200", async ({ numbox }) => {
    const box = await inbox(numbox, "infobip");
    const result = (id: string, text: string) => ({
      messageId: id,
      from: "385916242493",
      to: box.digits,
      text,
      receivedAt: "2016-10-06T09:28:39.220+0000",
      smsCount: 1,
    });
    const body = JSON.stringify({
      results: [result(randomUUID(), "Code 1111")],
      messageCount: 1,
      pendingMessageCount: 0,
    });
    const { answer, message } = await deliverTwice(numbox, box, `${box.url}?key=${box.key}`, () => ({
      method: "POST",
      headers: { "Content-Type": "application/json" },
      body,
    }));
    expect(answer.status).toBe(200);
    expect(message).toMatchObject({ from: "+385916242493", code: "1111", receivedAt: "2016-10-06T09:28:39.220Z" });

    const mismatch = await send(`${box.url}?key=${box.key}`, {
      method: "POST",
      headers: { "Content-Type": "application/json" },
      body: JSON.stringify({ results: [result(randomUUID(), "a"), result(randomUUID(), "b")], messageCount: 3 }),
    });
    expect(mismatch.status).toBe(422);
    expect(JSON.parse(mismatch.body).error).toBe("invalid_batch");
  });

  test("android-sms-gateway: signed sms:received, our number from the SIM slot; system:ping ignored", async ({
    numbox,
  }) => {
    const secret = "my-signing-key";
    const box = await inbox(numbox, "android-sms-gateway", { secret, sim: 2 });
    const envelope = (event: string, payload: Record<string, unknown>) =>
      JSON.stringify({
        deviceId: "ffffffffceb0b1db0000018e937c815b",
        event,
        id: randomBytes(10).toString("base64url"),
        payload,
        webhookId: "w1",
      });
    const signed = (body: string) => {
      const ts = String(now());
      return {
        method: "POST",
        headers: {
          "Content-Type": "application/json",
          "X-Timestamp": ts,
          "X-Signature": createHmac("sha256", secret)
            .update(body + ts)
            .digest("hex"),
        },
        body,
      };
    };
    const url = `${box.url}?key=${box.key}`;
    expect((await send(url, signed(envelope("system:ping", {})))).status).toBe(200);
    const body = envelope("sms:received", {
      messageId: "abc123",
      message: "Your Careem code is 4410",
      phoneNumber: "Careem",
      simNumber: 2,
      receivedAt: "2024-06-22T15:46:11.000+07:00",
    });
    const { answer, message } = await deliverTwice(numbox, box, url, () => signed(body));
    expect(answer.status).toBe(200);
    expect(message).toMatchObject({ from: "Careem", code: "4410", receivedAt: "2024-06-22T08:46:11.000Z" });
  });

  test("sms-forwarder (bogkonstantin): template JSON with bearer key and X-Signature → 200", async ({ numbox }) => {
    const secret = "bk-secret";
    const box = await inbox(numbox, "sms-forwarder", { secret });
    const body = `{\n  "from":"+15551234567",\n  "text":"Your code is 123456",\n  "sentStamp":1768556698000,\n  "receivedStamp":1768556699512,\n  "sim":"sim1"\n}`;
    const { answer, message } = await deliverTwice(numbox, box, box.url, () => ({
      method: "POST",
      headers: {
        "Content-Type": "application/json; charset=utf-8",
        Authorization: `Bearer ${box.key}`,
        "X-Signature": createHmac("sha256", secret).update(body).digest("hex"),
      },
      body,
    }));
    expect(answer.status).toBe(200);
    expect(message).toMatchObject({ from: "+15551234567", code: "123456" });
  });

  test("smsforwarder (pppscn): JSON template with the key in the URL → 200", async ({ numbox }) => {
    const box = await inbox(numbox, "smsforwarder", { sim: 1 });
    const body = JSON.stringify({
      from: "+8613800138000",
      org_content: "【验证码】您的验证码是 123456，5 分钟内有效。",
      receive_time: "2023-11-14 22:13:19",
      card_slot: "SIM1_China Mobile_+8613900139000",
      device_mark: "Pixel-7",
      timestamp: "1700000000000",
      sign: "",
    });
    const { answer, message } = await deliverTwice(numbox, box, `${box.url}?key=${box.key}`, () => ({
      method: "POST",
      headers: { "Content-Type": "application/json" },
      body,
    }));
    expect(answer.status).toBe(200);
    expect(message).toMatchObject({ from: "+8613800138000", code: "123456", receivedAt: "2023-11-14T22:13:19.000Z" });
  });

  test("smsgateway24: the app's JSON with the key in the URL, its SMS channel's slot; WhatsApp, image, status ignored", async ({
    numbox,
  }) => {
    const box = await inbox(numbox, "smsgateway24", {
      sim: 2,
      config: { smsChannels: { "1": 1, "2": 2 }, timeZone: "+05:00" },
    });
    const url = `${box.url}?key=${box.key}`;
    const json = (body: Record<string, unknown>) => ({
      method: "POST",
      headers: { "Content-Type": "application/json" },
      body: JSON.stringify(body),
    });
    const smsId = Math.floor(Math.random() * 1e9);
    const text = {
      address: "+4915112345678",
      date: "2026-11-22 10:20:00",
      date_sent: "2026-11-22 10:19:59",
      body: "Your code is 771204",
      internal_id: 2202,
      channel_id: 2,
      sms_id: smsId,
      device_id: 10403,
      device_name: "Pixel 7",
      type: "text",
    };
    // What is not an SMS is acknowledged, so that the app does not retry it, and never shown.
    const whatsapp = { ...text, channel_id: 7, sms_id: smsId + 1, body: "WhatsApp: dinner at 8?" };
    const image = {
      ...text,
      channel_id: undefined,
      sim: 0,
      type: "img",
      body: "",
      img_url: "https://example.com/i.jpg",
    };
    const status = { sms_id: smsId + 2, status_id: 7, sendto: "+4915112345678", channel_id: 2, device_id: 10403 };
    for (const body of [whatsapp, image, status]) {
      expect(await send(url, json(body))).toMatchObject({ status: 200, body: '{"ok":true}' });
    }
    expect((await send(`${box.url}?key=nbx_wrong`, json(text))).status).toBe(401);
    const { answer, message } = await deliverTwice(numbox, box, url, () => json(text));
    expect(answer.status).toBe(200);
    expect(message).toMatchObject({ from: "+4915112345678", code: "771204", receivedAt: "2026-11-22T05:20:00.000Z" });
  });

  test("smsgateway24: an older app's payload (SIM slot, no channel) on a one-number gateway → 200", async ({
    numbox,
  }) => {
    const box = await inbox(numbox, "smsgateway24");
    const body = JSON.stringify({
      address: "Bank",
      date: "2026-11-22 10:15:00",
      date_sent: "2026-11-22 10:14:58",
      body: "Bank: code 482913, do not share it",
      internal_id: 2201,
      sms_id: Math.floor(Math.random() * 1e9),
      device_id: 10403,
      device_name: "Pixel 7",
      sim: 0,
    });
    const { answer, message } = await deliverTwice(numbox, box, `${box.url}?key=${box.key}`, () => ({
      method: "POST",
      headers: { "Content-Type": "application/json" },
      body,
    }));
    expect(answer.status).toBe(200);
    expect(message).toMatchObject({ from: "Bank", code: "482913", receivedAt: "2026-11-22T10:15:00.000Z" });
  });

  test("kannel: get-url with the key → empty 200 (no reply SMS)", async ({ numbox }) => {
    const box = await inbox(numbox, "kannel");
    const url = `${box.url}?key=${box.key}&id=${randomUUID()}&from=447700900001&to=${box.digits}&text=Your+code+is+51234&coding=0&charset=UTF-8&udh=&ts=1763805600&smsc=modem1`;
    const { answer, message } = await deliverTwice(numbox, box, url, () => ({
      headers: { "User-Agent": "Kannel/1.4.5" },
    }));
    expect(answer.status).toBe(200);
    expect(answer.body).toBe("");
    expect(message).toMatchObject({ from: "+447700900001", code: "51234" });
  });

  test("kannel: post-url with a UCS-2 body", async ({ numbox }) => {
    const box = await inbox(numbox, "kannel");
    const { answer, message } = await deliverTwice(numbox, box, `${box.url}?key=${box.key}&id=${randomUUID()}`, () => ({
      method: "POST",
      headers: {
        "Content-Type": 'text/plain; charset="UTF-16BE"',
        "X-Kannel-From": "79642161111",
        "X-Kannel-To": box.digits,
        "X-Kannel-Time": "2026-11-22 10:05:00",
        "X-Kannel-Coding": "2",
      },
      body: Buffer.from("0412043004480020043a043e0434003a002000340038003200310020d83dde00", "hex"),
    }));
    expect(answer.status).toBe(200);
    expect(message).toMatchObject({ from: "+79642161111", text: "Ваш код: 4821 😀", code: "4821" });
  });

  test("jasmin: form POST → exactly ACK/Jasmin", async ({ numbox }) => {
    const box = await inbox(numbox, "jasmin");
    const body = form({
      id: randomUUID(),
      from: "+21620203060",
      to: box.number,
      "origin-connector": "smpp-01",
      coding: "0",
      content: "Your code is 51234",
      binary: Buffer.from("Your code is 51234").toString("hex"),
    });
    const { answer, message } = await deliverTwice(numbox, box, `${box.url}?key=${box.key}`, () => ({
      method: "POST",
      headers: { "Content-Type": "application/x-www-form-urlencoded" },
      body,
    }));
    expect(answer.status).toBe(200);
    expect(answer.body).toBe("ACK/Jasmin");
    expect(message).toMatchObject({ from: "+21620203060", code: "51234" });
  });

  test("gammu: the form our RunOnReceive script posts → stored once, with the SMS centre's time", async ({
    numbox,
  }) => {
    const box = await inbox(numbox, "gammu");
    const body = form({
      DECODED_PARTS: "0",
      PHONE_ID: "modem1",
      SMS_1_CLASS: "-1",
      SMS_1_NUMBER: "+45409000931640979",
      SMS_1_TEXT: "Your code is 51234 & welcome ☺",
      SMS_MESSAGES: "1",
      ids: "IN20021130_021531_00_+45409000931640979_00.txt",
      spool_id: `20021130T021533Z-${randomBytes(2).toString("hex")}`,
    });
    const { answer, message } = await deliverTwice(numbox, box, box.url, () => ({
      method: "POST",
      headers: { "Content-Type": "application/x-www-form-urlencoded", Authorization: `Bearer ${box.key}` },
      body,
    }));
    expect(answer.status).toBe(200);
    expect(message).toMatchObject({
      text: "Your code is 51234 & welcome ☺",
      code: "51234",
      receivedAt: "2002-11-30T02:15:31.000Z",
    });
  });

  test("smstools: the message file our eventhandler posts → stored once", async ({ numbox }) => {
    const box = await inbox(numbox, "smstools");
    const file =
      "From: 491721234567\nFrom_SMSC: 491722270333\nSent: 02-01-21 22:26:23\nReceived: 02-01-21 22:26:25\n" +
      "Subject: GSM1\nAlphabet: ISO\nUDH: false\n\nThis is the Text that I sent with my mobile phone. Code 7712";
    const { answer, message } = await deliverTwice(numbox, box, box.url, () => ({
      method: "POST",
      headers: {
        "Content-Type": "application/octet-stream",
        Authorization: `Bearer ${box.key}`,
        "X-Numbox-File": "GSM1.AbC123",
      },
      body: file,
    }));
    expect(answer.status).toBe(200);
    expect(message).toMatchObject({ from: "+491721234567", code: "7712", receivedAt: "2002-01-21T22:26:23.000Z" });
  });

  test("the same signed provider request ten times in parallel: ten 2xx, one message", async ({ numbox }) => {
    const token = "concurrency_token";
    const box = await inbox(numbox, "twilio", { secret: token });
    const params = {
      MessageSid: `SM${randomBytes(16).toString("hex")}`,
      From: "+14155550199",
      To: box.number,
      Body: "Code 9090",
      NumSegments: "1",
    };
    const signature = createHmac("sha1", token)
      .update(
        Object.keys(params)
          .sort()
          .reduce((acc, k) => acc + k + params[k as keyof typeof params], box.url),
      )
      .digest("base64");
    const answers = await Promise.all(
      Array.from({ length: 10 }, () =>
        send(box.url, {
          method: "POST",
          headers: { "Content-Type": "application/x-www-form-urlencoded", "X-Twilio-Signature": signature },
          body: form(params),
        }),
      ),
    );
    expect(answers.map((a) => a.status)).toEqual(Array(10).fill(200));
    const page = await (await numbox.get(`/api/v1/numbers/${box.digits}/messages`)).json();
    expect(page.messages).toHaveLength(1);
  });
});
