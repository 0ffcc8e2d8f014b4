import { isOurNumber } from "@/lib/inbox/numbers";
import { untilChanged } from "./until-changed";

/**
 * Whether a number is ours, as every stream and wait asks before it starts: kept in memory until the operator
 * changes something, so that opening a stream costs no database read for a number this process already knows.
 */
export const isKnownNumber = untilChanged(async (db, number) => (await isOurNumber(db, number)) || undefined);
