import type { z } from "zod";
import type { GatewayKind } from "./kinds";
import type { InboundMessage } from "./message";
import type { InboundRequest } from "./request";
import type { StoreResult } from "./store";

/** What an adapter may know of the gateway a request is addressed to. */
export type GatewayAuth = {
  id: string;
  kind: string;
  // SHA-256 hashes of the gateway's API keys (current first; a second one during rotation).
  apiKeyHashes: string[];
  // The provider's signing secrets (Twilio auth token, Telnyx public key, …): current first, previous second.
  secrets: string[];
  config: Record<string, unknown>;
};

/** The result of reading a request: inbound messages, or a valid event that is not one (status, ping). */
export type Parsed = { messages: InboundMessage[] } | { ignored: string };

/** How an adapter's page on /docs/gateways tells an operator to set it up. One source of truth with the code. */
export type GatewaySetup = {
  title: string; // "Twilio Programmable Messaging"
  summary: string; // one or two sentences: what it is, what our side checks
  // What goes in `secret` when creating the gateway (null: the kind needs none).
  secret: string | null;
  // Extra query string to put on the webhook URL, e.g. "?key=<API key>" for sources that cannot send headers.
  urlSuffix?: string;
  // Numbered steps on the provider's console or the modem host.
  steps: string[];
  // Copy-paste configuration (file contents, commands), each with a caption.
  snippets?: { caption: string; language: string; code: string }[];
};

/**
 * One kind of source. The pipeline calls, in order: `methods`/`mediaTypes` checks → authenticate (raw bytes) →
 * parse → (validate, store, commit) → respond. Errors are thrown as AppError with the status and code of
 * docs/ingest-sources.md §16.6.
 */
export type Adapter = {
  kind: GatewayKind;
  // PUT and PATCH only for apps that let the user pick them for a JSON or form body (SmsForwarder).
  methods: readonly ("GET" | "POST" | "PUT" | "PATCH")[];
  // Media types a POST (PUT, PATCH) may carry (lower case, no parameters). GET requests carry none.
  mediaTypes: readonly string[];
  authenticate(request: InboundRequest, gateway: GatewayAuth): void | Promise<void>;
  parse(request: InboundRequest, gateway: GatewayAuth): Parsed;
  // The success answer in the sender's dialect (result null: the event was ignored). Sent after the commit.
  respond(result: StoreResult | null): Response;
  // How long to wait for the missing parts of a concatenated SMS before showing what arrived (default 10 min).
  partsWaitMs?: number;
  // The shape of the gateway's `config` (SIM slots, signature algorithm…), checked when the gateway is created.
  configSchema?: z.ZodType<Record<string, unknown>>;
  setup: GatewaySetup;
};
