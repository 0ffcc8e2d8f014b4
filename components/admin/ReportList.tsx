import type { listReports } from "@/lib/moderation/reports";
import { Ago, CARD, NOTE } from "./AdminShell";

/** Visitors' "codes from X do not arrive" reports, newest first: on the overview and the moderation screen. */
export function ReportList({ reports, now }: { reports: Awaited<ReturnType<typeof listReports>>; now: Date }) {
  if (reports.length === 0) return <p className={NOTE}>No reports.</p>;
  return (
    <ul className="space-y-2 text-sm">
      {reports.map((r) => (
        <li key={r.id} className={CARD}>
          Codes from <span className="font-medium">{r.service}</span> do not arrive on {r.number} ·{" "}
          <Ago at={r.createdAt} now={now} />
          {r.note && <p className="mt-1 text-zinc-700 dark:text-zinc-300">{r.note}</p>}
        </li>
      ))}
    </ul>
  );
}
