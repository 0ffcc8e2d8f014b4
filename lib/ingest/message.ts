/** One inbound SMS as an adapter read it from a source's request, before validation. */
export type InboundMessage = {
  // Our number, as the source writes it ("+998…", "998…"). Absent when the source does not say (Android apps,
  // Gammu, SMSTools): then `sim` picks the gateway's number for that SIM slot, or the gateway's only number.
  to?: unknown;
  sim?: number | null;
  from: unknown; // kept as sent
  text: unknown; // exact text ("" allowed); for a part, that part's text
  // The source's clock, already parsed by the adapter (null when it gave none or gave nonsense: never rejected).
  // The generic format passes its string through for strict checking.
  receivedAt?: Date | string | null;
  // The source's own id for this message (or part): a retry carrying it is stored once.
  sourceKey?: unknown;
  // How many SMS parts the source joined into this text, when it says.
  segments?: number | null;
  // Set only for a part the source did not join (Vonage SMS API, raw modem parts): we join them.
  part?: MessagePart;
};

export type MessagePart = {
  ref: string; // concatenation reference, as a string ("42", "0x2A"…): parts share it
  part: number; // 1-based
  total: number;
  // UCS-2 parts must be joined as bytes before decoding (a surrogate pair may straddle two parts).
  ucs2?: Uint8Array;
};

/** One inbound SMS that passed validation, ready to store. */
export type ValidMessage = {
  to: string; // E.164, one of the gateway's active numbers
  from: string; // as sent
  text: string;
  receivedAt: Date | null; // the source's clock, when it gave one
  sourceKey: string | null;
  segments: number | null;
  part: MessagePart | null;
};

/** A whole message (no part) with nothing but the essentials given: the other fields as the source left them. */
export function validMessage(m: Pick<ValidMessage, "to" | "from" | "text"> & Partial<ValidMessage>): ValidMessage {
  return { receivedAt: null, sourceKey: null, segments: null, part: null, ...m };
}
