import type { Metadata } from "next";
import { ActionForm } from "@/components/admin/ActionForm";
import { QuarantineList } from "@/components/admin/QuarantineList";
import { ReportList } from "@/components/admin/ReportList";
import {
  AdminShell,
  CARD,
  INPUT,
  LABEL,
  NOTE,
  Panel,
  PRIMARY_BUTTON,
  SECONDARY_BUTTON,
} from "@/components/admin/AdminShell";
import { listQuarantine } from "@/lib/ingest/quarantine";
import { listRedactions } from "@/lib/moderation/redactions";
import { listReports } from "@/lib/moderation/reports";
import { getDb } from "@/lib/server/database";
import { addRedaction, purgeNow, removeRedaction } from "../actions";
import { requireSignedIn } from "../session";

export const metadata: Metadata = { title: "Moderation" };

/**
 * Moderation: the redaction rules applied at ingest (with the API's pattern checks), visitors' reports, the
 * quarantine of refused requests (stored with their credentials already masked: lib/ingest/quarantine.ts), and
 * the retention purge on demand. Everything shown here that a source or a visitor sent is text, never markup.
 */
export default async function ModerationScreen() {
  await requireSignedIn();
  const db = await getDb();
  const now = new Date();
  const [rules, reports, quarantined] = await Promise.all([
    listRedactions(db),
    listReports(db, 50),
    listQuarantine(db, 20),
  ]);

  return (
    <AdminShell current="/admin/moderation" title="Moderation">
      <Panel title="Redaction rules">
        <p className={NOTE}>
          Applied before a message is stored, in this order, to messages from now on: a sender (exact,
          case-insensitive), a pattern (a JavaScript regular expression), or both.
        </p>
        <ActionForm action={addRedaction} label="Add a redaction rule" className="mt-3">
          <div className="w-full sm:w-44">
            <label htmlFor="rule-sender" className={LABEL}>
              Sender
            </label>
            <input id="rule-sender" name="sender" maxLength={64} className={INPUT} />
          </div>
          <div className="w-full sm:w-64">
            <label htmlFor="rule-pattern" className={LABEL}>
              Pattern
            </label>
            <input id="rule-pattern" name="pattern" maxLength={200} className={`${INPUT} font-mono`} />
          </div>
          <div className="w-full sm:w-40">
            <label htmlFor="rule-replacement" className={LABEL}>
              Replacement
            </label>
            <input id="rule-replacement" name="replacement" placeholder="[hidden]" className={INPUT} />
          </div>
          <button type="submit" className={PRIMARY_BUTTON}>
            Add rule
          </button>
        </ActionForm>
        {rules.length > 0 && (
          <ul className="mt-4 space-y-2">
            {rules.map((rule) => (
              <li
                key={rule.id}
                data-testid="redaction"
                className={`${CARD} flex flex-wrap items-center justify-between gap-2 text-sm`}
              >
                <span>
                  {rule.sender ? <>from {rule.sender}</> : <>any sender</>}
                  {rule.pattern ? (
                    <>
                      , <code className="font-mono">{rule.pattern}</code>
                    </>
                  ) : (
                    <>, the whole text</>
                  )}{" "}
                  → {rule.replacement}
                </span>
                <ActionForm action={removeRedaction} label={`Remove rule ${rule.id}`}>
                  <input type="hidden" name="id" value={rule.id} />
                  <button type="submit" className={SECONDARY_BUTTON}>
                    Remove
                  </button>
                </ActionForm>
              </li>
            ))}
          </ul>
        )}
      </Panel>

      <Panel title="Visitors' reports">
        <ReportList reports={reports} now={now} />
      </Panel>

      <Panel title="Quarantine">
        <p className={NOTE}>
          Authenticated requests that were refused, kept so that no real message is lost without a trace. Credentials
          (Authorization, Cookie, key or token parameters) were masked before they were stored.
        </p>
        <div className="mt-3">
          <QuarantineList quarantined={quarantined} now={now} empty="Empty." />
        </div>
      </Panel>

      <Panel title="Purge now">
        <p className={NOTE}>Runs the retention purge at once (it also runs on its own every few minutes).</p>
        <ActionForm action={purgeNow} label="Purge now" className="mt-3">
          <button type="submit" className={SECONDARY_BUTTON}>
            Purge now
          </button>
        </ActionForm>
      </Panel>
    </AdminShell>
  );
}
