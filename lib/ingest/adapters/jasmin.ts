import { AppError } from "@/lib/errors";
import { decodeHex } from "@/lib/text/bytes";
import type { Adapter } from "../adapter";
import type { InboundMessage } from "../message";
import type { InboundRequest } from "../request";
import { decodeUcs2 } from "../ucs2";
import { authenticateWithKey } from "../verify";
import {
  decodeCharset,
  decodeSmscDefault,
  intField,
  latin1View,
  parseFormBytes,
  recipientField,
  textField,
} from "./smsc-common";

/** What Jasmin needs to read in the body to stop throwing the message again (whitespace around it is ignored). */
export const JASMIN_ACK = "ACK/Jasmin";

// SMPP data_coding (SMPP 3.4 §5.2.19), as Jasmin passes it in `coding`. 0 is the SMSC's default alphabet.
const SMPP_CHARSETS: Record<number, string> = {
  1: "us-ascii", // IA5
  2: "8-bit", // octets, unspecified
  3: "iso-8859-1",
  4: "8-bit",
  5: "shift_jis", // JIS X 0208
  6: "iso-8859-5", // Cyrillic
  7: "iso-8859-8", // Latin/Hebrew
  8: "utf-16be", // UCS-2
  10: "iso-2022-jp",
  13: "euc-jp", // extended kanji JIS (X 0212)
  14: "euc-kr", // KS C 5601
};

/**
 * Jasmin's deliverSmHttpThrower: one call per SMS-MO (long ones already joined), GET query or POST form with
 * `id`, `from`, `to`, `origin-connector`, `content` (the raw short_message bytes, URL-encoded), `binary` (the same
 * bytes in hex, newer releases), `coding` (SMPP data_coding), `priority`, `validity`. Jasmin cannot sign: the
 * gateway's API key rides in the connector URL (`?key=`). Idempotency by `id`. It wants exactly `ACK/Jasmin`.
 */
export const jasmin: Adapter = {
  kind: "jasmin",
  methods: ["GET", "POST"],
  mediaTypes: ["application/x-www-form-urlencoded"],

  authenticate(request, gateway) {
    authenticateWithKey({ headers: request.headers, url: withRepairedQuery(request) }, gateway, { query: true });
  },

  parse(request) {
    const fields = parseFormBytes(request.method === "GET" ? repairQuery(request.rawQuery) : latin1View(request.body));
    const field = (name: string) => textField(fields, name);

    // A DLR thrown at this URL (dlr-url pointed here) carries message_status and no content.
    if (fields.has("message_status") && !fields.has("content") && !fields.has("binary")) {
      return { ignored: "a Jasmin delivery receipt, not an inbound SMS" };
    }

    const binary = field("binary");
    let bytes: Uint8Array | undefined;
    if (binary !== undefined) {
      const decoded = decodeHex(binary);
      if (!decoded) throw new AppError("bad_binary_encoding", "'binary' is not hex of the message's bytes.");
      bytes = decoded;
    } else {
      // Releases before `binary` existed: `content` holds the same bytes, URL-encoded.
      bytes = fields.get("content");
    }

    const message: InboundMessage = {
      to: recipientField(field("to")),
      // Jasmin passes source_addr as the SMSC gave it ("+216…", national or alphanumeric): kept as sent.
      from: field("from"),
      text: bytes === undefined ? undefined : decodeJasminText(bytes, intField(field("coding")) ?? 0),
      // Jasmin passes no time of its own: the message is stamped when we store it.
      receivedAt: null,
      sourceKey: field("id"),
    };
    return { messages: [message] };
  },

  respond() {
    return new Response(JASMIN_ACK, {
      status: 200,
      headers: { "Content-Type": "text/plain; charset=utf-8", "Cache-Control": "no-store" },
    });
  },

  setup: {
    title: "Jasmin SMS gateway",
    summary:
      "Jasmin throws every SMS-MO its MO router sends to an HTTP client connector at that connector's URL. Jasmin cannot sign requests, so the gateway's API key goes in the URL (serve it over HTTPS). We decode the text from `binary` and `coding` (UCS-2 included; long messages arrive already joined), store each message once by Jasmin's message id, and answer `ACK/Jasmin` — any other answer makes Jasmin throw the message again.",
    secret: null,
    urlSuffix: "?key=<API key>",
    steps: [
      "Create the gateway and register the number(s) your SMPP connectors receive on, in international form (`+216…`): Jasmin names it in `to`. With one number on the gateway, a `to` that is no phone number is ignored and that number receives the message.",
      "Open jcli (`telnet 127.0.0.1 8990`; default login `jcliadmin` / `jclipwd`) and add an HTTP client connector with the webhook URL — replace `<API key>` with the key printed when the gateway was created — and method POST, so that the key stays in the URL and the message travels in the body.",
      "Add an MO route to that connector: a `DefaultRoute` sends it every SMS-MO; a `StaticMORoute` with a `ConnectorFilter` or `DestinationAddrFilter` sends only some. Then `persist`, or the route is gone after a restart.",
      "Send an SMS to the number: it appears on its inbox page, and `/var/log/jasmin/deliversm-thrower.log` shows the message thrown to the connector.",
      "Retries: a message we could not take (503 while the database is down) is thrown again every `retry_delay` seconds up to `max_retries` times (`[deliversm-thrower]` in jasmin.cfg: 30 s and 3 by default) — raise them to ride out a longer outage. Jasmin gives up at once on 404 (a wrong gateway id in the URL). A request we refuse after checking the key (say, a number not registered here) is kept in the quarantine for the operator.",
    ],
    snippets: [
      {
        caption: "jcli — HTTP client connector and MO route (type the lines after the prompts)",
        language: "text",
        code: `jcli : httpccm -a
Adding a new Httpcc: (ok: save, ko: exit)
> cid numbox
> url {webhookUrl}
> method POST
> ok
Successfully added Httpcc [HttpConnector] with cid:numbox
jcli : morouter -a
Adding a new MO Route: (ok: save, ko: exit)
> type DefaultRoute
jasmin.routing.Routes.DefaultRoute arguments:
connector
> connector http(numbox)
> ok
Successfully added MORoute [DefaultRoute] with order:0
jcli : persist`,
      },
      {
        caption: "jasmin.cfg — keep retrying for about half an hour while Numbox is unreachable",
        language: "ini",
        code: `[deliversm-thrower]
retry_delay = 60
max_retries = 30`,
      },
      {
        caption: "Try it: the call Jasmin makes for “Your code is 51234” (answer: 200 ACK/Jasmin)",
        language: "sh",
        code: `curl -i -X POST "{webhookUrl}" \\
  -H 'Content-Type: application/x-www-form-urlencoded' \\
  --data 'id=16fd2706-8baf-433b-82eb-8c7fada847da&from=%2B447700900001&to=%2B998940373339&origin-connector=smpp-01&coding=0&content=Your+code+is+51234&binary=596f757220636f6465206973203531323334'`,
      },
    ],
  },
};

/** The text of `binary`/`content` by SMPP data_coding: UCS-2 strictly, the default alphabet without losing any. */
export function decodeJasminText(bytes: Uint8Array, coding: number): string {
  if (coding === 8) return decodeUcs2(bytes);
  const charset = SMPP_CHARSETS[coding];
  return (charset && decodeCharset(bytes, charset)) ?? decodeSmscDefault(bytes);
}

/**
 * Jasmin before 0.10 built a GET as `baseurl + "?" + params`: with the key already in the connector URL that
 * gives `?key=…?id=…`. A raw "?" never appears inside a value (Jasmin escapes it as %3F), so it is a separator.
 */
function repairQuery(rawQuery: string): string {
  return rawQuery.replaceAll("?", "&");
}

function withRepairedQuery(request: InboundRequest): URL {
  if (request.method !== "GET" || !request.rawQuery.includes("?")) return request.url;
  const url = new URL(request.url);
  url.search = repairQuery(request.rawQuery);
  return url;
}
