import { eq } from "drizzle-orm";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { gateways } from "@/db/schema";
import { createGateway } from "@/lib/admin/gateways";
import { DRIVERS, type TestDatabase } from "@/lib/testing/databases";
import { gatewayAlerts } from "./gateway-silence";

const MINUTE = 60_000;

describe.each(DRIVERS)("gateway alerts on %s", (_name, open) => {
  let database: TestDatabase;
  beforeAll(async () => {
    database = await open();
  });
  afterAll(() => database?.close());

  const seen = (id: string, at: Date) =>
    database.db.update(gateways).set({ lastSeenAt: at }).where(eq(gateways.id, id));

  it("tells once that a sending gateway went silent, and once that it came back", async () => {
    const t0 = new Date("2026-11-30T10:00:00Z");
    await createGateway(database.db, { id: "modem-silent", kind: "generic" });
    await createGateway(database.db, { id: "modem-never-seen", kind: "generic" });
    await seen("modem-silent", t0);

    // Within the limit: nothing to say.
    expect(await gatewayAlerts(database.db, 15, new Date(t0.getTime() + 14 * MINUTE))).toEqual([]);
    // Past it: the silent one, once; the one never seen never.
    const late = new Date(t0.getTime() + 16 * MINUTE);
    expect(await gatewayAlerts(database.db, 15, late)).toEqual([
      {
        event: "gateway.offline",
        gateway: "modem-silent",
        kind: "generic",
        lastSeenAt: t0.toISOString(),
        at: late.toISOString(),
      },
    ]);
    expect(await gatewayAlerts(database.db, 15, new Date(t0.getTime() + 40 * MINUTE))).toEqual([]);

    // It sends again: told once it is back; silent again later: told again.
    const back = new Date(t0.getTime() + 41 * MINUTE);
    await seen("modem-silent", back);
    const recovered = await gatewayAlerts(database.db, 15, new Date(t0.getTime() + 42 * MINUTE));
    expect(recovered.map((a) => [a.event, a.gateway, a.lastSeenAt])).toEqual([
      ["gateway.recovered", "modem-silent", back.toISOString()],
    ]);
    expect(await gatewayAlerts(database.db, 15, new Date(t0.getTime() + 43 * MINUTE))).toEqual([]);
    const again = await gatewayAlerts(database.db, 15, new Date(t0.getTime() + 57 * MINUTE));
    expect(again.map((a) => [a.event, a.gateway])).toEqual([["gateway.offline", "modem-silent"]]);
  });

  it("of many instances looking at once, exactly one tells of each change", async () => {
    const t0 = new Date("2026-11-30T12:00:00Z");
    const ids = Array.from({ length: 5 }, (_, i) => `modem-crowd-${i}`);
    for (const id of ids) {
      await createGateway(database.db, { id, kind: "generic" });
      await seen(id, t0);
    }
    const look = (minutes: number) =>
      Promise.all(
        Array.from({ length: 8 }, () => gatewayAlerts(database.db, 15, new Date(t0.getTime() + minutes * MINUTE))),
      );
    const offline = (await look(20)).flat().filter((a) => ids.includes(a.gateway));
    expect(offline.map((a) => a.gateway).sort()).toEqual(ids);
    for (const id of ids) await seen(id, new Date(t0.getTime() + 21 * MINUTE));
    const recovered = (await look(22)).flat().filter((a) => ids.includes(a.gateway));
    expect(recovered.map((a) => `${a.event} ${a.gateway}`).sort()).toEqual(ids.map((id) => `gateway.recovered ${id}`));
  });

  it("leaves the demo's gateways alone", async () => {
    await createGateway(database.db, { id: "demo-quiet", kind: "generic" });
    await database.db
      .update(gateways)
      .set({ demo: true, lastSeenAt: new Date(0) })
      .where(eq(gateways.id, "demo-quiet"));
    const alerts = await gatewayAlerts(database.db, 15, new Date("2026-12-01T00:00:00Z"));
    expect(alerts.map((a) => a.gateway)).not.toContain("demo-quiet");
  });
});
