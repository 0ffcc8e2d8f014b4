/** One inbound SMS as an adapter read it from a source's request, before validation. */
export type InboundMessage = {
  to: unknown;
  from: unknown;
  text: unknown;
  receivedAt?: unknown;
  // The source's own id for this message: a retry carrying it is stored once.
  sourceKey?: unknown;
};

/** One inbound SMS that passed validation, ready to store. */
export type ValidMessage = {
  to: string; // E.164, one of the gateway's active numbers
  from: string; // as sent
  text: string;
  receivedAt: Date | null; // the source's clock, when it gave one
  sourceKey: string | null;
};
