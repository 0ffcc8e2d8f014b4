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
  // Two Android apps with near names; the kinds are a contract, so the code names the first after its app:
  // "sms-forwarder" is bogkonstantin's "Incoming SMS to URL forwarder" (adapters/incoming-sms-to-url.ts),
  // "smsforwarder" is pppscn's SmsForwarder (adapters/smsforwarder.ts).
  "sms-forwarder",
  "smsforwarder",
  "smsgateway24",
  "gammu",
  "smstools",
  "kannel",
  "jasmin",
] as const;

export type GatewayKind = (typeof GATEWAY_KINDS)[number];
