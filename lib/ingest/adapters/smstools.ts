import { z } from "zod";
import { AppError } from "@/lib/errors";
import { decodeHex } from "@/lib/text/bytes";
import { decodeGsm7, firstNonSeptet } from "@/lib/text/gsm7";
import { toE164 } from "@/lib/text/phone";
import type { Adapter, Parsed } from "../adapter";
import { decodeUtf8 } from "@/lib/http/body";
import type { InboundMessage } from "../message";
import { internationalSender } from "../sender";
import { decodeUcs2, ucs2Part } from "../ucs2";
import { udhConcatenation, type Concatenation } from "../udh";
import { authenticateWithKey, sha256 } from "../verify";
import {
  boundedKey,
  configNumber,
  modemHostResponse,
  readConfig,
  timeZoneSetting,
  wallClockToDate,
} from "./modem-host-common";

const config = z
  .object({
    // Modem name (smsd.conf section, the file's `Modem:`) → our number, when smsd.conf gives no `number =`.
    modems: z.record(z.string().min(1).max(64), configNumber).optional(),
    // The zone of the file's `Sent:` / `Received:` wall-clock times (UTC when unset).
    timeZone: timeZoneSetting.optional(),
  })
  .strict();

type SmstoolsConfig = z.infer<typeof config>;

// The header our script sends the message file's name in (smsd names it <modem>.<6 random characters>).
export const FILE_NAME_HEADER = "x-numbox-file";

/**
 * SMS Server Tools 3 runs `eventhandler RECEIVED <file>` for each received message. Our script
 * (public/gateway/numbox-smstools.sh) posts the file's raw bytes (headers, a blank line, the text in the
 * file's `Alphabet:`) as application/octet-stream, its name in `X-Numbox-File`, with the gateway's API key.
 */
export const smstools: Adapter = {
  kind: "smstools",
  methods: ["POST"],
  mediaTypes: ["application/octet-stream"],
  configSchema: config,

  authenticate(request, gateway) {
    authenticateWithKey(request, gateway);
  },

  parse(request, gateway) {
    return parseSmsFile(request.body, request.headers.get(FILE_NAME_HEADER), readConfig(config, gateway.config));
  },

  respond: modemHostResponse,

  setup: {
    title: "SMS Server Tools 3 (smsd, eventhandler)",
    summary:
      "smsd runs our small script as its `eventhandler` for every received message; the script posts the message file as it is (any alphabet: ISO, GSM, UCS2, UTF-8) with the gateway's API key. It first copies each file to a spool directory and delivers oldest first, so a modem host loses nothing while the site is down: the next SMS or a cron job every minute sends what waited. A re-sent file is stored once (modem + file name + its `Received:` time).",
    secret: null,
    steps: [
      "Set up smsd with your modem and check that received messages appear as files in its incoming directory (`/var/spool/sms/incoming`).",
      'Create the gateway and its number (above). Tell smsd each SIM\'s own number with `number =` in the modem\'s section: it writes it into every file (`Number:`), so one gateway can serve several modems. Without it, a gateway with several numbers needs a map from modem name to number: `--config \'{"modems":{"GSM1":"+998901234567","GSM2":"+998901234568"}}\'`.',
      "Download the script to the modem host and make it executable (snippet below). It needs only `/bin/sh` and `curl`.",
      "Put the site's address, the gateway id and the API key in `/etc/numbox/smstools.conf`, readable only by the user smsd runs as (`user =` in smsd.conf; `smsd` on Debian and Ubuntu). The script posts to `{webhookUrl}`.",
      "Create the spool directory `/var/spool/numbox`, owned by that same user: messages wait there while the site is unreachable; refused ones go to `/var/spool/numbox/failed/` with the site's answer, and the reason is logged to syslog (tag `numbox-smstools`).",
      "Set the `eventhandler` in `/etc/smsd.conf` (globally, or in a modem's section) and restart smsd. Keep `internal_combine = yes` (the default) so long messages arrive joined; with it off, we join the parts.",
      "Add the cron job: every minute it sends whatever waited in the spool and tells the site the host is alive (only while smsd is running), so the number shows as online.",
      "Send an SMS to the modem's number: it appears on the number's page within seconds. The time shown is the SMS centre's time stamp (`Sent:`); if the host and its SMS centre are not on UTC, set their zone: `--config '{\"timeZone\":\"Asia/Tashkent\"}'`.",
    ],
    snippets: [
      {
        caption: "Install the script (as root on the modem host)",
        language: "sh",
        code: `curl -fsSL -o /usr/local/bin/numbox-smstools.sh {publicUrl}/gateway/numbox-smstools.sh
chmod 755 /usr/local/bin/numbox-smstools.sh`,
      },
      {
        caption: "Settings and spool directory (replace the key; smsd is the user the daemon runs as)",
        language: "sh",
        code: `install -d -m 755 /etc/numbox
cat > /etc/numbox/smstools.conf <<'EOF'
NUMBOX_URL={publicUrl}
NUMBOX_GATEWAY={gatewayId}
NUMBOX_KEY=<API key>
EOF
chown smsd /etc/numbox/smstools.conf && chmod 600 /etc/numbox/smstools.conf
install -d -m 700 -o smsd /var/spool/numbox`,
      },
      {
        caption: "/etc/smsd.conf — global section (or the same line in one modem's section)",
        language: "ini",
        code: `eventhandler = /usr/local/bin/numbox-smstools.sh

[GSM1]
device = /dev/ttyUSB0
# The SIM's own number, international digits: tells the site which of its numbers received the SMS.
number = 998901234567`,
      },
      {
        caption: "/etc/cron.d/numbox-smstools — deliver what waited, every minute (same user as smsd)",
        language: "sh",
        code: `* * * * * smsd /usr/local/bin/numbox-smstools.sh --flush`,
      },
    ],
  },
};

/** An SMSTools message file (headers, blank line, body) → the message it holds, or "ignored". */
export function parseSmsFile(bytes: Uint8Array, fileName: string | null, settings: SmstoolsConfig): Parsed {
  const { headers, body } = splitFile(bytes);
  const header = (name: string) => headers.get(name.toLowerCase());

  if (header("Error")?.toLowerCase().includes("cannot decode pdu")) {
    return { ignored: "smsd could not decode this message (its file says 'Error: Cannot decode PDU')" };
  }
  const alphabet = (header("Alphabet") ?? "ISO").trim().toUpperCase();
  if (alphabet === "BINARY") return { ignored: "an 8-bit data message (Alphabet: binary), not a text SMS" };

  const part = concatenation(header("UDH-DATA"));
  let text: string;
  let ucs2: Uint8Array | undefined;
  if (alphabet === "UCS2") {
    // A part may end inside a surrogate pair (joined as bytes later); a whole message may not.
    if (part) ({ text, ucs2 } = ucs2Part(body));
    else text = decodeUcs2(body);
  } else if (alphabet === "UTF-8" || alphabet === "UTF8") {
    text = decodeUtf8(body);
  } else if (alphabet === "GSM") {
    // smsd with `cs_convert = no` writes GSM texts as septet values, one byte each.
    const nonSeptet = firstNonSeptet(body);
    if (nonSeptet !== undefined) {
      throw new AppError("bad_binary_encoding", `Byte 0x${nonSeptet.toString(16)} is not a GSM 7-bit character.`);
    }
    text = decodeGsm7(body);
  } else {
    // "ISO" (smsd's default; GSM texts are converted to it) and "unknown": ISO-8859-15.
    text = decodeLatin9(body);
  }

  const modem = header("Modem") ?? header("Subject");
  const received = header("Received");
  // The SIM's own number (smsd.conf `number =`) names our number; a modem map in the config is the fallback,
  // also for a `number =` written in some local form that is no phone number to us.
  const number = header("Number")?.trim() || undefined;
  const mapped = modem !== undefined ? settings.modems?.[modem.trim()] : undefined;
  const message: InboundMessage = {
    to: number !== undefined && toE164(number) ? number : (mapped ?? number),
    from: sender(header("From"), header("From_TOA")),
    text,
    receivedAt: smsdTime(header("Sent"), settings.timeZone) ?? smsdTime(received, settings.timeZone),
    sourceKey: sourceKey(bytes, fileName, modem, received),
    part: part ? { ...part, ...(ucs2 ? { ucs2 } : {}) } : undefined,
  };
  return { messages: [message] };
}

/** Header lines up to the first empty one; the rest, byte for byte, is the message. */
function splitFile(bytes: Uint8Array): { headers: Map<string, string>; body: Uint8Array } {
  let lineStart = 0;
  for (let i = 0; i < bytes.length; i++) {
    if (bytes[i] !== 0x0a) continue;
    const end = i > lineStart && bytes[i - 1] === 0x0d ? i - 1 : i;
    if (end === lineStart) {
      return { headers: parseHeaders(bytes.subarray(0, lineStart)), body: bytes.subarray(i + 1) };
    }
    lineStart = i + 1;
  }
  throw new AppError(
    "malformed_body",
    "This is not an SMSTools message file: header lines (From: …), an empty line, then the text.",
  );
}

function parseHeaders(bytes: Uint8Array): Map<string, string> {
  // Headers are ASCII but for the sender's name (alphanumeric senders), which smsd writes in its own charset.
  let text: string;
  try {
    text = new TextDecoder("utf-8", { fatal: true }).decode(bytes);
  } catch {
    text = decodeLatin9(bytes);
  }
  const headers = new Map<string, string>();
  for (const line of text.split(/\r?\n/)) {
    const colon = line.indexOf(":");
    if (colon <= 0) continue;
    const name = line.slice(0, colon).trim().toLowerCase();
    if (!headers.has(name)) headers.set(name, line.slice(colon + 1).trim());
  }
  return headers;
}

/**
 * The sender as smsd writes it: digits without "+". `From_TOA: 91 international, ISDN/telephone` (or no
 * From_TOA at all, older smsd) → an international number, "+" added; a national, unknown-type or alphanumeric
 * address is kept exactly as sent.
 */
function sender(from: string | undefined, toa: string | undefined): string | undefined {
  if (from === undefined) return undefined;
  const value = from.trim();
  if (toa === undefined || toa.trim() === "") return internationalSender(value);
  const hex = /^([0-9a-f]{2})\b/i.exec(toa.trim());
  const international = hex ? ((parseInt(hex[1]!, 16) >> 4) & 0x07) === 1 : /\binternational\b/i.test(toa);
  return international ? internationalSender(value) : value;
}

// smsd's default datetime format "%y-%m-%d %H:%M:%S"; a four-digit year too (a customised `datetime`).
const SMSD_TIME = /^(\d{2}|\d{4})-(\d{2})-(\d{2})[ T](\d{2}):(\d{2})(?::(\d{2}))?$/;

function smsdTime(value: string | undefined, timeZone: string | undefined): Date | null {
  const m = SMSD_TIME.exec(value?.trim() ?? "");
  if (!m) return null;
  const year = m[1]!.length === 2 ? 2000 + Number(m[1]) : Number(m[1]);
  return wallClockToDate(
    {
      year,
      month: Number(m[2]),
      day: Number(m[3]),
      hour: Number(m[4]),
      minute: Number(m[5]),
      second: Number(m[6] ?? "0"),
    },
    timeZone,
  );
}

/**
 * smsd names a message file <modem>.<6 random characters> (mkstemp): unique while the file exists, so a name
 * can come back once the incoming directory is cleaned. With the `Received:` time (to the second) the key is
 * unique for good, and a retry of the same file carries the same one. No file name: the file's content.
 */
function sourceKey(
  bytes: Uint8Array,
  fileName: string | null,
  modem: string | undefined,
  received: string | undefined,
): string {
  const name = fileName
    ?.trim()
    .split("/")
    .pop()
    ?.replace(/[^A-Za-z0-9._-]/g, "_");
  if (!name) return `sha256:${sha256(bytes).toString("hex")}`;
  return boundedKey(`${modem?.trim() ?? ""}/${name}@${received?.trim() ?? ""}`);
}

/**
 * The concatenation element of a part's UDH-DATA ("05 00 03 2A 02 01": UDHL, then IE 00 with an 8-bit
 * reference or IE 08 with a 16-bit one, total, sequence). smsd joins parts itself unless `internal_combine`
 * is off: then each part arrives with its UDH and we join them. Null for a whole message.
 */
export function concatenation(udhData: string | undefined): Concatenation | null {
  if (udhData === undefined || udhData.trim() === "") return null;
  const udh = decodeHex(udhData.replace(/\s+/g, ""));
  if (!udh) {
    throw new AppError("bad_binary_encoding", `UDH-DATA '${udhData.slice(0, 64)}' is not hexadecimal bytes.`);
  }
  return udhConcatenation(udh);
}

// ISO-8859-15 is Latin-1 but for these eight code points (the euro sign among them).
const LATIN9: Record<number, string> = {
  0xa4: "€",
  0xa6: "Š",
  0xa8: "š",
  0xb4: "Ž",
  0xb8: "ž",
  0xbc: "Œ",
  0xbd: "œ",
  0xbe: "Ÿ",
};

export function decodeLatin9(bytes: Uint8Array): string {
  let out = "";
  for (const b of bytes) out += LATIN9[b] ?? String.fromCharCode(b);
  return out;
}
