import type { Metadata } from "next";
import { ActionForm } from "@/components/admin/ActionForm";
import {
  AdminShell,
  Ago,
  CARD,
  count,
  INPUT,
  LABEL,
  NOTE,
  Panel,
  PRIMARY_BUTTON,
  SECONDARY_BUTTON,
} from "@/components/admin/AdminShell";
import { listGateways } from "@/lib/admin/gateways";
import { gatewayTraffic } from "@/lib/admin/traffic";
import { ADAPTERS } from "@/lib/ingest/adapters";
import { ingestRefusals } from "@/lib/observability/metrics";
import { getDb } from "@/lib/server/database";
import { addGateway, rotateKey, editGatewayConfig } from "../actions";
import { requireSignedIn } from "../session";

export const metadata: Metadata = { title: "Gateways" };

/** Gateways: add one (its key and setup guide shown once), see each one's traffic, rotate its key or secret. */
export default async function GatewaysScreen() {
  await requireSignedIn();
  const db = await getDb();
  const now = new Date();
  const [gateways, traffic, refusals] = await Promise.all([
    listGateways(db),
    gatewayTraffic(db, now),
    ingestRefusals(),
  ]);
  const adapters = Object.values(ADAPTERS).filter((a) => a !== undefined);

  return (
    <AdminShell current="/admin/gateways" title="Gateways">
      <Panel title="Add a gateway">
        <ActionForm action={addGateway} label="Add a gateway">
          <div className="w-full sm:w-48">
            <label htmlFor="gateway-id" className={LABEL}>
              Id
            </label>
            <input id="gateway-id" name="id" required maxLength={64} placeholder="modem-1" className={INPUT} />
          </div>
          <div className="w-full sm:w-80">
            <label htmlFor="gateway-kind" className={LABEL}>
              Kind
            </label>
            <select id="gateway-kind" name="kind" defaultValue="generic" className={INPUT}>
              {adapters.map((a) => (
                <option key={a.kind} value={a.kind}>
                  {a.setup.title} ({a.kind})
                </option>
              ))}
            </select>
          </div>
          <div className="w-full sm:w-48">
            <label htmlFor="gateway-name" className={LABEL}>
              Name (optional)
            </label>
            <input id="gateway-name" name="name" maxLength={100} className={INPUT} />
          </div>
          <div className="w-full sm:w-64">
            <label htmlFor="gateway-secret" className={LABEL}>
              Signing secret (if the kind has one)
            </label>
            <input id="gateway-secret" name="secret" type="password" autoComplete="off" className={INPUT} />
          </div>
          <button type="submit" className={PRIMARY_BUTTON}>
            Add gateway
          </button>
        </ActionForm>
      </Panel>

      <Panel title="Your gateways">
        {gateways.length === 0 ? (
          <p className={NOTE}>None yet.</p>
        ) : (
          <ul className="space-y-3">
            {gateways.map((g) => {
              const counts = traffic.get(g.id) ?? { lastHour: 0, lastDay: 0 };
              return (
                <li key={g.id} data-testid="gateway" className={`${CARD} text-sm`}>
                  <p className="font-medium [overflow-wrap:anywhere]">
                    {g.id} <span className="font-normal text-zinc-600 dark:text-zinc-400">{g.kind}</span>
                    {g.demo && <span className="ms-2 text-xs text-zinc-600 dark:text-zinc-400">demo</span>}
                  </p>
                  <p className="mt-1 text-zinc-700 dark:text-zinc-300">
                    last seen <Ago at={g.lastSeenAt} now={now} /> · {count(counts.lastHour, "message")} in the last hour
                    · {counts.lastDay} in the last day
                  </p>
                  {refusals.some((r) => r.gateway === g.id) && (
                    <p className="mt-1 text-red-800 dark:text-red-300" data-testid="gateway-refusals">
                      Refused since this instance started:{" "}
                      {refusals
                        .filter((r) => r.gateway === g.id)
                        .map((r) => `${r.code} × ${r.count}`)
                        .join(", ")}
                    </p>
                  )}
                  <ActionForm action={editGatewayConfig} label={`Edit ${g.id}'s config`} className="mt-3">
                    <input type="hidden" name="id" value={g.id} />
                    <div className="w-full">
                      <label htmlFor={`config-${g.id}`} className={LABEL}>
                        Config (JSON: devices, SIM channels, allowIps, time zone…)
                      </label>
                      <textarea
                        id={`config-${g.id}`}
                        name="config"
                        rows={2}
                        spellCheck={false}
                        defaultValue={JSON.stringify(g.config)}
                        className={`${INPUT} h-auto font-mono`}
                      />
                    </div>
                    <button type="submit" className={SECONDARY_BUTTON}>
                      Save config
                    </button>
                  </ActionForm>
                  <ActionForm action={rotateKey} label={`Rotate ${g.id}'s API key`} className="mt-3">
                    <input type="hidden" name="id" value={g.id} />
                    <button type="submit" className={SECONDARY_BUTTON}>
                      New API key
                    </button>
                  </ActionForm>
                  {g.hasSecret && (
                    <ActionForm action={rotateKey} label={`Rotate ${g.id}'s signing secret`} className="mt-3">
                      <input type="hidden" name="id" value={g.id} />
                      <div className="w-full sm:w-64">
                        <label htmlFor={`secret-${g.id}`} className={LABEL}>
                          New signing secret
                        </label>
                        <input
                          id={`secret-${g.id}`}
                          name="secret"
                          type="password"
                          required
                          autoComplete="off"
                          className={INPUT}
                        />
                      </div>
                      <button type="submit" className={SECONDARY_BUTTON}>
                        Use this secret
                      </button>
                    </ActionForm>
                  )}
                </li>
              );
            })}
          </ul>
        )}
      </Panel>
    </AdminShell>
  );
}
