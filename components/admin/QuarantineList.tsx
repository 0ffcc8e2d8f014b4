import type { listQuarantine } from "@/lib/ingest/quarantine";
import { Ago, CARD, NOTE } from "./AdminShell";

/** Refused authenticated requests, newest first, each with its raw request folded away: overview and moderation. */
export function QuarantineList({
  quarantined,
  now,
  empty,
}: {
  quarantined: Awaited<ReturnType<typeof listQuarantine>>;
  now: Date;
  empty: string;
}) {
  if (quarantined.length === 0) return <p className={NOTE}>{empty}</p>;
  return (
    <ul className="space-y-2 text-sm">
      {quarantined.map((q) => (
        <li key={q.id} className={CARD}>
          <p>
            <span className="font-medium">{q.gateway}</span> · {q.error} · <Ago at={q.createdAt} now={now} />
          </p>
          <p className="mt-1 text-zinc-700 dark:text-zinc-300">{q.detail}</p>
          <details className="mt-2">
            <summary className="cursor-pointer text-zinc-700 dark:text-zinc-300">Raw request</summary>
            <pre
              tabIndex={0}
              aria-label={`Quarantined request ${q.id}`}
              className="mt-2 overflow-x-auto rounded-lg bg-zinc-900 p-3 font-mono text-xs whitespace-pre text-zinc-100 dark:bg-black"
            >
              {`${q.method} ${q.url}\n${Object.entries(q.headers)
                .map(([name, value]) => `${name}: ${value}`)
                .join("\n")}\n\n${q.body}`}
            </pre>
          </details>
        </li>
      ))}
    </ul>
  );
}
