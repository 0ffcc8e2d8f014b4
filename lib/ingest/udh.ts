import { AppError } from "@/lib/errors";
import type { MessagePart } from "./message";

/** Where a part belongs: its reference, its number and the total (no bytes yet). */
export type Concatenation = Omit<MessagePart, "ucs2">;

// Information element identifiers of 3GPP TS 23.040 §9.2.3.24 and the length each must have.
const CONCAT_8BIT_REF = 0x00; // reference, total, part
const CONCAT_16BIT_REF = 0x08; // reference (two bytes), total, part

const badUdh = (detail: string) => new AppError("bad_binary_encoding", `The UDH is malformed: ${detail}.`);

/**
 * The concatenation of a part, from its User Data Header (raw bytes: UDHL, then information elements): IE 0x00
 * (8-bit reference) or 0x08 (16-bit reference). Null when the UDH carries no concatenation (port addressing…)
 * or says "part 1 of 1" (a whole message). A UDH whose length byte disagrees with its size, or whose elements
 * overrun it, is 422 bad_binary_encoding (§16.6 #18); an element of the wrong length is skipped like any other;
 * of two concatenation elements the last counts; impossible numbers (part 0, part > total) are left to validation.
 * `wideRefPrefix` puts 16-bit references in a namespace of their own, for sources where the two kinds can meet.
 */
export function udhConcatenation(udh: Uint8Array, options: { wideRefPrefix?: string } = {}): Concatenation | null {
  const udhl = udh[0];
  if (udhl === undefined) throw badUdh("it is empty (no length byte)");
  if (udhl + 1 !== udh.length) throw badUdh(`its length byte says ${udhl} bytes follow, but ${udh.length - 1} do`);
  let concat: Concatenation | null = null;
  for (let i = 1; i < udh.length;) {
    const iei = udh[i]!;
    const length = udh[i + 1];
    if (length === undefined || i + 2 + length > udh.length) {
      throw badUdh(`element 0x${iei.toString(16).padStart(2, "0")} overruns the header`);
    }
    const data = udh.subarray(i + 2, i + 2 + length);
    if (iei === CONCAT_8BIT_REF && length === 3) {
      concat = { ref: String(data[0]), total: data[1]!, part: data[2]! };
    } else if (iei === CONCAT_16BIT_REF && length === 4) {
      concat = { ref: `${options.wideRefPrefix ?? ""}${(data[0]! << 8) | data[1]!}`, total: data[2]!, part: data[3]! };
    }
    i += 2 + length;
  }
  if (concat && concat.total === 1 && concat.part === 1) return null;
  return concat;
}
