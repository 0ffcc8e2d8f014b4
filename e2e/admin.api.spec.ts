import { randomBytes } from "node:crypto";
import { test, expect } from "./fixtures";

test.describe("admin API", () => {
  test("without ADMIN_TOKEN configured it is off, with a hint", async () => {
    const response = await fetch(`${process.env.NUMBOX_BROKEN_URL}/api/admin/gateways`, {
      method: "POST",
      headers: { "Content-Type": "application/json", Authorization: "Bearer anything" },
      body: JSON.stringify({ id: "x", kind: "generic" }),
    });
    expect(response.status).toBe(403);
    const body = await response.json();
    expect(body.error).toBe("admin_disabled");
    expect(body.detail).toContain("ADMIN_TOKEN");
  });

  test("a missing or wrong token is 401", async ({ numbox }) => {
    for (const token of [null, "wrong", `${numbox.adminToken}x`]) {
      const response = await numbox.admin("/gateways", { body: { id: "never-created", kind: "generic" }, token });
      expect(response.status).toBe(401);
      expect((await response.json()).error).toBe("unauthorized");
      expect(response.headers.get("www-authenticate")).toContain("Bearer");
    }
    const list = await numbox.admin("/gateways", { method: "GET" });
    const ids = ((await list.json()) as { id: string }[]).map((g) => g.id);
    expect(ids).not.toContain("never-created");
  });

  test("creates a gateway: the key is shown once and works, the list never shows it", async ({ numbox }) => {
    const id = `modem-${randomBytes(3).toString("hex")}`;
    const created = await numbox.admin("/gateways", { body: { id, name: "Modem in Tashkent", kind: "generic" } });
    expect(created.status).toBe(201);
    const { apiKey, kind } = await created.json();
    expect(kind).toBe("generic");
    expect(apiKey).toMatch(/^nbx_[A-Za-z0-9_-]{40,}$/);

    const listed = await (await numbox.admin("/gateways", { method: "GET" })).text();
    expect(listed).toContain(id);
    expect(listed).not.toContain(apiKey);

    const again = await numbox.admin("/gateways", { body: { id, kind: "generic" } });
    expect(again.status).toBe(409);
    expect((await again.json()).error).toBe("gateway_exists");
  });

  test("rejects invalid gateways and numbers with 4xx naming the problem", async ({ numbox }) => {
    const badKind = await numbox.admin("/gateways", { body: { id: "x1", kind: "carrier-pigeon" } });
    expect(badKind.status).toBe(422);
    expect((await badKind.json()).detail).toContain("kind");

    const noSecret = await numbox.admin("/gateways", { body: { id: "x2", kind: "twilio" } });
    expect(noSecret.status).toBe(422);
    const { error, detail } = await noSecret.json();
    expect(error).toBe("missing_secret");
    expect(detail).toMatch(/auth token/i);

    const notJson = await fetch(`${numbox.url}/api/admin/gateways`, {
      method: "POST",
      headers: { Authorization: `Bearer ${numbox.adminToken}`, "Content-Type": "application/json" },
      body: "{nope",
    });
    expect(notJson.status).toBe(400);

    const { gateway } = await numbox.gatewayWithNumber();
    const badNumber = await numbox.admin("/numbers", { body: { number: "12", gateway } });
    expect(badNumber.status).toBe(422);
    expect((await badNumber.json()).error).toBe("invalid_number");
    const noGateway = await numbox.admin("/numbers", { body: { number: "+447512345678", gateway: "nope-nope" } });
    expect(noGateway.status).toBe(422);
    expect((await noGateway.json()).error).toBe("unknown_gateway");
  });

  test("adds a number, then retires it: it leaves the public lists", async ({ numbox }) => {
    const { digits } = await numbox.gatewayWithNumber();
    const listed = async () =>
      ((await (await numbox.get("/api/v1/numbers?country=UZ")).json()) as { digits: string }[]).some(
        (n) => n.digits === digits,
      );
    expect(await listed()).toBe(true);
    const retired = await numbox.admin(`/numbers/%2B${digits}`, { method: "PATCH", body: { status: "retired" } });
    expect(retired.status).toBe(200);
    expect((await retired.json()).status).toBe("retired");
    expect(await listed()).toBe(false);

    const badStatus = await numbox.admin(`/numbers/${digits}`, { method: "PATCH", body: { status: "sleeping" } });
    expect(badStatus.status).toBe(422);
    const unknown = await numbox.admin(`/numbers/447512345671`, { method: "PATCH", body: { status: "paused" } });
    expect(unknown.status).toBe(404);
  });
});

test.describe("operator tools", () => {
  test("an authenticated request that is refused is quarantined with its body, credentials masked", async ({
    numbox,
  }) => {
    const { gateway, key } = await numbox.gatewayWithNumber();
    const text = `lost? ${randomBytes(4).toString("hex")}`;
    const refused = await numbox.inbound(gateway, key, { to: "+447512345678", from: "Bank", text });
    expect(refused.status).toBe(422);

    const list = (await (await numbox.admin("/quarantine", { method: "GET" })).json()) as Record<string, unknown>[];
    const entry = list.find((q) => String(q.body).includes(text));
    expect(entry).toMatchObject({ gateway, method: "POST", error: "unknown_recipient" });
    expect(JSON.stringify(entry)).not.toContain(key);
    expect((entry!.headers as Record<string, string>).authorization).toBe("***");

    // A credential in the query is masked everywhere, the server's own record of the raw target included.
    const token = `tok-${randomBytes(6).toString("hex")}`;
    const withQuery = await fetch(`${numbox.url}/api/inbound/${gateway}?token=${token}`, {
      method: "POST",
      headers: { Authorization: `Bearer ${key}`, "Content-Type": "application/json" },
      body: JSON.stringify({ to: "+447512345678", from: "Bank", text: `${text}-query` }),
    });
    expect(withQuery.status).toBe(422);
    const masked = await (await numbox.admin("/quarantine", { method: "GET" })).text();
    expect(masked).toContain(`${text}-query`);
    expect(masked).toContain("token=***");
    expect(masked).not.toContain(token);

    // Unauthenticated junk is not kept (anyone could fill the table).
    await numbox.inbound(gateway, "nbx_wrong", { to: "+447512345678", from: "Bank", text: `${text}-forged` });
    const again = await (await numbox.admin("/quarantine", { method: "GET" })).text();
    expect(again).not.toContain(`${text}-forged`);
  });

  test("rotating a gateway's key keeps the previous key valid until the next rotation", async ({ numbox }) => {
    const { gateway, key: first, number } = await numbox.gatewayWithNumber();
    const rotate = async () => {
      const response = await numbox.admin(`/gateways/${gateway}/rotate`, { body: { apiKey: true } });
      expect(response.status).toBe(200);
      return ((await response.json()) as { apiKey: string }).apiKey;
    };
    const post = (key: string) => numbox.inbound(gateway, key, { to: number, from: "A", text: "x" });

    const second = await rotate();
    expect((await post(second)).status).toBe(200);
    expect((await post(first)).status).toBe(200);
    const third = await rotate();
    expect((await post(third)).status).toBe(200);
    expect((await post(second)).status).toBe(200);
    expect((await post(first)).status).toBe(401);
  });

  test("a number moves to another SIM slot and changes status in one PATCH; a wrong change is a 422", async ({
    numbox,
  }) => {
    const { digits } = await numbox.gatewayWithNumber();
    const patch = (body: unknown) => numbox.admin(`/numbers/${digits}`, { method: "PATCH", body });
    const moved = await patch({ sim: 2, status: "paused" });
    expect(moved.status, await moved.clone().text()).toBe(200);
    expect(await moved.json()).toMatchObject({ number: `+${digits}`, status: "paused" });
    expect((await patch({ sim: null, status: "active" })).status).toBe(200);
    for (const body of [{}, { sim: 0 }, { sim: "2" }, { sim: 17 }, { gateway: "other" }]) {
      const refused = await patch(body);
      expect(refused.status, JSON.stringify(body)).toBe(422);
      expect((await refused.json()).error).toBe("invalid_fields");
    }
  });

  test("a gateway's name and config change in place, checked as when it was added, and apply at once", async ({
    numbox,
  }) => {
    const { gateway, key, number } = await numbox.gatewayWithNumber();
    const patch = (body: unknown, id = gateway) => numbox.admin(`/gateways/${id}`, { method: "PATCH", body });
    const post = () => numbox.inbound(gateway, key, { to: number, from: "A", text: "x" });
    expect((await post()).status).toBe(200);

    // Only 10.0.0.1 may send now: this test's address is refused from the next request on.
    const changed = await patch({ name: "Modem in the office", config: { allowIps: ["10.0.0.1"] } });
    expect(changed.status, await changed.clone().text()).toBe(200);
    const refused = await post();
    expect(refused.status).toBe(403);
    expect((await refused.json()).error).toBe("source_ip_not_allowed");
    const listed = (await (await numbox.admin("/gateways", { method: "GET" })).json()) as {
      id: string;
      name: string;
      config: unknown;
    }[];
    expect(listed.find((g) => g.id === gateway)).toMatchObject({
      name: "Modem in the office",
      config: { allowIps: ["10.0.0.1"] },
    });

    // The whole config is replaced: without allowIps, anyone with the key may send again.
    expect((await patch({ config: {} })).status).toBe(200);
    expect((await post()).status).toBe(200);

    for (const [body, status, error] of [
      [{ config: { allowIps: ["300.1.2.3"] } }, 422, "invalid_fields"],
      [{ kind: "twilio" }, 422, "invalid_fields"],
      [{}, 422, "invalid_fields"],
    ] as const) {
      const response = await patch(body);
      expect(response.status, JSON.stringify(body)).toBe(status);
      expect((await response.json()).error).toBe(error);
    }
    const unknown = await patch({ name: "x" }, "no-such-gateway");
    expect(unknown.status).toBe(404);
    expect((await unknown.json()).error).toBe("unknown_gateway");
  });
});
