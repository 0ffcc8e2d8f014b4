/**
 * Finds the one-time code in an SMS so the inbox can highlight it for one-click copy.
 *
 * Strategy, most to least certain:
 *  1. WebOTP line ("@example.com #123456"): the sender tells us the code.
 *  2. Mask everything that looks like a number but is not a code (URLs, phone
 *     numbers, dates, times, amounts, order/tracking numbers…), then take the
 *     candidate nearest to a code keyword ("code", "код", "رمز", "验证码"…).
 *  3. If the message has a keyword but no candidate near it, accept a lone
 *     4–8 digit token anywhere. Anything else → null: a wrong highlight is worse
 *     than none.
 *
 * The value returned is what the user types: "G-123456" → "123456" (Google's
 * and Facebook's input fields show the "G-"/"FB-" prefix themselves) and
 * "123-456" / "123 456" → "123456" (the separator is only for reading).
 * Its span is where those characters are written, when they are written as typed.
 */

/** Where a code is written: UTF-16 offsets into the message's text, end exclusive. */
export type CodeSpan = { start: number; end: number };

/**
 * A message's code as the user types it, and where the message writes it. `span` is null when the message does
 * not write the code as one run of the same characters ("123 456", "١٢٣٤٥٦" read as "123456"): the page
 * highlights only text that is the code itself.
 */
export type FoundCode = { code: string; span: CodeSpan | null };

/** Zero of each digit block we convert: Arabic-Indic, Persian, Devanagari, Bengali, full-width. */
const DIGIT_ZEROS = [0x0660, 0x06f0, 0x0966, 0x09e6, 0xff10];
const NON_ASCII_DIGIT = /[\u0660-\u0669\u06f0-\u06f9\u0966-\u096f\u09e6-\u09ef\uff10-\uff19]/g;

/**
 * Words that introduce a code. WORD_START entries must begin a word (so "pin" does not
 * fire in "shipping") and may take any ending ("kod" → "kodi", "kodunuz"; "код" → "кода").
 * ANYWHERE entries may sit inside a word: "code" ends compounds ("Bestätigungscode"),
 * and Chinese/Japanese/Korean/Arabic/Hindi attach prefixes or skip spaces ("您的验证码是").
 */
const WORD_START = [
  "pin",
  "otp",
  "passcode",
  "password",
  "one-time",
  "2fa",
  "verif",
  "vérif",
  "confirm", // en + verif*/confirm* in es/pt/fr/id/de
  "código",
  "codigo",
  "clave",
  "contraseña",
  "senha",
  "codice",
  "mot de passe", // es, pt, it, fr
  "bestätig",
  "passwort",
  "kennwort", // de
  "kod",
  "şifre",
  "doğrula",
  "parol",
  "tasdiq",
  "sandi",
  "hasło",
  "mã", // tr/uz/id/pl (kod*), vi
  "код",
  "пароль",
  "подтвер",
  "підтвер",
  "тасдиқ",
  "пин",
  "κωδικ",
  "کد", // ru, uk, uz-cyrl, el, fa
];
const ANYWHERE = [
  "code",
  "验证码",
  "驗證碼",
  "校验码",
  "动态码",
  "确认码",
  "密码",
  "認証",
  "コード",
  "인증",
  "رمز",
  "كود",
  "تحقق",
  "كلمة المرور",
  "تایید",
  "تأیید",
  "कोड",
  "ओटीपी",
  "सत्यापन",
  "รหัส",
  "קוד",
];
const KEYWORD = new RegExp(`(?<!\\p{L})(?:${WORD_START.join("|")})\\p{L}*|(?:${ANYWHERE.join("|")})\\p{L}*`, "giu");

/** Text allowed between a keyword and a code for it to count as "directly introduced". */
const CONNECTOR =
  /^[\s:：\-–—=#'"«»“”(\[【]*(?:(?:is|es|est|ist|é|lautet|adalah|ialah|hai|是|为|為|هو)[\s:：\-–—=#'"«»“”(\[【]*)?$/iu;

/** Longer texts are not OTP SMS (10 concatenated GSM parts ≈ 1530 chars); bounds the work. */
const MAX_LENGTH = 2000;

/** Furthest (in characters) a code may be from its keyword: covers "12345 is your Facebook confirmation code". */
const MAX_GAP = 40;

/** Google Chrome/Safari WebOTP / domain-bound code: last line "@host #code", optionally " @iframe" / " %host". */
const WEB_OTP = /^@[a-z0-9.-]+(?::\d+)?[ \t]+#([^\s#]+)(?:[ \t]+[@%]\S+)*[ \t]*$/dim;

/** A plain amount: "1,299.00", "1 500", "2500". */
const AMOUNT = String.raw`\d{1,3}(?:[ ,.]\d{3})+(?:[.,]\d{1,2})?|\d+(?:[.,]\d{1,2})?`;
const CURRENCY_BEFORE = String.raw`[$€£¥₹₽₺₸₴₦]|R\$|(?<!\p{L})(?:usd|eur|gbp|rub|inr|rs|rp|uzs|aed|sar|kzt|egp|idr|cny|rmb|brl)\.?`;
const CURRENCY_AFTER = String.raw`[$€£¥₹₽₺₸₴₦元円]|(?:р(?:уб\p{L}*)?\.?|сум|so['ʻ‘’]?m|som|тг|тенге|грн|tl|usd|eur|gbp|rub|inr|uzs|aed|sar|egp|dollars?|euros?|rupees?|reais|ريال|درهم|جنيه)(?!\p{L})`;

/** Words after which a number is an identifier, not a code ("Order #48213", "заказ №123"). */
const ID_WORDS = [
  "order",
  "tracking",
  "track",
  "invoice",
  "receipt",
  "ref",
  "booking",
  "reservation",
  "ticket",
  "flight",
  "parcel",
  "package",
  "shipment",
  "awb",
  "ending",
  "заказ",
  "посылк",
  "отправлени",
  "трек",
  "pedido",
  "encomenda",
  "commande",
  "colis",
  "bestellung",
  "sendung",
  "sipariş",
  "kargo",
  "buyurtma",
  "pesanan",
  "resi",
];
const ID_FILLER = String.raw`(?:\s*(?:no|nr|n°|num\p{L}*|номер\p{L}*|número|numéro|nummer|numara\p{L}*|raqam\p{L}*|id)(?!\p{L})\.?)?\s*[:#№号]?\s*`;
const ID_TOKEN = String.raw`[a-z0-9-]*\d[a-z0-9-]*`;

/** Patterns blanked out before looking for codes, in order; each match becomes spaces. */
const NOT_CODES: RegExp[] = [
  /\b(?:https?:\/\/|www\.)\S+/gi, // URLs
  /(?<![a-z0-9.-])(?:[a-z0-9-]+\.)+[a-z]{2,}\/\S*/gi, // bare links with a path: "v.whatsapp.com/123456"
  /(?<![\w.+-])[\w.+-]+@[\w-]+(?:\.[\w-]+)+/g, // e-mail addresses
  /\b(?:promo|discount|coupon|voucher|gift|referral|invite|invitation|zip|postal|post|area|country|qr|bar)[ -]?code/gi,
  new RegExp(`(?:(?<!\\p{L})(?:${ID_WORDS.join("|")})\\p{L}*|订单|运单|طلب)${ID_FILLER}${ID_TOKEN}`, "giu"),
  /№\s*\d+|[*•]+\s?\d+/g, // "№ 123", masked card numbers "*4821"
  /(?<!\d)\d{1,4}[/.-]\d{1,2}[/.-]\d{1,4}(?!\d)/g, // dates: 12/05/2026, 2026-05-12, 12.05.26
  /(?<!\d)\d{1,2}:\d{2}(?::\d{2})?(?!\d)/g, // times: 10:45
  new RegExp(`(?:${CURRENCY_BEFORE})\\s?(?:${AMOUNT})`, "giu"), // $1,299.00, Rs. 2500
  new RegExp(`(?<![\\d.,])(?:${AMOUNT})\\s?(?:${CURRENCY_AFTER})`, "giu"), // 1 500 руб, 20 €
  /(?<!\d)\d+(?:[.,]\d+)+/g, // decimals, thousands, IP addresses, versions
  /\+[ \t]?\(?\d[\d \t().-]{5,}\d/g, // international phone numbers
];
/** A run of digits and separators with 9+ digits is a phone or account number (0800 123 4567, 998901234567). */
const LONG_NUMBER = /\(?\d[\d \t().-]*\d/g;

/** Letters or digits glued to a number make it part of a word/ID ("XX1234", "abc12345"); CJK/Arabic letters don't. */
const GLUE = String.raw`\p{Script=Latin}\p{Script=Cyrillic}\p{Script=Greek}\p{N}_`;
/** 4–8 digits on their own. "G-123456"/"FB-12345" match too: "-" is not glue. "1234-5678" style IDs don't. */
const DIGITS = new RegExp(String.raw`(?<![${GLUE}])(?<!\d-)\d{4,8}(?![${GLUE}])(?!-\d)`, "gu");
/** "123-456" / "123 456": WhatsApp, Instagram, Google style, but not part of a longer group sequence. */
const SPLIT = new RegExp(String.raw`(?<![${GLUE}])(?<!\d[ -])(\d{3})[ -](\d{3})(?![${GLUE}])(?![ -]\d)`, "gu");
/** Upper-case letters+digits ("AB12CD", Steam's "F7K2M"): only accepted right after a keyword. */
const ALNUM = new RegExp(String.raw`(?<![${GLUE}])(?=[A-Z0-9]*\d)(?=[A-Z0-9]*[A-Z])[A-Z0-9]{4,10}(?![${GLUE}])`, "gu");

/** 1900–2099: "© 2025", "in 2026". Accepted only right after a keyword ("Your code is 2024"). */
const YEAR = /^(?:19|20)\d\d$/;

interface Candidate {
  value: string;
  start: number;
  end: number;
  needsConnector: boolean;
}

function toAsciiDigits(text: string): string {
  return text.replace(NON_ASCII_DIGIT, (ch) => {
    const cp = ch.codePointAt(0)!;
    const zero = DIGIT_ZEROS.find((z) => cp >= z && cp <= z + 9)!;
    return String(cp - zero);
  });
}

/** Replaces non-code numbers with spaces of the same length, so positions stay comparable. */
function maskNonCodes(text: string): string {
  const blank = (m: string) => " ".repeat(m.length);
  let out = text;
  for (const re of NOT_CODES) out = out.replace(re, blank);
  return out.replace(LONG_NUMBER, (m) => (m.replace(/\D/g, "").length >= 9 ? blank(m) : m));
}

function findCandidates(text: string): Candidate[] {
  const found: Candidate[] = [];
  const add = (m: RegExpMatchArray, value: string, needsConnector: boolean) =>
    found.push({ value, start: m.index!, end: m.index! + m[0].length, needsConnector });
  for (const m of text.matchAll(DIGITS)) add(m, m[0], YEAR.test(m[0]));
  for (const m of text.matchAll(SPLIT)) add(m, m[1]! + m[2]!, false);
  for (const m of text.matchAll(ALNUM)) add(m, m[0], true);
  return found;
}

/** The candidate the message's code is read from, or null when there is none / we're unsure. */
function readCode(source: string): Candidate | null {
  const webOtp = WEB_OTP.exec(source);
  if (webOtp) {
    const [start, end] = webOtp.indices![1]!;
    return { value: webOtp[1]!, start, end, needsConnector: false };
  }
  if (source.length > MAX_LENGTH) return null;

  const masked = maskNonCodes(source);
  const keywords = [...masked.matchAll(KEYWORD)].map((m) => ({ start: m.index, end: m.index + m[0].length }));
  if (keywords.length === 0) return null; // no code vocabulary: never guess
  const candidates = findCandidates(masked);

  let best: { candidate: Candidate; score: number } | null = null;
  for (const c of candidates) {
    for (const k of keywords) {
      const after = c.start >= k.end;
      if (!after && c.end > k.start) continue; // overlaps the keyword
      const between = after ? masked.slice(k.end, c.start) : masked.slice(c.end, k.start);
      if (between.length > MAX_GAP) continue;
      if (c.needsConnector && !(after && CONNECTOR.test(between))) continue;
      // Ties go to the code *after* its keyword ("code: 1234"), the most common order.
      const score = between.length * 2 + (after ? 0 : 1);
      if (!best || score < best.score) best = { candidate: c, score };
    }
  }
  if (best) return best.candidate;

  // A verification message whose code sits far from the keyword: accept it only if it is the sole number.
  const loose = candidates.filter((c) => !c.needsConnector);
  return new Set(loose.map((c) => c.value)).size === 1 ? loose[0]! : null;
}

/** The one-time code of an SMS and where it is written, or null when there is none or we are unsure. */
export function findCode(text: string): FoundCode | null {
  const found = readCode(toAsciiDigits(text)); // every converted digit is one UTF-16 unit, as is its original
  if (!found) return null;
  const verbatim = text.slice(found.start, found.end) === found.value;
  return { code: found.value, span: verbatim ? { start: found.start, end: found.end } : null };
}

/** Returns the one-time code of an SMS as the user would type it, or null when there is none / we're unsure. */
export function extractCode(text: string): string | null {
  return findCode(text)?.code ?? null;
}

/**
 * Where to highlight `code` in `text`: the span the extractor reads it from, if it reads that same code. A code
 * stored by an older extractor that this one reads differently, or not at all, is not highlighted: better no
 * highlight than one on the wrong digits.
 */
export function highlightOf(text: string, code: string | null): CodeSpan | null {
  if (!code) return null;
  const found = findCode(text);
  return found?.code === code ? found.span : null;
}
