import type { Gateway } from "@/db/schema";
import type { InboundMessage } from "./message";
import type { StoreResult } from "./store";

/** How one kind of source posts inbound SMS: its content type, its proof of origin, its fields, its reply. */
export type Adapter = {
  /** Whether a request with this Content-Type header can be parsed (checked before reading the body). */
  accepts(contentType: string | null): boolean;
  /** Throws 401/403 unless the request provably comes from this gateway. Runs on the raw bytes. */
  authenticate(request: Request, gateway: Gateway, body: Uint8Array): void;
  /** Reads the request into messages (one or a batch); throws 400 when it cannot be read at all. */
  parse(body: Uint8Array): InboundMessage[];
  /** The success answer, in the dialect this source expects. Sent only after the commit. */
  respond(result: StoreResult): Response;
};
