import { count, sql } from "drizzle-orm";
import type { Db } from "@/db/client";
import { gateways, messages } from "@/db/schema";
import { createGateway } from "@/lib/admin/gateways";
import { createNumber } from "@/lib/admin/numbers";
import { recordArrivals } from "@/lib/inbox/activity";
import { messageRow } from "@/lib/ingest/message-row";
import { DEMO_GATEWAY_ID, DEMO_NUMBERS } from "./numbers";
import { SAMPLES, fillSample } from "./samples";

export { DEMO_GATEWAY_ID, DEMO_NUMBERS };

const SEED_LOCK_ID = 7_260_432;

/**
 * Fills an empty database with demo numbers and a little history, so a newcomer sees inboxes at once.
 * Does nothing when any gateway exists: an operator's data is never touched.
 */
export async function seedDemo(db: Db, options: { gatewayKey: string; messagesPerNumber?: number }) {
  // One transaction: a seed that fails half-way must not leave a database that looks "not empty" next time.
  // The advisory lock makes instances starting together on one empty Postgres seed one after the other.
  return db.transaction(async (tx) => {
    await tx.execute(sql`select pg_advisory_xact_lock(${SEED_LOCK_ID})`);
    return seed(tx, options);
  });
}

async function seed(db: Db, options: { gatewayKey: string; messagesPerNumber?: number }) {
  const [existing] = await db.select({ n: count() }).from(gateways);
  if ((existing?.n ?? 0) > 0) return false;

  await createGateway(
    db,
    { id: DEMO_GATEWAY_ID, name: "Demo modem", kind: "generic" },
    {
      apiKey: options.gatewayKey,
      demo: true,
    },
  );
  for (const number of DEMO_NUMBERS) {
    await createNumber(db, { number, gateway: DEMO_GATEWAY_ID }, { demo: true });
  }

  // History spread over the last few hours, oldest first so ids grow with time as they would live.
  const perNumber = options.messagesPerNumber ?? 6;
  const now = Date.now();
  const history = DEMO_NUMBERS.flatMap((number, n) =>
    Array.from({ length: perNumber }, (_, i) => {
      const sample = fillSample(SAMPLES[(n * 7 + i * 3) % SAMPLES.length]!);
      const at = new Date(now - ((perNumber - i) * 37 + n * 5) * 60_000);
      return { number, ...sample, at };
    }),
  ).sort((a, b) => a.at.getTime() - b.at.getTime());

  const stored = await db
    .insert(messages)
    .values(
      history.map((m) =>
        messageRow({
          number: m.number,
          gatewayId: DEMO_GATEWAY_ID,
          sourceKey: null,
          sender: m.from,
          sent: m.text,
          shown: m.text,
          segments: null,
          receivedAt: m.at,
          createdAt: m.at,
        }),
      ),
    )
    .returning({
      id: messages.id,
      number: messages.number,
      createdAt: messages.createdAt,
      service: messages.service,
      sender: messages.sender,
    });
  await recordArrivals(db, stored);
  await db.update(gateways).set({ lastSeenAt: new Date() });
  return true;
}
