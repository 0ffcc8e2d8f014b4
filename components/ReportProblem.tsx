"use client";

import { useTranslations } from "next-intl";
import { useId, useRef, useState, type FormEvent } from "react";
import { CheckIcon } from "./icons";

// The same bounds the API enforces (lib/moderation/reports.ts); the browser stops a visitor before the server has to.
const MAX_SERVICE = 60;
const MAX_NOTE = 500;

type State =
  | { kind: "idle" }
  | { kind: "sending" }
  | { kind: "sent"; service: string }
  | { kind: "failed"; detail: string; invalid: boolean };

/**
 * "Codes not arriving?": a visitor tells the operator that a service's codes never reach this number. Folded away
 * by default (a native disclosure, so it works with the keyboard and screen readers without any script).
 */
export function ReportProblem({ digits }: { digits: string }) {
  const t = useTranslations("Report");
  const [state, setState] = useState<State>({ kind: "idle" });
  const serviceRef = useRef<HTMLInputElement>(null);
  const id = useId();

  async function submit(event: FormEvent<HTMLFormElement>) {
    event.preventDefault();
    const form = new FormData(event.currentTarget);
    const service = String(form.get("service") ?? "").trim();
    const note = String(form.get("note") ?? "").trim();
    if (!service) {
      setState({ kind: "failed", detail: t("needService"), invalid: true });
      serviceRef.current?.focus();
      return;
    }
    setState({ kind: "sending" });
    try {
      const response = await fetch(`/api/v1/numbers/${digits}/reports`, {
        method: "POST",
        headers: { "Content-Type": "application/json" },
        body: JSON.stringify({ service, note: note || undefined }),
      });
      if (response.ok) return setState({ kind: "sent", service });
      // The API's details are English, for programs: the visitor is told in their language, from the status.
      setState({ kind: "failed", detail: refusal(response), invalid: response.status === 422 });
    } catch {
      setState({ kind: "failed", detail: t("network"), invalid: false });
    }
  }

  function refusal(response: Response): string {
    if (response.status === 422) return t("invalid");
    if (response.status === 429) {
      const seconds = Number(response.headers.get("Retry-After")) || 60;
      return t("tooMany", { minutes: Math.max(1, Math.ceil(seconds / 60)) });
    }
    return t("serverError", { status: response.status });
  }

  const field =
    "mt-1 block w-full rounded-lg border border-zinc-300 bg-white px-3 py-2 text-sm text-zinc-900 shadow-sm placeholder:text-zinc-400 focus-visible:border-indigo-500 focus-visible:outline-2 focus-visible:outline-offset-0 focus-visible:outline-indigo-500 dark:border-zinc-700 dark:bg-zinc-900 dark:text-zinc-100 dark:placeholder:text-zinc-500";

  return (
    <details className="group mt-3 text-sm">
      <summary className="inline-flex cursor-pointer list-none items-center gap-1.5 rounded font-medium text-zinc-600 hover:text-zinc-900 focus-visible:outline-2 focus-visible:outline-offset-2 focus-visible:outline-indigo-500 dark:text-zinc-400 dark:hover:text-zinc-100 [&::-webkit-details-marker]:hidden">
        <svg
          viewBox="0 0 24 24"
          fill="none"
          stroke="currentColor"
          strokeWidth="2"
          strokeLinecap="round"
          strokeLinejoin="round"
          aria-hidden="true"
          // Points along the reading direction when closed, down when open: mirrored in Arabic.
          className="size-4 transition-transform ltr:group-open:rotate-90 rtl:-scale-x-100 rtl:group-open:-rotate-90"
        >
          <path d="m9 18 6-6-6-6" />
        </svg>
        {t("toggle")}
      </summary>

      <div className="mt-3 rounded-xl border border-zinc-200 bg-white p-4 shadow-sm dark:border-zinc-800 dark:bg-zinc-900/60">
        {state.kind === "sent" ? (
          <p role="status" className="flex items-start gap-2 text-zinc-700 dark:text-zinc-300">
            <CheckIcon className="mt-0.5 size-4 shrink-0 text-emerald-600 dark:text-emerald-400" />
            <span>
              {t.rich("thanks", {
                service: state.service,
                strong: (chunks) => <strong className="font-semibold">{chunks}</strong>,
              })}
            </span>
          </p>
        ) : (
          <form
            onSubmit={submit}
            // A message about what was wrong goes away once the visitor starts fixing it.
            onChange={() => state.kind === "failed" && setState({ kind: "idle" })}
            noValidate
            aria-describedby={`${id}-about`}
          >
            <p id={`${id}-about`} className="text-zinc-600 dark:text-zinc-400">
              {t("about")}
            </p>
            <label htmlFor={`${id}-service`} className="mt-3 block font-medium text-zinc-800 dark:text-zinc-200">
              {t("service")}
            </label>
            <input
              ref={serviceRef}
              id={`${id}-service`}
              name="service"
              required
              maxLength={MAX_SERVICE}
              autoComplete="off"
              placeholder={t("servicePlaceholder")}
              aria-invalid={state.kind === "failed" && state.invalid ? true : undefined}
              aria-describedby={state.kind === "failed" && state.invalid ? `${id}-error` : undefined}
              className={field}
            />
            <label htmlFor={`${id}-note`} className="mt-3 block font-medium text-zinc-800 dark:text-zinc-200">
              {t("note")} <span className="font-normal text-zinc-500 dark:text-zinc-400">{t("optional")}</span>
            </label>
            <textarea
              id={`${id}-note`}
              name="note"
              rows={2}
              maxLength={MAX_NOTE}
              placeholder={t("notePlaceholder")}
              className={field}
            />
            {state.kind === "failed" && (
              <p id={`${id}-error`} role="alert" className="mt-3 text-red-700 dark:text-red-400">
                {state.detail}
              </p>
            )}
            <button
              type="submit"
              disabled={state.kind === "sending"}
              className="mt-3 rounded-lg bg-zinc-900 px-4 py-2 text-sm font-medium text-white shadow-sm transition hover:bg-zinc-700 focus-visible:outline-2 focus-visible:outline-offset-2 focus-visible:outline-indigo-500 active:scale-[0.98] disabled:cursor-wait disabled:opacity-60 dark:bg-zinc-100 dark:text-zinc-900 dark:hover:bg-white"
            >
              {state.kind === "sending" ? t("sending") : t("send")}
            </button>
          </form>
        )}
      </div>
    </details>
  );
}
