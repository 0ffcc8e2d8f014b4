"use client";

import { useTranslations } from "next-intl";
import { CheckIcon, CopyIcon } from "./icons";
import { useCopy } from "./useCopy";

/**
 * The extracted one-time code, big enough to read at a glance; the whole pill copies it in one click. A code
 * that has probably expired is dimmed (still copyable: "probably" is a guess), so the eye goes to a fresh one —
 * in grey that still reads at 4.5:1, not by fading. The button is named by the words it shows ("51234 Copy"):
 * a voice-control user says what they see.
 */
export function CodeCopy({ code, expired = false }: { code: string; expired?: boolean }) {
  const t = useTranslations("Copy");
  const [state, copy] = useCopy(code);
  const copied = state === "copied";
  return (
    <>
      <button
        type="button"
        onClick={copy}
        className={`group inline-flex max-w-full items-center gap-3 rounded-xl border px-4 py-2 transition focus-visible:outline-2 focus-visible:outline-offset-2 focus-visible:outline-indigo-500 active:scale-[0.98] ${
          copied
            ? "border-emerald-300 bg-emerald-50 dark:border-emerald-500/40 dark:bg-emerald-500/10"
            : expired
              ? "border-zinc-200 bg-zinc-50 dark:border-zinc-700 dark:bg-zinc-800/60"
              : "border-indigo-200 bg-indigo-50 hover:border-indigo-300 hover:bg-indigo-100 dark:border-indigo-400/30 dark:bg-indigo-400/10 dark:hover:bg-indigo-400/20"
        }`}
      >
        <span
          dir="ltr"
          className={`tabular truncate font-mono text-2xl font-semibold tracking-[0.12em] ${
            expired && !copied ? "text-zinc-500 dark:text-zinc-400" : "text-zinc-900 dark:text-zinc-50"
          }`}
        >
          {code}
        </span>
        <span
          className={`inline-flex items-center gap-1 text-sm font-medium ${
            copied
              ? "text-emerald-700 dark:text-emerald-400"
              : expired
                ? "text-zinc-600 dark:text-zinc-400"
                : "text-indigo-700 dark:text-indigo-300"
          }`}
        >
          {copied ? <CheckIcon /> : <CopyIcon />}
          {copied ? t("copied") : state === "failed" ? t("failed") : t("copy")}
        </span>
      </button>
      <span role="status" className="sr-only">
        {copied ? t("codeCopied", { code }) : state === "failed" ? t("codeFailed") : ""}
      </span>
    </>
  );
}
