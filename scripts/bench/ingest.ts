/**
 * How fast the ingest path stores messages, against a baseline measured in the same run on the same database: a
 * bare INSERT of the same row in its own transaction (what any store must do at least). The ratio is what our
 * idempotency check, code extraction and bookkeeping cost.
 */
import { performance } from "node:perf_hooks";
import type { Database } from "../../db/client";
import { messages } from "../../db/schema";
import { createGateway } from "../../lib/admin/gateways";
import { createNumber } from "../../lib/admin/numbers";
import { validMessage } from "../../lib/ingest/message";
import { storeMessages } from "../../lib/ingest/store";
import { extractCode } from "../../lib/text/otp";
import { SAMPLES, fillSample } from "../../lib/demo/samples";
import { openBenchDatabases } from "./databases";
import { median } from "./stats";

const ROUNDS = 5;
const PER_ROUND = 300;
const TO = "+998940373339";

async function timeRounds(run: (round: number) => Promise<void>): Promise<number> {
  const perSecond: number[] = [];
  for (let round = 0; round < ROUNDS; round++) {
    const start = performance.now();
    await run(round);
    perSecond.push((PER_ROUND / (performance.now() - start)) * 1000);
  }
  return median(perSecond);
}

async function benchDriver(name: string, database: Database) {
  const { db } = database;
  await createGateway(db, { id: "bench", kind: "generic" });
  await createNumber(db, { number: TO, gateway: "bench" });
  const texts = Array.from({ length: PER_ROUND }, (_, i) => fillSample(SAMPLES[i % SAMPLES.length]!));

  const baseline = await timeRounds(async (round) => {
    for (let i = 0; i < PER_ROUND; i++) {
      const m = texts[i]!;
      await db.transaction(async (tx) => {
        await tx.insert(messages).values({
          number: TO,
          gatewayId: "bench",
          sourceKey: `base-${round}-${i}`,
          contentHash: "x",
          sender: m.from,
          text: m.text,
          receivedAt: new Date(),
        });
      });
    }
  });
  const numbox = await timeRounds(async (round) => {
    for (let i = 0; i < PER_ROUND; i++) {
      const m = texts[i]!;
      await storeMessages(db, "bench", [
        validMessage({ to: TO, from: m.from, text: m.text, sourceKey: `nbx-${round}-${i}` }),
      ]);
    }
  });
  const retries = await timeRounds(async (round) => {
    for (let i = 0; i < PER_ROUND; i++) {
      const m = texts[i]!;
      await storeMessages(db, "bench", [
        validMessage({ to: TO, from: m.from, text: m.text, sourceKey: `nbx-${round}-${i}` }),
      ]);
    }
  });
  await database.close();
  return { name, baseline, numbox, retries };
}

function benchExtraction() {
  const texts = Array.from({ length: 2000 }, (_, i) => fillSample(SAMPLES[i % SAMPLES.length]!).text);
  const rates: number[] = [];
  for (let round = 0; round < ROUNDS; round++) {
    const start = performance.now();
    for (const t of texts) extractCode(t);
    rates.push((texts.length / (performance.now() - start)) * 1000);
  }
  return median(rates);
}

export async function benchIngest(url: string | undefined) {
  const results = [];
  for (const { name, open } of openBenchDatabases(url)) results.push(await benchDriver(name, await open()));
  console.log(`method: ${ROUNDS} rounds × ${PER_ROUND} messages, one per call, median messages/s\n`);
  console.log("| database | baseline INSERT/s | storeMessages/s | ratio | retries (duplicates)/s |");
  console.log("|---|---|---|---|---|");
  for (const r of results) {
    console.log(
      `| ${r.name} | ${r.baseline.toFixed(0)} | ${r.numbox.toFixed(0)} | ${(r.numbox / r.baseline).toFixed(2)} | ${r.retries.toFixed(0)} |`,
    );
  }
  console.log(`\ncode extraction: ${benchExtraction().toFixed(0)} messages/s (median of ${ROUNDS} × 2000)\n`);
}
