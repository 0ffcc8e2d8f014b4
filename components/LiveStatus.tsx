import { useTranslations } from "next-intl";
import type { StreamStatus } from "./useMessageStream";

const LOOKS: Record<StreamStatus, { dot: string; text: string; pulse: boolean }> = {
  connecting: { dot: "bg-zinc-400", text: "text-zinc-600 dark:text-zinc-400", pulse: true },
  live: { dot: "bg-emerald-500", text: "text-emerald-700 dark:text-emerald-400", pulse: true },
  reconnecting: { dot: "bg-amber-500", text: "text-amber-700 dark:text-amber-400", pulse: false },
  offline: { dot: "bg-red-500", text: "text-red-700 dark:text-red-400", pulse: false },
};

/** Says whether the inbox is updating by itself, so nobody reloads a page that is already live. */
export function LiveStatus({ status }: { status: StreamStatus }) {
  const t = useTranslations("Live");
  const look = LOOKS[status];
  return (
    <span
      title={t(`${status}Hint`)}
      aria-live="polite"
      className={`inline-flex items-center gap-2 rounded-full border border-zinc-200 bg-white px-2.5 py-1 text-xs font-medium shadow-sm dark:border-zinc-800 dark:bg-zinc-900 ${look.text}`}
    >
      <span aria-hidden="true" className="relative flex size-2">
        {look.pulse && (
          <span
            className={`absolute inline-flex size-full rounded-full opacity-60 motion-safe:animate-ping ${look.dot}`}
          />
        )}
        <span className={`relative inline-flex size-2 rounded-full ${look.dot}`} />
      </span>
      <span data-testid="live-status">{t(status)}</span>
    </span>
  );
}
