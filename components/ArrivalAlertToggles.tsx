import { useTranslations } from "next-intl";
import type { ArrivalAlerts } from "./useArrivalAlerts";
import { BellIcon, SoundIcon } from "./icons";

const TOGGLE =
  "inline-flex items-center gap-1.5 rounded-full border px-2.5 py-1 text-xs font-medium shadow-sm transition focus-visible:outline-2 focus-visible:outline-offset-2 focus-visible:outline-indigo-500 " +
  "border-zinc-200 bg-white text-zinc-700 hover:bg-zinc-50 dark:border-zinc-800 dark:bg-zinc-900 dark:text-zinc-300 dark:hover:bg-zinc-800 " +
  "aria-pressed:border-indigo-300 aria-pressed:bg-indigo-50 aria-pressed:text-indigo-800 dark:aria-pressed:border-indigo-700 dark:aria-pressed:bg-indigo-950 dark:aria-pressed:text-indigo-200";

/** The inbox's opt-in alerts for a tab in the background: a notification, a chime. Off until clicked. */
export function ArrivalAlertToggles({ alerts }: { alerts: ArrivalAlerts }) {
  const t = useTranslations("Alerts");
  return (
    <div className="flex flex-col items-end gap-1">
      <div role="group" aria-label={t("group")} className="flex gap-2">
        <button
          type="button"
          aria-pressed={alerts.choice.notify}
          title={t("notifyHint")}
          onClick={() => void alerts.toggleNotify()}
          className={TOGGLE}
        >
          <BellIcon className="size-3.5" />
          {t("notify")}
        </button>
        <button
          type="button"
          aria-pressed={alerts.choice.sound}
          title={t("soundHint")}
          onClick={alerts.toggleSound}
          className={TOGGLE}
        >
          <SoundIcon className="size-3.5" />
          {t("sound")}
        </button>
      </div>
      {alerts.blocked && (
        <p role="alert" className="text-end text-xs text-amber-800 dark:text-amber-300">
          {t(alerts.blocked)}
        </p>
      )}
    </div>
  );
}
