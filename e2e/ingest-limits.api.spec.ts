import { randomBytes } from "node:crypto";
import { test, expect, freshDigits } from "./fixtures";

test("a gateway's source-address allowlist cannot be dodged with X-Forwarded-For", async ({ numbox }) => {
  const make = async (allowIps: string[]) => {
    const id = `allow-${randomBytes(3).toString("hex")}`;
    const created = await numbox.admin("/gateways", { body: { id, kind: "generic", config: { allowIps } } });
    expect(created.status, await created.clone().text()).toBe(201);
    const { apiKey } = await created.json();
    const digits = freshDigits("99894");
    expect((await numbox.admin("/numbers", { body: { number: `+${digits}`, gateway: id } })).status).toBe(201);
    return { id, apiKey, number: `+${digits}` };
  };
  const elsewhere = await make(["192.0.2.0/24", "2001:db8::/32"]);
  const refused = await numbox.inbound(
    elsewhere.id,
    elsewhere.apiKey,
    { to: elsewhere.number, from: "A", text: "x" },
    {
      "X-Forwarded-For": "192.0.2.5",
      "X-Numbox-Peer": "192.0.2.5",
    },
  );
  expect(refused.status).toBe(403);
  expect((await refused.json()).error).toBe("source_ip_not_allowed");

  const here = await make(["127.0.0.0/8", "::1"]);
  expect((await numbox.inbound(here.id, here.apiKey, { to: here.number, from: "A", text: "x" })).status).toBe(200);

  const bad = await numbox.admin("/gateways", {
    body: { id: "allow-bad", kind: "generic", config: { allowIps: ["300.1.2.3/8"] } },
  });
  expect(bad.status).toBe(422);
});
