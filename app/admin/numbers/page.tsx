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
import { numberPlaces } from "@/lib/admin/numbers";
import type { NumberStatus } from "@/db/schema";
import { listNumbers } from "@/lib/inbox/numbers";
import { getDb } from "@/lib/server/database";
import { addNumber, changeNumberSim, changeNumberStatus } from "../actions";
import { requireSignedIn } from "../session";

export const metadata: Metadata = { title: "Numbers" };

// What each status can be changed to, and the button's words.
const MOVES: Record<NumberStatus, { status: NumberStatus; label: string }[]> = {
  active: [
    { status: "paused", label: "Pause" },
    { status: "retired", label: "Retire" },
  ],
  paused: [
    { status: "active", label: "Resume" },
    { status: "retired", label: "Retire" },
  ],
  retired: [{ status: "active", label: "Bring back" }],
};

/** Numbers: add one to a gateway (with its SIM slot), see each one's health and last day, pause or retire it. */
export default async function NumbersScreen() {
  await requireSignedIn();
  const db = await getDb();
  const now = new Date();
  const [numbers, gateways, places] = await Promise.all([
    listNumbers(db, { includeRetired: true }),
    listGateways(db),
    numberPlaces(db),
  ]);

  return (
    <AdminShell current="/admin/numbers" title="Numbers">
      <Panel title="Add a number">
        {gateways.length === 0 ? (
          <p className={NOTE}>Add a gateway first: every number belongs to one.</p>
        ) : (
          <ActionForm action={addNumber} label="Add a number">
            <div className="w-full sm:w-52">
              <label htmlFor="number" className={LABEL}>
                Number (international form)
              </label>
              <input id="number" name="number" required maxLength={32} placeholder="+998901234567" className={INPUT} />
            </div>
            <div className="w-full sm:w-48">
              <label htmlFor="number-gateway" className={LABEL}>
                Gateway
              </label>
              <select id="number-gateway" name="gateway" className={INPUT}>
                {gateways.map((g) => (
                  <option key={g.id} value={g.id}>
                    {g.id}
                  </option>
                ))}
              </select>
            </div>
            <div className="w-24">
              <label htmlFor="number-country" className={LABEL}>
                Country
              </label>
              <input id="number-country" name="country" maxLength={2} placeholder="auto" className={INPUT} />
            </div>
            <div className="w-24">
              <label htmlFor="number-sim" className={LABEL}>
                SIM slot
              </label>
              <input id="number-sim" name="sim" inputMode="numeric" maxLength={2} placeholder="–" className={INPUT} />
            </div>
            <button type="submit" className={PRIMARY_BUTTON}>
              Add number
            </button>
          </ActionForm>
        )}
      </Panel>

      <Panel title="Your numbers">
        {numbers.length === 0 ? (
          <p className={NOTE}>None yet.</p>
        ) : (
          <ul className="space-y-3">
            {numbers.map((n) => (
              <li key={n.number} className={`${CARD} text-sm`}>
                <p className="font-medium">
                  {n.number} <span className="font-normal text-zinc-600 dark:text-zinc-400">{n.countryName}</span>
                </p>
                <p className="mt-1 text-zinc-700 dark:text-zinc-300">
                  {n.health} · {count(n.messages24h, "message")} in 24 h · last message{" "}
                  <Ago at={n.lastMessageAt} now={now} />
                </p>
                <ActionForm action={changeNumberSim} label={`SIM slot of ${n.number}`} className="mt-2">
                  <input type="hidden" name="number" value={n.number} />
                  <div className="w-full sm:w-64">
                    <label htmlFor={`sim-${n.number}`} className={LABEL}>
                      On {places.get(n.number)?.gateway}, SIM slot
                    </label>
                    <select
                      id={`sim-${n.number}`}
                      name="sim"
                      defaultValue={places.get(n.number)?.sim ?? ""}
                      className={INPUT}
                    >
                      <option value="">Any (the gateway&rsquo;s only number)</option>
                      {Array.from({ length: 4 }, (_, i) => i + 1).map((slot) => (
                        <option key={slot} value={slot}>
                          {slot}
                        </option>
                      ))}
                    </select>
                  </div>
                  <button type="submit" className={SECONDARY_BUTTON}>
                    Set SIM slot
                  </button>
                </ActionForm>
                <div className="mt-2 flex flex-wrap gap-2">
                  {MOVES[n.status].map((move) => (
                    <ActionForm key={move.status} action={changeNumberStatus} label={`${move.label} ${n.number}`}>
                      <input type="hidden" name="number" value={n.number} />
                      <input type="hidden" name="status" value={move.status} />
                      <button type="submit" className={SECONDARY_BUTTON}>
                        {move.label}
                      </button>
                    </ActionForm>
                  ))}
                </div>
              </li>
            ))}
          </ul>
        )}
      </Panel>
    </AdminShell>
  );
}
