import { z } from "zod";
import { AppError } from "@/lib/errors";
import type { Adapter, Parsed } from "../adapter";
import { isObject } from "../fields";
import type { InboundMessage } from "../message";
import { jsonBody } from "../request";
import { parseEpoch, parseIsoTimestamp } from "../time";
import { authenticateWithKey, okWithCounts } from "../verify";
import { configNumber, readConfig, timeZoneSetting, wallClockToDate, type WallClock } from "./modem-host-common";

/*
 * What SmsGateWay24's own documentation says (smsgateway24.com/en/docs/webhook, read 2026-11-30), and what it
 * leaves open — the choices below rest on it:
 *
 * - Documented. The app has two webhooks, both set in the device's settings, both one JSON POST per event:
 *   "Webhooks for incoming SMS" {address, date, date_sent, body, internal_id, channel_id, sms_id, device_id,
 *   device_name, type: "text"}, sent "for incoming SMS and incoming text messages from WhatsApp / WhatsApp
 *   Business / RCS"; {…, body: "", internal_id: null, sim, sms_id, type: "img", img_url} for a WhatsApp image
 *   (already uploaded to their S3); and the delivery-status webhook for outgoing messages {sms_id, status_id,
 *   status_message, sendto, senttime, channel_id, device_id}. The sending API numbers SIM slots 0 and 1.
 * - Not documented, assumed. No signature and no custom headers: the gateway's API key goes in the URL. Older app
 *   versions send `sim` (0/1) and neither `channel_id` nor `type`; since WhatsApp forwarding came with those two
 *   fields, a payload without `channel_id` is taken to be an SMS. `date`/`date_sent` are "datetime" with no format
 *   or zone given: read as epoch (s or ms), ISO 8601 with an offset, or a zoneless "YYYY-MM-DD HH:MM:SS" in the
 *   gateway's `timeZone` (UTC when unset); anything else, or nothing, leaves the time to our clock. That the app
 *   retries a failed delivery is assumed (the issue says so; the docs do not), hence the key device_id + sms_id.
 * - Not documented at all: the values of `channel_id`. It is the only field of a text payload that tells an SMS
 *   from a WhatsApp or RCS text (all are `type: "text"`, and the text payload has no `sim`); the status payload
 *   has it too, so it names the channel a message went through on the device — a SIM slot or a messenger. We do
 *   not guess which number is which: the operator lists the device's SMS channels (and their SIM slots) in
 *   `config.smsChannels`, and texts of any other channel are WhatsApp/RCS.
 *
 * Why only SMS are stored: Numbox is a public inbox of SMS sent to temporary numbers. WhatsApp and RCS chats on
 * the phone are the host's own conversations (a WhatsApp image even links to a stored picture): publishing them
 * would leak them, and nobody waits for a WhatsApp message on a temporary SMS number. So WhatsApp/RCS texts on a
 * channel that is not listed, images and other non-text types are answered 200 and dropped, as are delivery-status
 * payloads (they are about messages the phone sent). A channel-tagged text on a gateway that lists no SMS channel
 * is refused instead (422, kept in the quarantine): it may well be an SMS, and a 200 would drop it unseen.
 */

// SmsGateWay24 numbers devices, SMS and channels with integers; JSON object keys are their decimal strings.
const integerKey = z.string().regex(/^\d{1,18}$/, "a decimal id, as SmsGateWay24 shows it");
const simSlotNumber = z.union([z.literal(1), z.literal(2)]);

const config = z
  .object({
    // Several phones on one gateway: device_id → our number, or → {"1": number, "2": number} for a dual-SIM phone.
    devices: z
      .record(
        integerKey,
        z.union([configNumber, z.record(z.enum(["1", "2"]), configNumber).refine((m) => Object.keys(m).length > 0)]),
      )
      .optional(),
    // The device's channel_id values that are SMS, each with the SIM slot (1 or 2) it stands for.
    smsChannels: z.record(integerKey, simSlotNumber).optional(),
    // The zone of the app's zoneless `date` / `date_sent` (UTC when unset).
    timeZone: timeZoneSetting.optional(),
  })
  .strict();

type Smsgateway24Config = z.infer<typeof config>;

/**
 * SmsGateWay24 (smsgateway24.com): an Android phone whose app posts each incoming message as JSON to the URL in
 * its "Webhooks for incoming SMS" setting. The app can send no header, so the gateway's API key is in that URL
 * (`?key=`); the allowlist of source addresses (`config.allowIps`) applies as for any kind.
 */
export const smsgateway24: Adapter = {
  kind: "smsgateway24",
  methods: ["POST"],
  mediaTypes: ["application/json"],
  configSchema: config,

  authenticate(request, gateway) {
    authenticateWithKey(request, gateway, { query: true });
  },

  parse(request, gateway) {
    return parseSmsgateway24(jsonBody(request), readConfig(config, gateway.config));
  },

  respond: okWithCounts,

  setup: {
    title: "SmsGateWay24 (Android app, smsgateway24.com)",
    summary:
      "The SmsGateWay24 app turns an Android phone into an SMS gateway; it posts every incoming message as JSON to the URL set in the device's “Webhooks for incoming SMS”. We check the gateway's API key (in that URL: the app sends no header), store each SMS once (device + SMS id) and find our number from the device and SIM slot. WhatsApp and RCS texts, WhatsApp images and delivery-status reports are answered and dropped: this is a public SMS inbox, and the phone's chats are not for publishing.",
    secret: null,
    urlSuffix: "?key=<API key>",
    steps: [
      "Install the SmsGateWay24 app on the phone, sign in with your smsgateway24.com account and grant it the SMS permissions; the device appears under Devices on smsgateway24.com with its device ID.",
      "Paste {webhookUrl} into the device's “Webhooks for incoming SMS” setting, with `<API key>` replaced by the key printed when the gateway was created. Leave the delivery-status webhook empty (or point it elsewhere): status reports sent here are only acknowledged.",
      "SIM slots: a phone with one number needs no `--sim`; on a dual-SIM phone register each number with `number add … --sim 1` (the app's SIM 0) and `--sim 2` (its SIM 1).",
      'Several phones on one gateway: map each device ID to its number when creating the gateway, `--config \'{"devices":{"10403":"+998901234567","10404":{"1":"+998901234568","2":"+998901234569"}}}\'` (a dual-SIM phone maps its slots 1 and 2); messages from a device not listed are refused. One gateway per phone works too and needs no mapping.',
      'Newer app versions tag each text with a `channel_id` (SMS, or WhatsApp/RCS) and leave out the SIM slot; SmsGateWay24 does not publish the ids. List the phone\'s SMS channels with their SIM slots, e.g. `--config \'{"smsChannels":{"1":1,"2":2}}\'`: texts of other channels are then WhatsApp/RCS and dropped. Until a gateway lists any, a text that carries a `channel_id` is refused (422) and kept in the quarantine, where `quarantine list` shows it, channel id included: then set them in place, `npm run admin -- gateway config {gatewayId} --config \'{"smsChannels":{"1":1}}\'` (the whole config: repeat any other setting).',
      'SmsGateWay24 does not say which zone its `date` is in, and a date without one is read as UTC: if the phone does not run on UTC, set its zone, e.g. `--config \'{"timeZone":"Asia/Tashkent"}\'` (several settings go in one `--config` object). Without a readable date, the time is when we received the message.',
      "Send an SMS to the phone: it appears on the number's inbox page.",
    ],
    snippets: [
      {
        caption: "Create the gateway for a dual-SIM phone whose SMS channels are 1 and 2, in Tashkent",
        language: "sh",
        code: `npm run admin -- gateway add {gatewayId} --kind smsgateway24 --config '{"smsChannels":{"1":1,"2":2},"timeZone":"Asia/Tashkent"}'
npm run admin -- number add +998901234568 --gateway {gatewayId} --sim 1
npm run admin -- number add +998901234569 --gateway {gatewayId} --sim 2`,
      },
    ],
  },
};

/** One webhook body → the SMS it carries, or "ignored" for what is not an incoming SMS. */
export function parseSmsgateway24(body: unknown, settings: Smsgateway24Config): Parsed {
  if (!isObject(body)) {
    throw new AppError("malformed_body", 'Expected an SmsGateWay24 webhook: {"address":…,"body":…,"sms_id":…,…}.');
  }
  // The delivery-status webhook, pointed here as well: it reports on a message the phone sent.
  if ("status_id" in body || ("sendto" in body && !("address" in body))) {
    return { ignored: "an SmsGateWay24 delivery-status report, not an incoming SMS" };
  }
  if (!("address" in body) && !("body" in body) && !("sms_id" in body)) {
    throw new AppError(
      "malformed_body",
      'Expected an SmsGateWay24 incoming-message webhook: {"address":…,"body":…,"sms_id":…,"device_id":…,…}.',
    );
  }
  if (body.type !== undefined && body.type !== null && typeof body.type !== "string") {
    throw new AppError("malformed_body", 'The webhook\'s \'type\' must be a string ("text" or "img").');
  }
  if (body.type !== undefined && body.type !== null && body.type !== "text") {
    return {
      ignored: `an SmsGateWay24 '${body.type.slice(0, 16)}' message (WhatsApp image or other media), not an SMS`,
    };
  }

  const channel = readId(body.channel_id, "channel_id");
  let slot = simFromApp(body.sim);
  if (channel !== null) {
    const channels = settings.smsChannels;
    if (!channels || Object.keys(channels).length === 0) {
      throw new AppError(
        "unknown_recipient",
        `The text came on channel_id ${channel}, and this gateway lists no SMS channels: SmsGateWay24 does not say which channels are SMS and which WhatsApp or RCS. Create the gateway with config.smsChannels (e.g. {"${channel}":1}).`,
      );
    }
    const channelSlot = channels[channel];
    if (channelSlot === undefined) {
      return {
        ignored: `an SmsGateWay24 text on channel_id ${channel}, which is not one of the gateway's SMS channels`,
      };
    }
    slot = channelSlot;
  }

  const smsId = readId(body.sms_id, "sms_id");
  if (smsId === null) {
    throw new AppError("invalid_id", "The webhook has no 'sms_id': it is what makes the app's retries stored once.");
  }
  const device = readId(body.device_id, "device_id");
  const message: InboundMessage = {
    from: body.address,
    text: body.body,
    sim: slot,
    receivedAt: readTime(body.date, settings.timeZone) ?? readTime(body.date_sent, settings.timeZone),
    sourceKey: `${device ?? "-"}:${smsId}`,
  };
  if (settings.devices) message.to = deviceNumber(settings.devices, device, slot);
  return { messages: [message] };
}

/** The app's SIM slot (0 or 1, as its API numbers them) as ours (1 or 2); anything else: not known. */
function simFromApp(value: unknown): number | null {
  const n = typeof value === "string" && /^\s*\d\s*$/.test(value) ? Number(value) : value;
  return n === 0 || n === 1 ? n + 1 : null;
}

/** An id SmsGateWay24 sends as an integer (or, by some clients, its digits in a string); null when absent. */
function readId(value: unknown, field: string): string | null {
  if (value === undefined || value === null || value === "") return null;
  if (typeof value === "number" && Number.isSafeInteger(value) && value >= 0) return String(value);
  if (typeof value === "string" && /^\d{1,18}$/.test(value.trim())) return value.trim();
  throw new AppError(field === "sms_id" ? "invalid_id" : "malformed_body", `'${field}' must be an integer id.`);
}

/** Our number for a device of a several-phone gateway (config.devices), by its SIM slot when it has two. */
function deviceNumber(devices: NonNullable<Smsgateway24Config["devices"]>, device: string | null, slot: number | null) {
  const entry = device === null ? undefined : devices[device];
  if (entry === undefined) {
    throw new AppError(
      "unknown_recipient",
      device === null
        ? "The webhook has no 'device_id', and this gateway maps devices to numbers (config.devices)."
        : `Device ${device} is not in this gateway's config.devices.`,
    );
  }
  if (typeof entry === "string") return entry;
  const slots = Object.values(entry);
  const number = slot === null ? (slots.length === 1 ? slots[0] : undefined) : entry[String(slot) as "1" | "2"];
  if (number === undefined) {
    throw new AppError(
      "unknown_recipient",
      slot === null
        ? `Device ${device} has numbers in two SIM slots, and the webhook does not say which one received it.`
        : `Device ${device} has no number for SIM slot ${slot} in config.devices.`,
    );
  }
  return number;
}

// "2026-11-22 10:15:00": a wall-clock time without a zone, the form SmsGateWay24's API uses for its own
// datetimes (`timetosend`); a "T" and missing seconds are taken too.
const WALL_CLOCK = /^(\d{4})-(\d{2})-(\d{2})[T ](\d{2}):(\d{2})(?::(\d{2}))?$/;

/** The app's `date`: epoch s/ms, ISO 8601 with an offset, or a zoneless wall clock read in `timeZone`. */
function readTime(value: unknown, timeZone: string | undefined): Date | null {
  const epoch = parseEpoch(value);
  if (epoch) return epoch;
  if (typeof value !== "string") return null;
  const m = WALL_CLOCK.exec(value.trim());
  if (!m) return parseIsoTimestamp(value);
  const [year, month, day, hour, minute, second] = m.slice(1, 7).map((part) => Number(part ?? "0"));
  return wallClockToDate({ year, month, day, hour, minute, second } as WallClock, timeZone);
}
