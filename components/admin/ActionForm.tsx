"use client";

import { startTransition, useActionState, useEffect, useRef, type FormEvent, type ReactNode } from "react";
import type { ActionResult } from "@/lib/admin/action-result";
import { CopyButton } from "@/components/CopyButton";

type Action = (previous: ActionResult<ReactNode> | null, form: FormData) => Promise<ActionResult<ReactNode>>;

/**
 * A form of the admin screens, sent to a server action: the fields are the caller's, the outcome shows under
 * it — the refusal's sentence (the admin API's own) or what was done, and, once, the secrets to copy.
 */
export function ActionForm({
  action,
  children,
  className = "",
  label,
}: {
  action: Action;
  children: ReactNode;
  className?: string;
  /** The form's accessible name, where the page has many alike (one per gateway or message). */
  label?: string;
}) {
  const [result, dispatch, pending] = useActionState(action, null);
  const form = useRef<HTMLFormElement>(null);
  // React empties a form after its action, refused or not: the operator would retype a whole rule to fix one
  // character. Sent from here, the fields stay, and are emptied only once the edit was made.
  const send = (event: FormEvent<HTMLFormElement>) => {
    event.preventDefault();
    const data = new FormData(event.currentTarget);
    startTransition(() => dispatch(data));
  };
  useEffect(() => {
    if (result?.ok) form.current?.reset();
  }, [result]);
  return (
    <div className={className}>
      <form
        ref={form}
        action={dispatch}
        onSubmit={send}
        aria-label={label}
        aria-busy={pending}
        className="flex flex-wrap items-end gap-2"
      >
        {children}
      </form>
      <div role="status" aria-live="polite">
        {result && (
          <div
            className={`mt-3 rounded-lg border px-3 py-2 text-sm [overflow-wrap:anywhere] ${
              result.ok
                ? "border-emerald-300 bg-emerald-50 text-emerald-900 dark:border-emerald-800 dark:bg-emerald-950 dark:text-emerald-100"
                : "border-red-300 bg-red-50 text-red-900 dark:border-red-800 dark:bg-red-950 dark:text-red-100"
            }`}
          >
            <p>{result.message}</p>
            {result.ok &&
              result.secrets?.map(({ label: name, value }) => (
                <div key={name} className="mt-2 flex flex-wrap items-center gap-2">
                  <span className="font-medium">{name}:</span>
                  <code
                    data-testid={name}
                    className="rounded bg-white px-1.5 py-0.5 font-mono text-xs break-all text-zinc-900 dark:bg-zinc-900 dark:text-zinc-100"
                  >
                    {value}
                  </code>
                  <CopyButton text={value} label={`Copy the ${name}`} className="px-2 py-1 text-xs" />
                </div>
              ))}
          </div>
        )}
      </div>
      {result?.ok && (result.detail as ReactNode)}
    </div>
  );
}
