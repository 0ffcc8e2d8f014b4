import { z } from "zod";
import type { Adapter, Parsed } from "../adapter";
import type { InboundMessage } from "../message";
import { formParams } from "../request";
import { authenticateWithKey } from "../verify";
import {
  boundedKey,
  configNumber,
  modemHostResponse,
  readConfig,
  timeZoneSetting,
  wallClockToDate,
} from "./modem-host-common";

// A multipart SMS has at most 255 parts; anything larger in SMS_MESSAGES / DECODED_PARTS is not Gammu's.
const MAX_PARTS = 255;

const config = z
  .object({
    // PhoneID (smsdrc) → our number, for a gateway fed by several SMSD instances; one number needs none.
    phones: z.record(z.string().min(1).max(64), configNumber).optional(),
    // The zone of the SMS centre's time stamps in the inbox file names (UTC when unset).
    timeZone: timeZoneSetting.optional(),
  })
  .strict();

type GammuConfig = z.infer<typeof config>;

/**
 * Gammu SMSD runs `RunOnReceive` for each received message with the message in its environment
 * (SMS_MESSAGES, SMS_n_NUMBER, SMS_n_TEXT, DECODED_PARTS, DECODED_n_TEXT, PHONE_ID) and the backend ids as
 * arguments. Our script (public/gateway/numbox-gammu.sh) posts exactly those, form-encoded, plus `ids` (the
 * arguments) and `spool_id` (its own spool entry), with the gateway's API key as a bearer token.
 */
export const gammu: Adapter = {
  kind: "gammu",
  methods: ["POST"],
  mediaTypes: ["application/x-www-form-urlencoded"],
  configSchema: config,

  authenticate(request, gateway) {
    authenticateWithKey(request, gateway);
  },

  parse(request, gateway) {
    return parseGammuForm(formParams(request), readConfig(config, gateway.config));
  },

  respond: modemHostResponse,

  setup: {
    title: "Gammu SMSD (USB modem or phone, RunOnReceive)",
    summary:
      "Gammu SMSD runs our small script for every SMS it receives; the script posts the message with the gateway's API key. It first writes each message to a spool directory and delivers oldest first, so a modem host loses nothing while the site is down: the next SMS or a cron job every minute sends what waited. A re-sent message is stored once (PhoneID + Gammu's own message ids).",
    secret: null,
    steps: [
      "Set up Gammu SMSD with your modem and check that it receives (`gammu-smsd-monitor`, or an SMS showing up in the inbox folder of the `files` service).",
      'Create the gateway and its number (above). Several modems on one host: give each SMSD instance its own `PhoneID`, register each number on the same gateway, and map them in the gateway\'s config: `--config \'{"phones":{"modem1":"+998901234567","modem2":"+998901234568"}}\'`. One gateway per modem works too and needs no config.',
      "Download the script to the modem host and make it executable (snippet below). It needs only `/bin/sh` and `curl`.",
      "Put the site's address, the gateway id and the API key in `/etc/numbox/gammu.conf`, readable only by the user gammu-smsd runs as (`root` with the packaged service; check with `systemctl show -p User gammu-smsd`). The script posts to `{webhookUrl}`.",
      "Create the spool directory `/var/spool/numbox`, owned by that same user: messages wait there while the site is unreachable; refused ones go to `/var/spool/numbox/failed/` with the site's answer, and the reason is logged to syslog (tag `numbox-gammu`).",
      "Add `RunOnReceive` and `PhoneID` to the `[smsd]` section of `/etc/gammu-smsdrc`, and run SMSD with a UTF-8 locale: Gammu converts the text to the locale's character set before the script sees it (in the C locale every non-ASCII letter becomes `?`). Restart gammu-smsd.",
      "Add the cron job: every minute it sends whatever waited in the spool and tells the site the host is alive (only while gammu-smsd is running), so the number shows as online.",
      "Send an SMS to the modem's number: it appears on the number's page within seconds. The time shown is the SMS centre's time stamp from Gammu's inbox file name (files service); if your SMS centre is not on UTC, set its zone: `--config '{\"timeZone\":\"Asia/Tashkent\"}'`.",
    ],
    snippets: [
      {
        caption: "Install the script (as root on the modem host)",
        language: "sh",
        code: `curl -fsSL -o /usr/local/bin/numbox-gammu.sh {publicUrl}/gateway/numbox-gammu.sh
chmod 755 /usr/local/bin/numbox-gammu.sh`,
      },
      {
        caption:
          "Settings and spool directory (replace the key; if gammu-smsd does not run as root, chown both to its user)",
        language: "sh",
        code: `install -d -m 755 /etc/numbox
cat > /etc/numbox/gammu.conf <<'EOF'
NUMBOX_URL={publicUrl}
NUMBOX_GATEWAY={gatewayId}
NUMBOX_KEY=<API key>
EOF
chmod 600 /etc/numbox/gammu.conf
install -d -m 700 -o root /var/spool/numbox`,
      },
      {
        caption: "/etc/gammu-smsdrc — in the [smsd] section",
        language: "ini",
        code: `[smsd]
PhoneID = modem1
RunOnReceive = /usr/local/bin/numbox-gammu.sh`,
      },
      {
        caption: "A UTF-8 locale for gammu-smsd (systemd), then restart it",
        language: "sh",
        code: `mkdir -p /etc/systemd/system/gammu-smsd.service.d
printf '[Service]\\nEnvironment=LC_ALL=C.UTF-8\\n' > /etc/systemd/system/gammu-smsd.service.d/numbox-locale.conf
systemctl daemon-reload && systemctl restart gammu-smsd`,
      },
      {
        caption: "/etc/cron.d/numbox-gammu — deliver what waited, every minute (same user as gammu-smsd)",
        language: "sh",
        code: `* * * * * root /usr/local/bin/numbox-gammu.sh --flush`,
      },
    ],
  },
};

/** The form our script posts → the message it carries (or "ignored" for what is not a text SMS). */
export function parseGammuForm(form: Map<string, string>, settings: GammuConfig): Parsed {
  const physical = count(form.get("SMS_MESSAGES"), 1);
  const decodedParts = count(form.get("DECODED_PARTS"), 0);
  const present = (values: (string | undefined)[]) => values.filter((v): v is string => v !== undefined);

  // SMSD has joined the parts of a long SMS already: DECODED_n_TEXT hold the joined text (the receive-python
  // example in Gammu's own contrib/ reads it the same way); without a decoded text, the physical texts.
  const decoded = present(range(decodedParts).map((n) => form.get(`DECODED_${n}_TEXT`)));
  const texts = present(range(physical).map((n) => form.get(`SMS_${n}_TEXT`)));
  const text = decoded.length > 0 ? decoded.join("") : texts.length > 0 ? texts.join("") : undefined;

  const from = form.get("SMS_1_NUMBER");
  if (text === undefined && from !== undefined) {
    // Gammu sets no text for 8-bit data messages; an MMS notification has only DECODED_n_MMS_* fields.
    return {
      ignored: form.has("DECODED_1_MMS_ADDRESS")
        ? "an MMS notification, not a text SMS"
        : "an 8-bit data message without text, not a text SMS",
    };
  }

  const phoneId = form.get("PHONE_ID")?.trim() ?? "";
  const ids = (form.get("ids") ?? "").trim().split(/\s+/).filter(Boolean);
  const spoolId = form.get("spool_id")?.trim();
  const message: InboundMessage = {
    to: settings.phones?.[phoneId],
    from,
    text,
    receivedAt: receivedAtFromIds(ids, settings.timeZone),
    // The backend's ids name this message on this SMSD for good (file names, database row ids); a re-run of the
    // script after SMSD's two-minute limit carries the same ones. The `null` service gives none: then the
    // script's spool entry, which its own retries carry.
    sourceKey:
      ids.length > 0
        ? boundedKey(`${phoneId}:${ids.join(" ")}`)
        : spoolId
          ? boundedKey(`spool:${phoneId}:${spoolId}`)
          : undefined,
    segments: physical,
  };
  return { messages: [message] };
}

// Files service: IN<YYYYMMDD>_<HHMMSS>_<serial>_<sender>_<part>.txt, the time being the SMS centre's time stamp.
const INBOX_FILE = /^IN(\d{4})(\d{2})(\d{2})_(\d{2})(\d{2})(\d{2})_/;

function receivedAtFromIds(ids: string[], timeZone: string | undefined): Date | null {
  const m = INBOX_FILE.exec(ids[0]?.split("/").pop() ?? "");
  if (!m) return null;
  const [year, month, day, hour, minute, second] = m.slice(1).map(Number) as [
    number,
    number,
    number,
    number,
    number,
    number,
  ];
  return wallClockToDate({ year, month, day, hour, minute, second }, timeZone);
}

function count(value: string | undefined, fallback: number): number {
  const n = value !== undefined && /^\s*\d{1,3}\s*$/.test(value) ? Number(value) : fallback;
  return Math.min(n, MAX_PARTS);
}

function range(n: number): number[] {
  return Array.from({ length: n }, (_, i) => i + 1);
}
