import { QuarantineList } from "@/components/admin/QuarantineList";
import { ReportList } from "@/components/admin/ReportList";
import { AdminShell, Ago, count, NOTE, Panel } from "@/components/admin/AdminShell";
import { AdminDisabled, SignIn } from "@/components/admin/SignIn";
import { listGateways } from "@/lib/admin/gateways";
import { gatewayTraffic } from "@/lib/admin/traffic";
import { config } from "@/lib/config";
import type { Health } from "@/lib/inbox/health";
import { listNumbers } from "@/lib/inbox/numbers";
import { listQuarantine } from "@/lib/ingest/quarantine";
import { openCount } from "@/lib/limits/open-slots";
import { listReports } from "@/lib/moderation/reports";
import { ingestRefusals } from "@/lib/observability/metrics";
import { getDb } from "@/lib/server/database";
import { isSignedIn } from "./session";

type Props = { searchParams: Promise<{ signin?: string }> };

const HEALTHS: Health[] = ["active", "quiet", "offline", "paused", "retired"];

/** /admin: the sign-in page, or — signed in — the overview of what is running and what needs a look. */
export default async function AdminPage({ searchParams }: Props) {
  if (!config().ADMIN_TOKEN) return <AdminDisabled />;
  if (!(await isSignedIn())) return <SignIn wrong={(await searchParams).signin === "wrong"} />;

  const db = await getDb();
  const now = new Date();
  const [gateways, traffic, numbers, quarantined, reports, refusals] = await Promise.all([
    listGateways(db),
    gatewayTraffic(db, now),
    listNumbers(db, { includeRetired: true }),
    listQuarantine(db, 5),
    listReports(db, 5),
    ingestRefusals(),
  ]);
  const byHealth = new Map(HEALTHS.map((h) => [h, numbers.filter((n) => n.health === h).length]));

  return (
    <AdminShell current="/admin" title="Overview">
      <Panel title="Gateways">
        {gateways.length === 0 ? (
          <p className={NOTE}>No gateways yet: add one on the Gateways screen.</p>
        ) : (
          <ul className="divide-y divide-zinc-200 rounded-lg border border-zinc-200 bg-white dark:divide-zinc-800 dark:border-zinc-800 dark:bg-zinc-900">
            {gateways.map((g) => {
              const counts = traffic.get(g.id) ?? { lastHour: 0, lastDay: 0 };
              return (
                <li
                  key={g.id}
                  className="flex flex-wrap items-baseline justify-between gap-x-4 gap-y-1 px-4 py-3 text-sm"
                >
                  <span className="font-medium [overflow-wrap:anywhere]">
                    {g.id} <span className="font-normal text-zinc-600 dark:text-zinc-400">{g.kind}</span>
                    {g.silentSince && (
                      <span className="ms-2 rounded bg-red-100 px-1.5 py-0.5 text-xs font-semibold text-red-800 dark:bg-red-950 dark:text-red-200">
                        Silent
                      </span>
                    )}
                  </span>
                  <span className="text-zinc-700 dark:text-zinc-300">
                    last seen <Ago at={g.lastSeenAt} now={now} /> · {count(counts.lastHour, "message")} in the last hour
                    · {counts.lastDay} in the last day
                  </span>
                </li>
              );
            })}
          </ul>
        )}
      </Panel>

      <Panel title="Numbers by health">
        <dl className="grid grid-cols-2 gap-2 sm:grid-cols-5">
          {HEALTHS.map((h) => (
            <div
              key={h}
              className="rounded-lg border border-zinc-200 bg-white px-3 py-2 dark:border-zinc-800 dark:bg-zinc-900"
            >
              <dt className="text-sm text-zinc-700 capitalize dark:text-zinc-300">{h}</dt>
              <dd className="text-2xl font-semibold tabular-nums">{byHealth.get(h)}</dd>
            </div>
          ))}
        </dl>
      </Panel>

      <Panel title="Open connections">
        <p className={NOTE}>
          {count(openCount("streams"), "live inbox stream")} and {count(openCount("waits"), "wait")} open on this
          instance.
        </p>
      </Panel>

      <Panel title="Recently quarantined requests">
        <QuarantineList quarantined={quarantined} now={now} empty="None: every authenticated request was stored." />
      </Panel>

      <Panel title="Refused ingest requests">
        <p className="mb-2 text-sm text-zinc-700 dark:text-zinc-300">
          On this instance since it started, by gateway and reason: a host sending with an old key or to a number it
          does not have shows here first.
        </p>
        {refusals.length === 0 ? (
          <p className={NOTE}>None.</p>
        ) : (
          <ul className="space-y-1 text-sm" data-testid="ingest-refusals">
            {refusals.slice(0, 10).map((r) => (
              <li key={`${r.gateway} ${r.code}`} className="[overflow-wrap:anywhere]">
                <span className="font-medium">{r.gateway}</span> · {r.code} · {count(r.count, "request")}
              </li>
            ))}
          </ul>
        )}
      </Panel>

      <Panel title="Visitors' reports">
        <ReportList reports={reports} now={now} />
      </Panel>
    </AdminShell>
  );
}
