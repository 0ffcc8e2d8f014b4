import type { Metadata } from "next";
import { ActionForm } from "@/components/admin/ActionForm";
import {
  AdminShell,
  Ago,
  CARD,
  INPUT,
  LABEL,
  NOTE,
  Panel,
  PRIMARY_BUTTON,
  SECONDARY_BUTTON,
} from "@/components/admin/AdminShell";
import { latestMessages } from "@/lib/admin/traffic";
import { getDb } from "@/lib/server/database";
import { hide } from "../actions";
import { requireSignedIn } from "../session";

export const metadata: Metadata = { title: "Messages" };

/**
 * The latest messages across every number, to moderate: "Hide" takes one off every public page at once, open
 * ones included. The text is a stranger's: rendered as text, like everywhere else.
 */
export default async function MessagesScreen({ searchParams }: { searchParams: Promise<{ q?: string | string[] }> }) {
  await requireSignedIn();
  const now = new Date();
  const raw = (await searchParams).q;
  const search = (Array.isArray(raw) ? raw[0] : raw)?.trim().slice(0, 100) || undefined;
  const messages = await latestMessages(await getDb(), 50, search);

  return (
    <AdminShell current="/admin/messages" title="Messages">
      <form method="get" role="search" className="mb-6 flex flex-wrap items-end gap-3">
        <div className="min-w-0 flex-1">
          <label htmlFor="message-search" className={LABEL}>
            Sender, text, number or gateway
          </label>
          <input id="message-search" name="q" type="search" defaultValue={search} maxLength={100} className={INPUT} />
        </div>
        <button type="submit" className={PRIMARY_BUTTON}>
          Search
        </button>
      </form>
      <Panel title={search ? `Latest 50 holding “${search}”` : "Latest 50"}>
        {messages.length === 0 ? (
          <p className={NOTE}>{search ? "No message holds that." : "No messages yet."}</p>
        ) : (
          <ul className="space-y-3">
            {messages.map((m) => (
              <li key={m.id} data-testid="admin-message" className={`${CARD} text-sm`}>
                <p className="text-zinc-700 dark:text-zinc-300">
                  <span className="font-medium text-zinc-900 dark:text-zinc-100">{m.sender}</span> → {m.number} ·{" "}
                  <Ago at={m.createdAt} now={now} /> · via {m.gateway}
                </p>
                <p className="mt-1 whitespace-pre-wrap [overflow-wrap:anywhere]">{m.text}</p>
                {m.hidden ? (
                  <p className="mt-2 text-zinc-600 dark:text-zinc-400">Hidden from the public pages.</p>
                ) : (
                  <ActionForm action={hide} label={`Hide message ${m.id}`} className="mt-2">
                    <input type="hidden" name="id" value={m.id} />
                    <button type="submit" className={SECONDARY_BUTTON}>
                      Hide
                    </button>
                  </ActionForm>
                )}
              </li>
            ))}
          </ul>
        )}
      </Panel>
    </AdminShell>
  );
}
