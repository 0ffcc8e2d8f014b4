/** Every source kind the ingestion route is meant to speak (docs/ingest-sources.md; the README lists them). */
export const GATEWAY_KINDS = [
  "generic",
  "twilio",
  "vonage-sms",
  "vonage-messages",
  "telnyx",
  "plivo",
  "sinch",
  "infobip",
  "messagebird",
  "bird",
  "android-sms-gateway",
  "sms-forwarder",
  "smsforwarder",
  "gammu",
  "smstools",
  "kannel",
  "jasmin",
] as const;

export type GatewayKind = (typeof GATEWAY_KINDS)[number];
