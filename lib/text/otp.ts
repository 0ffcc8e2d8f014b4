/**
 * Finds the one-time code in an SMS, and where it is written, so the inbox can offer it for one-click copy and
 * highlight it in the sentence.
 *
 * How, most to least certain:
 *  1. WebOTP line ("@example.com #123456"): the sender tells us the code.
 *  2. A message that is nothing but a code ("628873").
 *  3. Mask everything that looks like a number but is not a code (links, phone, order, card and account numbers,
 *     amounts, dates, times, durations…), find the cue words (CUES: "code", "код", "رمز", "验证码"…) and take the
 *     candidate a cue points at, best first:
 *       - one the cue introduces: "code: 1234", "code is 1234", "验证码是1234", "[카카오] 인증번호 [1234]";
 *       - one after a cue, in the same sentence: "Код для входа в Kaspi.kz: 1234";
 *       - one before a cue, in the same sentence: "1234 is your Facebook code", "VK: 1234 — код для входа".
 *     A number on an earlier line or sentence is never the code of a cue after it ("Card 4821\nCode: 559302"),
 *     unless that line is nothing but the number ("482193\nThis is your code").
 *  4. A message that names a code and, after that word, holds one candidate: that candidate.
 * Anything else → null: a wrong code is worse than none.
 *
 * The code is what the user types: "G-123456" → "123456" (Google's and Facebook's input fields show the
 * "G-"/"FB-" prefix themselves), "123-456" / "123 456" → "123456" (the separator is only for reading),
 * "١٢٣٤" → "1234". Where it is written is the run of the message the code was read from, as written: its digits
 * or letters in the message's own digits ("١٢٣٤"), with the separator between the halves of a split code
 * ("123 456"), and no prefix ("G-123456": the six digits).
 */

/** Where a code is written: UTF-16 offsets into the message's text, end exclusive. */
export type CodeSpan = { start: number; end: number };

/**
 * A message's code as the user types it (digits in ASCII, no separator), and the run of the message it was read
 * from, as written there: "123 456" and "١٢٣٤٥٦" are the code "123456", and are what the page highlights.
 */
export type FoundCode = { code: string; start: number; end: number };

/** Longer texts are not OTP SMS (10 concatenated GSM parts ≈ 1530 chars); bounds the work. */
const MAX_LENGTH = 2000;

/** Furthest (in characters) a code may be from its cue: "Код для входа в приложение Сбербанк Онлайн: 4821". */
const MAX_GAP = 48;

// ─── Cue words ────────────────────────────────────────────────────────────────────────────────────────────────

type CueKind = "code" | "context" | "entry";
type CueWords = Partial<Record<CueKind, string[]>>;

/**
 * The words that point at a code, per language. Three kinds:
 *  - code: names the code itself ("code", "OTP", "пароль", "验证码"); points at a code before or after it;
 *  - context: says what a code is for ("verify", "подтверждение", "تحقق"); points at a code it introduces
 *    ("Authentication: 1234") or one right before it ("Use 1234 to verify"), not at any number in its sentence
 *    ("Your booking at Hotel 1234 is confirmed");
 *  - entry: asks the user to type something ("manually enter", "введите"); points only at what it introduces.
 * Spelling: "verif*" is a word that starts so, with any ending ("verify", "verification"); "*code*" may also end a
 * longer word ("Bestätigungscode", "passcode") and take endings (a leading star always comes with a trailing one);
 * no star is the whole word ("pin" is not "pink"); a space or hyphen may be written or left out. Words of scripts
 * written without spaces between words (Chinese, Japanese, Thai) or with attached particles (Korean) match
 * anywhere, as written.
 */
const CUES: Record<string, CueWords> = {
  en: {
    code: ["*code*", "otp*", "pin", "pincode", "passcode*", "*password*", "one-time", "token"],
    context: ["verif*", "authent*", "auth", "confirm*", "2fa", "two-factor", "2-step"],
    entry: ["enter"],
  },
  ru: {
    code: ["код*", "пароль*", "пин", "пин-код*"],
    context: ["подтвер*", "верификац*", "авториз*"],
    entry: ["введите"],
  },
  uk: { code: ["код*", "пароль*"], context: ["підтвер*"], entry: ["введіть"] },
  es: {
    code: ["código*", "codigo*", "clave*", "contraseña*"],
    context: ["verific*", "confirm*", "autentic*"],
    entry: ["ingresa", "ingrese", "introduce", "introduzca"],
  },
  pt: {
    code: ["código*", "codigo*", "senha*", "token*"],
    context: ["verifica*", "confirma*", "autentica*"],
    entry: ["digite", "insira", "informe"],
  },
  fr: {
    code: ["*code*", "mot de passe", "mdp"],
    context: ["vérif*", "confirm*", "authentif*"],
    entry: ["saisissez", "saisir", "entrez"],
  },
  de: {
    code: ["*code*", "tan", "mtan", "smstan", "sms-tan", "*passwort*", "*kennwort*", "pin"],
    context: ["bestätig*", "verifizier*", "authentifizier*"],
    entry: ["eingeben"],
  },
  id: {
    code: ["kode*", "sandi*"],
    context: ["verifikasi*", "konfirmasi*", "autentikasi*"],
    entry: ["masukkan"],
  },
  tr: { code: ["kod*", "şifre*", "parola*"], context: ["doğrula*", "onay*"], entry: ["girin*", "giriniz"] },
  uz: {
    code: ["kod*", "parol*", "код*", "парол*"],
    context: ["tasdiq*", "тасдиқ*"],
    entry: ["kiriting"],
  },
  vi: {
    // Many Vietnamese SMS are written without diacritics; bare "ma" is too common a word in other languages.
    code: ["mã", "mật khẩu", "mat khau", "ma xac thuc", "ma xac nhan", "ma otp", "ma kich hoat"],
    context: ["xác thực", "xác nhận", "xac thuc", "xac nhan", "kích hoạt", "kich hoat"],
    entry: ["nhập", "nhap"],
  },
  "zh-Hans": {
    code: [
      "验证码",
      "验证代码",
      "校验码",
      "动态码",
      "确认码",
      "认证码",
      "安全码",
      "动态密码",
      "激活码",
      "口令",
      "密码",
    ],
    context: ["验证", "认证"],
    entry: ["输入", "填写"],
  },
  "zh-Hant": {
    code: [
      "驗證碼",
      "驗證代碼",
      "認證碼",
      "認證代碼",
      "校驗碼",
      "確認碼",
      "安全碼",
      "動態密碼",
      "一次性密碼",
      "啟用碼",
      "密碼",
    ],
    context: ["驗證", "認證"],
    entry: ["輸入", "填寫"],
  },
  ja: {
    code: [
      "認証番号",
      "認証コード",
      "確認コード",
      "確認番号",
      "暗証番号",
      "ワンタイムパスワード",
      "パスワード",
      "パスコード",
      "コード",
    ],
    context: ["認証"],
    entry: ["入力"],
  },
  ko: {
    code: ["인증번호", "인증 번호", "인증코드", "확인코드", "보안코드", "비밀번호", "코드"],
    context: ["인증", "본인확인"],
    entry: ["입력"],
  },
  // Arabic script: particles attach to the word ("الرمز", "برمز", "رمزك"), so the words match inside longer ones.
  ar: {
    code: ["*رمز*", "*كود*", "كلمة المرور", "كلمة السر"],
    context: ["*تحقق*", "*تأكيد*", "*تفعيل*"],
    entry: ["أدخل", "ادخل"],
  },
  fa: { code: ["کد*", "كد*", "*رمز*"], context: ["*تایید*", "*تأیید*", "یکبار مصرف"] },
  hi: { code: ["*कोड*", "*ओटीपी*", "*पासवर्ड*", "पिन"], context: ["*सत्यापन*"], entry: ["दर्ज"] },
  // Common in SMS, though the site does not speak these languages.
  other: { code: ["codice*", "hasło*", "kód*", "κωδικ*", "รหัส", "*קוד*"], context: ["weryfik*"] },
};

/** Scripts whose words are matched as written, anywhere: no spaces mark where their words begin and end. */
const UNSPACED = /[\p{Script=Han}\p{Script=Hiragana}\p{Script=Katakana}\p{Script=Hangul}\p{Script=Thai}]/u;
const LETTER = String.raw`\p{L}\p{M}`;

function escapeRegExp(text: string): string {
  return text.replace(/[\\^$.*+?()[\]{}|/]/g, "\\$&");
}

/**
 * One alternation of the words of a table (CUES, NUMBER_LABELS), spelled as described at CUES; longest first, so
 * "驗證代碼" is taken whole before "驗證". Words are grouped by how they begin and end, so that each group's
 * boundary is tested once, not once per word: the tables are long, and every position of every message tries them.
 */
function wordsPattern(words: Iterable<string>): string {
  const groups = {
    wordEnding: [] as string[],
    wholeWord: [] as string[],
    inside: [] as string[],
    unspaced: [] as string[],
  };
  const sorted = [...new Set(words)].sort((a, b) => b.length - a.length);
  for (const word of sorted) {
    const bare = escapeRegExp(word.replace(/^\*|\*$/g, ""))
      .replace(/ /g, String.raw`\s*`)
      .replace(/-/g, "[-‐ ]?");
    if (UNSPACED.test(word)) groups.unspaced.push(bare);
    else if (word.startsWith("*")) groups.inside.push(bare);
    else (word.endsWith("*") ? groups.wordEnding : groups.wholeWord).push(bare);
  }
  const endings = `[${LETTER}]*`;
  const atWordStart = [
    ...(groups.wordEnding.length ? [`(?:${groups.wordEnding.join("|")})${endings}`] : []),
    ...(groups.wholeWord.length ? [`(?:${groups.wholeWord.join("|")})(?![${LETTER}])`] : []),
  ];
  return [
    ...(atWordStart.length ? [`(?<![${LETTER}])(?:${atWordStart.join("|")})`] : []),
    // Inside a word: "*code*" ends "Bestätigungscode"; every such word in the tables takes endings.
    ...(groups.inside.length ? [`(?:${groups.inside.join("|")})${endings}`] : []),
    ...groups.unspaced,
  ].join("|");
}

const CUE_PATTERNS = (["code", "context", "entry"] as const).map((kind): [CueKind, RegExp] => [
  kind,
  new RegExp(wordsPattern(Object.values(CUES).flatMap((words) => words[kind] ?? [])), "giu"),
]);

interface Cue {
  kind: CueKind;
  start: number;
  end: number;
}

function findCues(text: string): Cue[] {
  // "ŞİFRE": JavaScript folds no case onto the Turkish dotted capital İ; "i" in its place keeps every offset.
  const matchable = text.replace(/İ/g, "i");
  return CUE_PATTERNS.flatMap(([kind, pattern]) =>
    matchesOf(pattern, matchable).map((m) => ({ kind, start: m.index, end: m.index + m[0].length })),
  );
}

/**
 * Every match of a global pattern, as `matchAll` finds them. Every message stored goes through a dozen of these
 * searches, and `matchAll` copies the pattern and makes an iterator each time: 3-4× what `exec` takes on an SMS.
 */
function matchesOf(pattern: RegExp, text: string): RegExpExecArray[] {
  const found: RegExpExecArray[] = [];
  pattern.lastIndex = 0;
  for (let m = pattern.exec(text); m !== null; m = pattern.exec(text)) {
    found.push(m);
    // An empty match would be found again where it is: step over it, as matchAll does.
    if (m[0] === "") pattern.lastIndex += (text.codePointAt(m.index) ?? 0) > 0xffff ? 2 : 1;
  }
  return found;
}

// ─── Numbers that are not codes ───────────────────────────────────────────────────────────────────────────────

/**
 * Words after which a number names something else: an order, a card, an account, a transaction, a code that is not
 * for signing in, an amount, a phone. Spelled as CUES. A one-time code may follow one of these words too ("Код для
 * получения заказа: 4821"); such a message is left without a code rather than risk a card's last digits as one.
 */
const NUMBER_LABELS = {
  identifier: [
    // orders, parcels, bookings
    ...["order*", "tracking", "track", "invoice*", "receipt*", "ref", "reference*", "booking*", "reservation*"],
    ...["ticket*", "flight*", "parcel*", "package*", "shipment*", "awb", "pnr", "customer id", "client id", "user id"],
    ...["member id", "confirmation number", "заказ*", "посылк*", "отправлени*", "трек*", "pedido*", "encomenda*"],
    ...["commande*", "colis", "bestellung*", "sendung*", "auftrag*", "sipariş*", "kargo*", "buyurtma*", "pesanan*"],
    ...["resi", "đơn hàng", "订单", "运单", "快递单", "訂單", "注文", "予約番号", "주문", "예약번호", "طلب*", "سفارش*"],
    ...["ऑर्डर*", "کد ملی", "کد پستی"],
    // cards
    ...["card*", "ending", "ends", "карт*", "tarjeta*", "cartão", "cartao", "carte*", "karte*", "kart*", "karta*"],
    ...["thẻ", "卡号", "尾号", "尾號", "カード", "카드", "بطاقة*", "بطاقت*", "کارت*", "कार्ड*"],
    // accounts
    ...["account*", "acct", "a/c", "счет*", "счёт*", "cuenta*", "conta", "compte*", "konto*", "hesap*", "hesab*"],
    ...["rekening*", "hisob*", "tài khoản", "tai khoan", "账户", "帳戶", "账号", "帳號", "口座", "계좌", "حساب*"],
    "खात*",
    // transactions
    ...["txn", "trx", "utr", "rrn", "transaction id", "transaction no", "transaction number", "交易号", "交易编号"],
    ...["승인번호", "رقم العملية", "الرقم المرجعي", "شماره مرجع"],
    // codes, but not for signing in: promotions, errors, bookings, parcels, places
    ...["promo-code", "discount-code", "coupon-code", "voucher-code", "gift-code", "referral-code", "invite-code"],
    ...["invitation-code", "error-code", "booking-code", "reservation-code", "tracking-code", "reference-code"],
    ...["zip-code", "postal-code", "post-code", "area-code", "country-code", "qr-code", "bar-code", "промокод*"],
    ...["код ошибки", "код бронирования", "código promocional", "código de descuento", "código de desconto"],
    ...["código de cupón", "código de error", "código de erro", "código de reserva", "código de rastreo"],
    ...["código de rastreio", "código de rastreamento", "código de seguimiento", "code promo", "code d'erreur"],
    ...["code erreur", "code de réservation", "code de suivi", "gutscheincode*", "rabattcode*", "fehlercode*"],
    ...["buchungscode*", "promosyon kodu", "indirim kodu", "hata kodu", "rezervasyon kodu", "takip kodu"],
    ...["kode promo", "kode voucher", "kode booking", "kode error", "kode pemesanan", "promokod*", "xato kodi"],
    ...["buyurtma kodi", "mã giảm giá", "mã khuyến mãi", "mã lỗi", "ma loi", "mã đặt chỗ", "mã vận đơn"],
    ...["ma van don", "优惠码", "優惠碼", "错误码", "错误代码", "錯誤代碼", "エラーコード", "クーポンコード"],
    ...["오류 코드", "에러코드", "할인코드", "كود خصم", "كود الخصم", "رمز الخطأ", "رمز الحجز", "رقم الحجز"],
    ...["کد تخفیف", "کد خطا", "کد رزرو", "کد پیگیری", "کد رهگیری", "شماره پیگیری", "त्रुटि कोड"],
  ],
  amount: [
    ...["amount*", "amt", "balance*", "bal", "сумм*", "баланс*", "остаток*", "monto*", "importe*", "saldo*"],
    ...["valor*", "montant*", "solde*", "betrag*", "kontostand*", "tutar*", "bakiye*", "jumlah*", "nominal*"],
    ...["summa*", "balans*", "qoldiq*", "số tiền", "số dư", "so du", "金额", "余额", "金額", "餘額", "残高", "금액"],
    ...["잔액", "مبلغ*", "المبلغ*", "رصيد*", "موجودی*", "राशि", "शेष"],
  ],
  phone: [
    ...["call*", "phone*", "tel", "hotline*", "helpline*", "звоните", "позвоните", "звонок*", "тел", "телефон*"],
    ...["llama*", "llame*", "teléfono*", "ligue*", "telefone*", "appelez*", "téléphone*", "anrufen", "telefon*"],
    ...["arayın*", "hubungi*", "telp", "qo'ng'iroq*", "gọi", "tổng đài", "客服", "电话", "電話", "热线", "熱線"],
    ...["致电", "拨打", "撥打", "전화", "고객센터", "اتصل*", "هاتف*", "تماس*", "कॉल", "फोन"],
  ],
};
/**
 * What may stand between such a word and its number: "Order No. 123", "card ending in 4821", "call us at".
 * A filler is a whole word; "ending" is both a label ("card ending 4821") and a filler ("ending in 4821").
 */
const LABEL_FILLERS = [
  ...["no", "nr", "n°", "nº", "num*", "number*", "номер*", "número*", "numéro*", "nummer*", "numara*", "raqam*"],
  ...["nomor*", "số", "id", "is", "was", "ending", "ends", "in", "with", "final", "terminada en", "se terminant par"],
  ...["endend auf", "sonu", "tugaydigan", "berakhiran", "akhiran", "оканчивающ*", "заканчивающ*", "号", "號", "번호"],
  ...["شماره", "رقم", "नंबर", "us", "at", "on", "to", "по", "на", "al", "para", "ao", "au", "an", "ke", "di"],
];
const LABEL_GAP = String.raw`(?:[^\S\n]|[:：#№\-–—(])*`;
const LABEL_LEAD = `\\.?(?:${LABEL_GAP}(?:${wordsPattern(LABEL_FILLERS)})\\.?)*${LABEL_GAP}`;

/** A plain amount: "1,299.00", "1 500", "2500". */
const AMOUNT = String.raw`\d{1,3}(?:[ ,.\u00a0\u202f]\d{3})+(?:[.,]\d{1,2})?|\d+(?:[.,]\d{1,2})?`;
const CURRENCY_BEFORE = [
  String.raw`[$€£¥₹₽₺₸₴₦₩₫﷼]|[A-Z]{1,2}\$`,
  ...[
    ...["usd", "eur", "gbp", "rub", "inr", "rs", "rp", "uzs", "aed", "sar", "kzt", "egp", "idr", "cny", "rmb", "brl"],
    ...["mxn", "vnd", "krw", "jpy", "irr", "uah", "cop", "ars", "clp", "chf", "pln", "usdt"],
  ].map((code) => `(?<![${LETTER}])${code}\\.?`),
].join("|");
/** Currency after an amount; its words take endings ("so'mga", "рублей") where they cannot be another word. */
const CURRENCY_AFTER = `(?:[$€£¥₹₽₺₸₴₦₩₫元円원]|${wordsPattern([
  ...["р", "руб*", "сум*", "сўм*", "so'm*", "soʻm*", "so‘m*", "so’m*", "som", "sum", "тг", "тенге", "грн", "tl"],
  ...["lira", "usd", "eur", "gbp", "rub", "inr", "uzs", "aed", "sar", "egp", "idr", "mxn", "brl", "vnd", "vnđ", "đ"],
  ...["đồng", "dong", "dollar*", "euro*", "rupee*", "reais", "real", "peso*", "soles", "dirham*", "riyal*", "usdt"],
  ...["yuan", "won", "*ريال*", "*درهم*", "*جنيه*", "*دينار*", "تومان*", "ریال*", "रुपये", "रु"],
])})\\.?`;

/** After a number, a unit: a duration ("10 minutes", "5分钟"), a part of a date ("2026年"), a share, a size. */
const UNITS = [
  ...["min", "mins", "minute*", "hr", "hrs", "hour*", "sec", "secs", "second*", "day*", "минут*", "мин", "час*"],
  ...["секунд*", "дн*", "minuto*", "hora*", "segundo*", "día*", "dia", "dias", "heure*", "jour*", "stunde*", "tag"],
  ...["tage", "tagen", "dakika*", "saat*", "gün*", "menit", "mnt", "jam", "hari", "daqiqa*", "soat*", "kun*", "phút"],
  ...["giờ", "ngày", "分钟", "分鐘", "分", "小时", "小時", "秒", "天", "日", "年", "月", "時間", "분", "시간", "초"],
  ...["일", "년", "월", "دقيقة", "دقائق", "ساعة", "ساعات", "يوم", "أيام", "دقیقه*", "ساعت*", "روز*", "मिनट", "घंटे"],
  ...["दिन", "mb", "gb", "kb", "km", "kg"],
];

/** "Reply STOP to 81010": the number is the service's short code. */
const OPT_OUT = String.raw`(?<![${LETTER}])(?:stop|стоп|baja|sair)(?![${LETTER}])[^\d\n.!?]{0,20}\d+`;

/** Patterns blanked out before looking for codes, in order; each match becomes spaces, so offsets stay. */
const NOT_CODES: RegExp[] = [
  /\b(?:https?:\/\/|www\.)\S+/gi, // links
  /(?<![a-z0-9.-])(?:[a-z0-9-]+\.)+[a-z]{2,}\/\S*/gi, // bare links with a path: "v.whatsapp.com/123456"
  /(?<![\w.+-])[\w.+-]+@[\w-]+(?:\.[\w-]+)+/g, // e-mail addresses
  /(?<=\s)[A-Za-z0-9+/]{11}\s*$/g, // Android's SMS Retriever app hash, last in the message: "FA+9qCX9VSu"
  new RegExp(`(?:${wordsPattern(NUMBER_LABELS.identifier)})${LABEL_LEAD}[A-Za-z\\d*•-]*\\d[A-Za-z\\d*•-]*`, "giu"),
  new RegExp(`(?:${wordsPattern(NUMBER_LABELS.amount)})${LABEL_LEAD}(?:${CURRENCY_BEFORE})?\\s?(?:${AMOUNT})`, "giu"),
  new RegExp(`(?:${wordsPattern(NUMBER_LABELS.phone)})${LABEL_LEAD}\\+?\\(?\\d(?:[\\d().\\- \\t]*\\d)?`, "giu"),
  new RegExp(OPT_OUT, "giu"),
  /№\s*\d+|\d*[*•]+\s?\d+/g, // "№ 123", masked card numbers "*4821", "6104****1234"
  /(?<!\d)\d{1,4}[/.-]\d{1,2}[/.-]\d{1,4}(?!\d)/g, // dates: 12/05/2026, 2026-05-12, 12.05.26
  /(?<!\d)\d{1,2}(?::\d{2}){1,2}(?!\d)|(?<!\d)\d{1,2}h\d{2}(?!\d)/g, // times: 10:45, 14:25:30, 10h45
  new RegExp(`(?:${CURRENCY_BEFORE})\\s?(?:${AMOUNT})`, "giu"), // $1,299.00, Rs. 2500
  new RegExp(`(?<![\\d.,])(?:${AMOUNT})\\s?(?:${CURRENCY_AFTER})`, "giu"), // 1 500 руб, 20 €, 50000 so'm
  new RegExp(`(?<![\\d.,])\\d+(?:[.,]\\d+)?[^\\S\\n]?(?:%|${wordsPattern(UNITS)})`, "giu"), // 10 minutes, 15%
  /(?<!\d)\d+(?:[.,]\d+)+/g, // decimals, thousands, IP addresses, versions
  /\+[ \t]?\(?\d[\d \t().-]{5,}\d/g, // international phone numbers
];
/** A run of digits and separators with 9+ digits is a phone or account number (0800 123 4567, 998901234567). */
const LONG_NUMBER = /\(?\d[\d \t().-]*\d/g;

/** Replaces what is not a code with spaces of the same length, so offsets stay those of the text. */
function maskNotCodes(text: string): string {
  let out = text;
  for (const re of NOT_CODES) out = blankOut(out, matchesOf(re, out));
  const long = matchesOf(LONG_NUMBER, out).filter((m) => m[0].replace(/\D/g, "").length >= 9);
  return blankOut(out, long);
}

/** `text` with each of `found` (in order, not overlapping) written over with spaces. */
function blankOut(text: string, found: RegExpExecArray[]): string {
  if (found.length === 0) return text; // most patterns find nothing in most messages
  let out = "";
  let last = 0;
  for (const m of found) {
    out += text.slice(last, m.index) + " ".repeat(m[0].length);
    last = m.index + m[0].length;
  }
  return out + text.slice(last);
}

/** Words that make a message an advertisement: a code in it is for a discount ("SAVE20"), not for signing in. */
const PROMOTION = new RegExp(
  String.raw`\d\s?%|${wordsPattern([
    ...["off", "discount*", "sale", "скидк*", "акци*", "descuento*", "oferta*", "desconto*", "cupom*", "cupón*"],
    ...["remise*", "réduction*", "rabatt*", "gutschein*", "indirim*", "kampanya*", "diskon*", "potongan*"],
    ...["chegirma*", "giảm giá", "khuyến mãi", "할인", "割引", "クーポン", "优惠", "折扣", "優惠", "*خصم*", "*تخفیف*"],
    "*छूट*",
  ])}`,
  "iu",
);

// ─── Candidates ───────────────────────────────────────────────────────────────────────────────────────────────

/** Letters or digits glued to a number make it part of a word or ID ("XX1234"); CJK, Arabic… letters don't. */
const GLUE = String.raw`\p{Script=Latin}\p{Script=Cyrillic}\p{Script=Greek}\p{N}_`;
/**
 * 4–8 digits on their own. "G-123456"/"FB-12345" match too: "-" is not glue; "1234-5678" style IDs don't.
 * A capitalised word right after the digits is the next sentence whose space was lost: "244333Getting started".
 */
const DIGITS = new RegExp(String.raw`(?<![${GLUE}])(?<!\d-)\d{4,8}(?:(?![${GLUE}])|(?=\p{Lu}\p{Ll}))(?!-\d)`, "gu");
/** "123-456" / "123 456": WhatsApp, Instagram, Google style, but not part of a longer group sequence. */
const SPLIT = new RegExp(String.raw`(?<![${GLUE}])(?<!\d[ -])(\d{3})[ -](\d{3})(?![${GLUE}])(?![ -]\d)`, "gu");
/** Letters and digits, any case: "AB12CD", "xP2y4jCA". Accepted only when a cue introduces it. */
const LETTERS_AND_DIGITS = new RegExp(
  String.raw`(?<![${GLUE}])(?=[A-Za-z0-9]*\d)(?=[A-Za-z0-9]*[A-Za-z])[A-Za-z0-9]{4,10}(?![${GLUE}])`,
  "gu",
);
/** Five capitals without a vowel: Steam Guard's alphabet has none, so "FKQRT" is a code, not a word. */
const STEAM_GUARD = new RegExp(String.raw`(?<![${GLUE}])[B-DF-HJ-NP-TV-Z]{5}(?![${GLUE}])`, "gu");

/** A promotion's code is a word and a number ("SAVE20", "LETO2024", "50OFF"); a one-time code is random. */
const WORD_AND_NUMBER = /^(?=.*[AEIOUaeiou])(?:[A-Za-z]{3,}\d{1,4}|\d{1,4}[A-Za-z]{3,})$/;
/** 1900–2099 ("© 2025") and dates written as 8 digits: codes only when a cue introduces them. */
const YEAR_OR_DATE =
  /^(?:(?:19|20)\d\d|(?:19|20)\d\d(?:0[1-9]|1[0-2])(?:0[1-9]|[12]\d|3[01])|(?:0[1-9]|[12]\d|3[01])(?:0[1-9]|1[0-2])(?:19|20)\d\d)$/;

interface Candidate {
  /** The code as the user types it. */
  value: string;
  /** The run it is read from, separator included ("123 456"); no prefix ("G-"). */
  start: number;
  end: number;
  /** Only a cue right before it makes it a code: a year, a date, "#1234", letters. */
  needsIntroduction: boolean;
}

function findCandidates(masked: string, promotional: boolean): Candidate[] {
  const found: Candidate[] = [];
  const add = (m: RegExpExecArray, value: string, needsIntroduction: boolean) =>
    found.push({ value, start: m.index, end: m.index + m[0].length, needsIntroduction });
  for (const m of matchesOf(DIGITS, masked)) add(m, m[0], YEAR_OR_DATE.test(m[0]) || masked[m.index - 1] === "#");
  for (const m of matchesOf(SPLIT, masked)) add(m, m[1]! + m[2]!, false);
  // In an advertisement, letters and digits are a discount's code, never a sign-in's.
  if (promotional) return found;
  for (const re of [LETTERS_AND_DIGITS, STEAM_GUARD]) {
    for (const m of matchesOf(re, masked)) if (!WORD_AND_NUMBER.test(m[0])) add(m, m[0], true);
  }
  return found;
}

// ─── Which candidate a cue points at ──────────────────────────────────────────────────────────────────────────

/** A sentence ends at a line break or at ". " and its kin. */
const SENTENCE_END = /[.!?…](?=\s|$)|[。！？।؟\n]/u;
/** Only punctuation between the cue and the code: "code: 1234", "인증번호 [1234]", "code\n1234". */
const DIRECTLY = /^[\s:：=\-–—#"'«“„(\[【「『<]*$/u;
/** A short label ending like a colon or "is": "code for Kaspi.kz: ", "verification code is ", "验证码是". */
const LABEL_END = new RegExp(
  String.raw`(?:[:：=]|(?<![${LETTER}])(?:is|are|es|est|ist|lautet|é|è|adalah|ialah|yaitu|là|la|hai|هو|هي|است)|是|为|為|は|는|은)[\s"'«“„(\[【「『<\-–—]*$`,
  "iu",
);
/** What may stand between a code and a context word after it: "Use 123 456 to verify", "1234 — подтверждение". */
const BEFORE_CONTEXT =
  /^[\s\-–—:(]*(?:(?:to|for|para|pour|per|zur|zum|für|для|untuk|için|uchun|để|برای|के\s+लिए)[\s\-–—:]*)?$/iu;

const sameSentence = (text: string) => !SENTENCE_END.test(text);

function introduces(between: string): boolean {
  return (
    DIRECTLY.test(between) ||
    (between.length <= MAX_GAP && sameSentence(between) && !/\d/.test(between) && LABEL_END.test(between))
  );
}

/** "482193\nThis is your code for Example.": a line that holds nothing but the code (and its "G-"/"<#>" marks). */
function aloneOnItsLine(masked: string, candidate: Candidate): boolean {
  const lineStart = masked.lastIndexOf("\n", candidate.start - 1) + 1;
  const lineEnd = masked.indexOf("\n", candidate.end);
  const before = masked.slice(lineStart, candidate.start);
  const after = masked.slice(candidate.end, lineEnd < 0 ? undefined : lineEnd);
  return /^\s*(?:<#>\s*)?(?:(?:G|FB)-)?$/.test(before) && /^[\s.]*$/.test(after);
}

/**
 * How strongly `cue` points at `candidate`, lower is stronger, or null when it does not: introduced, then after the
 * cue in its sentence, then before it in its sentence, then alone on a line before the cue's; nearer first within
 * each, and after before before.
 */
function pointing(masked: string, cue: Cue, candidate: Candidate): number | null {
  if (candidate.start >= cue.end) {
    const between = masked.slice(cue.end, candidate.start);
    if (introduces(between)) return between.length * 2;
    if (candidate.needsIntroduction || cue.kind !== "code") return null;
    return sameSentence(between) && between.length <= MAX_GAP ? 1000 + between.length * 2 : null;
  }
  if (candidate.end <= cue.start) {
    if (candidate.needsIntroduction || cue.kind === "entry") return null;
    const between = masked.slice(candidate.end, cue.start);
    if (between.length > MAX_GAP || /\d/.test(between)) return null;
    if (!sameSentence(between)) return cue.kind === "code" && aloneOnItsLine(masked, candidate) ? 3000 : null;
    if (cue.kind === "context" && !BEFORE_CONTEXT.test(between)) return null;
    return 2000 + between.length * 2 + 1;
  }
  return null; // overlaps the cue
}

function codeByCues(source: string): Candidate | null {
  const cuesOfText = findCues(source);
  if (cuesOfText.length === 0) return null; // no code vocabulary: never guess
  const masked = maskNotCodes(source);
  // A cue that was part of something masked ("promo code", "error code 500") points at nothing.
  const cues = cuesOfText.filter((cue) => masked.slice(cue.start, cue.end) === source.slice(cue.start, cue.end));
  if (cues.length === 0) return null;
  const candidates = findCandidates(masked, PROMOTION.test(source));

  let best: { candidate: Candidate; score: number } | null = null;
  for (const candidate of candidates) {
    for (const cue of cues) {
      const score = pointing(masked, cue, candidate);
      if (score !== null && (!best || score < best.score)) best = { candidate, score };
    }
  }
  if (best) return best.candidate;

  // A message that names a code and writes it further on ("Never share this code. Use 482193 to sign in."): the
  // only candidate after the first code word. One before it is on an earlier line or sentence (see pointing).
  const named = cues.filter((cue) => cue.kind === "code").map((cue) => cue.start);
  if (named.length === 0) return null;
  const loose = candidates.filter((c) => !c.needsIntroduction && c.start >= Math.min(...named));
  return new Set(loose.map((c) => c.value)).size === 1 ? loose[0]! : null;
}

// ─── The message as a whole ───────────────────────────────────────────────────────────────────────────────────

/** Zero of each digit block we read: Arabic-Indic, Persian, Devanagari, Bengali, full-width. */
const DIGIT_ZEROS = [0x0660, 0x06f0, 0x0966, 0x09e6, 0xff10];
const NON_ASCII_DIGIT = /[\u0660-\u0669\u06f0-\u06f9\u0966-\u096f\u09e6-\u09ef\uff10-\uff19]/g;

/** Every digit as ASCII; each is one UTF-16 unit either way, so offsets are those of the text. */
function toAsciiDigits(text: string): string {
  return text.replace(NON_ASCII_DIGIT, (ch) => {
    const cp = ch.codePointAt(0)!;
    const zero = DIGIT_ZEROS.find((z) => cp >= z && cp <= z + 9)!;
    return String(cp - zero);
  });
}

/** Google Chrome/Safari WebOTP / domain-bound code: last line "@host #code", optionally " @iframe" / " %host". */
const WEB_OTP = /^@[a-z0-9.-]+(?::\d+)?[ \t]+#([^\s#]+)(?:[ \t]+[@%]\S+)*[ \t]*$/dim;

/** The code a WebOTP line names; where the sentence above writes it, if it does: that is where people look. */
function fromWebOtp(source: string): Candidate | null {
  const line = WEB_OTP.exec(source);
  if (!line) return null;
  const [start, end] = line.indices![1]!;
  const named: Candidate = { value: line[1]!, start, end, needsIntroduction: false };
  const rest = source.slice(0, line.index) + " ".repeat(line[0].length) + source.slice(line.index + line[0].length);
  const inSentence = rest.length <= MAX_LENGTH ? codeByCues(rest) : null;
  return inSentence?.value === named.value ? inSentence : named;
}

/**
 * A message that is nothing but a code: "628873", "123-456", "G-628873", with Android's SMS Retriever marks if
 * any ("<#>" before, the app's 11-character hash after).
 */
const WHOLE_MESSAGE = /^\s*(?:<#>\s*)?(?:(?:G|FB)-)?(?:(\d{4,8})|(\d{3})[ -](\d{3}))\.?(?:\s+[A-Za-z0-9+/]{11})?\s*$/d;

function wholeMessage(source: string): Candidate | null {
  const m = WHOLE_MESSAGE.exec(source);
  if (!m) return null;
  const [start, end] = m[1] ? m.indices![1]! : [m.indices![2]![0], m.indices![3]![1]];
  return { value: m[1] ?? m[2]! + m[3]!, start, end, needsIntroduction: false };
}

// ─── The API ──────────────────────────────────────────────────────────────────────────────────────────────────

/** The one-time code of an SMS and where it is written, or null when there is none or we are unsure. */
export function findCode(text: string): FoundCode | null {
  const source = toAsciiDigits(text);
  const found =
    fromWebOtp(source) ?? (source.length <= MAX_LENGTH ? (wholeMessage(source) ?? codeByCues(source)) : null);
  // Offsets in `source` are offsets in `text`: each digit is one UTF-16 unit either way.
  return found && { code: found.value, start: found.start, end: found.end };
}

/** The one-time code of an SMS as the user would type it, or null when there is none or we are unsure. */
export function extractCode(text: string): string | null {
  return findCode(text)?.code ?? null;
}

/**
 * Where to highlight `code` in `text`: the run the extractor reads it from ("123 456" for "123456"), if it reads
 * that same code. A code stored by an older extractor that this one reads differently, or not at all, is not
 * highlighted: better no highlight than one on the wrong digits.
 */
export function highlightOf(text: string, code: string | null): CodeSpan | null {
  if (!code) return null;
  const found = findCode(text);
  return found?.code === code ? { start: found.start, end: found.end } : null;
}
