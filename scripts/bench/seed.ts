/**
 * The data the HTTP cases serve: a site some way into its life, with numbers in several countries, a few busy
 * numbers and many quiet ones, and one that never received anything.
 */
import { count, eq, sql } from "drizzle-orm";
import { isEmbedded, type Db } from "../../db/client";
import { gateways, messages, numbers } from "../../db/schema";
import { createGateway } from "../../lib/admin/gateways";
import { createNumber } from "../../lib/admin/numbers";
import { recountActivity } from "../../lib/inbox/activity";
import { SAMPLES, fillSample } from "../../lib/demo/samples";
import { extractCode } from "../../lib/text/otp";

const GATEWAY = "bench";

// Each country's share of the numbers, and a prefix that libphonenumber accepts as a mobile number there, to
// which 4 digits are added. Uzbekistan has the most numbers: its page is the largest country page.
const COUNTRIES = [
  { code: "uz", share: 0.3, prefix: "+99890100" },
  { code: "in", share: 0.2, prefix: "+91981200" },
  { code: "br", share: 0.15, prefix: "+551198700" },
  { code: "us", share: 0.15, prefix: "+1202555" },
  { code: "gb", share: 0.1, prefix: "+44751200" },
  { code: "de", share: 0.1, prefix: "+491511200" },
];

// Messages arrive over the last 6 days: inside the default retention, and the last day holds about a sixth.
const SPAN_SECONDS = 6 * 24 * 3600;
// Rows per INSERT … SELECT: one statement of a million rows would outlast the pool's statement timeout.
const CHUNK = 25_000;
// frac(i·φ) for i = 1, 2, … spreads evenly over [0, 1) without a random generator: the same data every run.
const GOLDEN = (Math.sqrt(5) - 1) / 2;
// Distinct texts the messages cycle through (real samples, each with its own code).
const TEXTS = 100;

/** Which numbers the pages are measured on (digits, as in URLs), and the country with the most numbers. */
export type BenchData = {
  busy: { digits: string; messages: number };
  quiet: { digits: string; messages: number };
  empty: { digits: string };
  country: string;
};

/**
 * Fills an empty database: a gateway and `numbers` numbers made through the admin functions (what an operator
 * does), then `messages` messages written in bulk, in id order as they would have arrived, and each number's
 * last-message time. The bulk insert bypasses the write path (storeMessages), so what that path maintains for the
 * pages — each number's arrivals per hour (lib/inbox/activity.ts) — is filled here too, after the insert.
 *
 * Messages go to numbers with a skew, deterministic so that every run serves the same data: message i goes to
 * number ⌊(n − 1)·u²⌋ where u = frac(i·φ) is spread evenly over [0, 1). The first number gets ~7 % of all
 * messages (the busy one), the second to last ~0.25 % (a quiet one), and the last none (the empty one).
 */
export async function seedBenchData(db: Db, size: { messages: number; numbers: number }): Promise<BenchData> {
  await createGateway(db, { id: GATEWAY, kind: "generic" });
  const created: string[] = [];
  for (const number of benchNumbers(size.numbers)) {
    created.push((await createNumber(db, { number, gateway: GATEWAY })).number);
  }

  const samples = Array.from({ length: TEXTS }, (_, i) => fillSample(SAMPLES[i % SAMPLES.length]!));
  const pick = (values: (string | null)[]) =>
    sql`(array[${sql.join(
      values.map((v) => sql`${v}`),
      sql`, `,
    )}]::text[])`;
  const numberOf = pick(created);
  const senders = pick(samples.map((s) => s.from));
  const texts = pick(samples.map((s) => s.text));
  const codes = pick(samples.map((s) => extractCode(s.text)));
  for (let from = 1; from <= size.messages; from += CHUNK) {
    const to = Math.min(from + CHUNK - 1, size.messages);
    await db.execute(sql`
      insert into ${messages} (number, gateway_id, content_hash, sender, text, code, received_at, created_at)
      select ${numberOf}[1 + floor(${created.length - 1}::int * s.u * s.u)::int], ${GATEWAY}, md5(i::text),
             ${senders}[1 + i % ${TEXTS}::int], ${texts}[1 + i % ${TEXTS}::int], ${codes}[1 + i % ${TEXTS}::int], t.at, t.at
      from generate_series(${from}::int, ${to}::int) as i,
           lateral (select (i * ${GOLDEN}::float8 - floor(i * ${GOLDEN}::float8)) as u) as s,
           lateral (select now() - make_interval(secs => ${SPAN_SECONDS}::float8 * (1 - i::float8 / ${size.messages}::int))
                    as at) as t
      order by i`);
  }
  await db.update(numbers).set({
    lastMessageAt: sql`(select max(${messages.createdAt}) from ${messages} where ${messages.number} = ${numbers.number})`,
    lastMessageId: sql`(select max(${messages.id}) from ${messages} where ${messages.number} = ${numbers.number})`,
  });
  const now = new Date();
  for (const number of created) await recountActivity(db, number, now);
  // The modem host has just been heard from: every number shows as online.
  await db.update(gateways).set({ lastSeenAt: new Date() });
  // On Postgres, autovacuum analyzes a table this changed within a minute or so; done now, every run is measured
  // with the plans a running server would soon have. PGlite has no autovacuum: it is measured as it runs.
  if (!isEmbedded(db)) await db.execute(sql`analyze`);

  const countOf = async (number: string) =>
    (await db.select({ n: count() }).from(messages).where(eq(messages.number, number)))[0]!.n;
  const digits = (number: string) => number.slice(1);
  const busy = created[0]!;
  const quiet = created.at(-2)!;
  return {
    busy: { digits: digits(busy), messages: await countOf(busy) },
    quiet: { digits: digits(quiet), messages: await countOf(quiet) },
    empty: { digits: digits(created.at(-1)!) },
    country: COUNTRIES[0]!.code,
  };
}

/** `n` numbers shared among the countries, taken in turn so neighbours in the list are in different countries. */
function benchNumbers(n: number): string[] {
  const counts = COUNTRIES.map((c) => Math.floor(c.share * n));
  counts[0]! += n - counts.reduce((a, b) => a + b, 0);
  const queues = COUNTRIES.map((c, k) =>
    Array.from({ length: counts[k]! }, (_, i) => c.prefix + String(i).padStart(4, "0")),
  );
  const list: string[] = [];
  while (list.length < n) for (const queue of queues) if (queue.length > 0) list.push(queue.shift()!);
  return list;
}
