"use client";

import { useTranslations } from "next-intl";
import { CheckIcon, CopyIcon } from "./icons";
import { useCopy } from "./useCopy";

/** A labelled copy button, e.g. for the inbox's phone number. */
export function CopyButton({ text, label, className = "" }: { text: string; label: string; className?: string }) {
  const t = useTranslations("Copy");
  const [state, copy] = useCopy(text);
  return (
    <>
      <button
        type="button"
        onClick={copy}
        aria-label={label}
        className={`inline-flex shrink-0 items-center gap-1.5 rounded-lg border border-zinc-200 bg-white px-3 py-1.5 text-sm font-medium text-zinc-700 shadow-sm transition hover:bg-zinc-50 focus-visible:outline-2 focus-visible:outline-offset-2 focus-visible:outline-indigo-500 active:scale-[0.98] dark:border-zinc-700 dark:bg-zinc-800 dark:text-zinc-200 dark:hover:bg-zinc-700 ${className}`}
      >
        {state === "copied" ? <CheckIcon className="size-4 text-emerald-600 dark:text-emerald-400" /> : <CopyIcon />}
        {state === "copied" ? t("copied") : state === "failed" ? t("failed") : t("copy")}
      </button>
      <span role="status" className="sr-only">
        {state === "copied" ? t("copiedStatus") : state === "failed" ? t("failedStatus") : ""}
      </span>
    </>
  );
}
