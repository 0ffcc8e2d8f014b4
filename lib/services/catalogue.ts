/**
 * The services that send most sign-up and login codes, and how to recognise their SMS. Data only: to add a
 * service, add an entry (lib/services/service.ts reads it; service.test.ts shows what each field matches).
 *
 * - `slug`: the service's URL name (/services/{slug}, `service=` in the API): lower-case ASCII letters, digits and
 *   dashes. Never renamed once published: stored messages carry it.
 * - `name`: how pages write it.
 * - `senders`: alphanumeric sender ids it sends from. Compared case-insensitively, ignoring spaces, dots, dashes
 *   and underscores ("G-Verify" = "GVERIFY"), after an Indian DLT prefix is taken off ("VM-GOOGLE" → "GOOGLE").
 * - `shortCodes`: short codes only this service sends from, where that is well known (mostly US). A text cue wins
 *   over a short code: a short code may be shared (Facebook's 32665 sends Instagram's codes too).
 * - `mentions`: how its SMS name it, for senders that are plain numbers ("<#> Your WhatsApp code: 123-456",
 *   "G-123456 is your Google verification code"). Default: its `name` and `senders` as whole words, ignoring case.
 *   Set it where a name is also a common word (LINE, Signal, Steam, Bolt).
 */
export type ServiceEntry = {
  slug: string;
  name: string;
  senders: string[];
  shortCodes?: string[];
  mentions?: RegExp[];
};

export const SERVICES: readonly ServiceEntry[] = [
  // Messengers
  { slug: "whatsapp", name: "WhatsApp", senders: ["WhatsApp", "WhatsApp Business", "WHTSAP"] },
  { slug: "telegram", name: "Telegram", senders: ["Telegram", "TelegramCode"] },
  { slug: "signal", name: "Signal", senders: ["Signal", "SignalApp"], mentions: [/\bSignal\b/, /\bSIGNAL\b/] },
  { slug: "viber", name: "Viber", senders: ["Viber"] },
  { slug: "wechat", name: "WeChat", senders: ["WeChat", "Weixin"], mentions: [/\bWeChat\b/i, /微信/] },
  { slug: "line", name: "LINE", senders: ["LINE", "LINECorp"], mentions: [/\bLINE\b/] },
  {
    slug: "kakaotalk",
    name: "KakaoTalk",
    senders: ["KakaoTalk", "Kakao"],
    mentions: [/\bKakao(?:Talk)?\b/i, /카카오/],
  },
  { slug: "discord", name: "Discord", senders: ["Discord"] },
  { slug: "snapchat", name: "Snapchat", senders: ["Snapchat", "Snap"], mentions: [/\bSnapchat\b/i] },
  { slug: "imo", name: "imo", senders: ["imo", "imo.im"], mentions: [/\bimo\b/] },
  { slug: "zalo", name: "Zalo", senders: ["Zalo"] },
  { slug: "skype", name: "Skype", senders: ["Skype"] },

  // Platforms and accounts
  {
    slug: "google",
    name: "Google",
    senders: ["Google", "G-Verify", "GoogleVerify"],
    shortCodes: ["22000", "466453"],
    mentions: [/\bGoogle\b/i, /(?<![\p{L}\p{N}])G-\d{4,8}\b/u],
  },
  { slug: "microsoft", name: "Microsoft", senders: ["Microsoft", "MSFT", "MSFTIN", "Outlook", "Xbox"] },
  { slug: "apple", name: "Apple", senders: ["Apple", "Apple ID"] },
  {
    slug: "facebook",
    name: "Facebook",
    senders: ["Facebook", "FB", "FBOOK", "Meta"],
    shortCodes: ["32665"],
    mentions: [/\bFacebook\b/i, /\bFB-\d{4,8}\b/, /\bMeta\b/],
  },
  { slug: "instagram", name: "Instagram", senders: ["Instagram", "INSTGM"] },
  { slug: "tiktok", name: "TikTok", senders: ["TikTok", "Douyin"] },
  {
    slug: "x",
    name: "X (Twitter)",
    senders: ["Twitter", "X", "XCorp"],
    shortCodes: ["40404"],
    mentions: [
      /\bTwitter\b/i,
      /\byour X (?:verification |confirmation |login )?code\b/i,
      /\bX (?:verification|confirmation) code\b/,
    ],
  },
  { slug: "yahoo", name: "Yahoo", senders: ["Yahoo"] },
  { slug: "linkedin", name: "LinkedIn", senders: ["LinkedIn"] },
  { slug: "reddit", name: "Reddit", senders: ["Reddit"] },
  { slug: "pinterest", name: "Pinterest", senders: ["Pinterest"] },
  { slug: "twitch", name: "Twitch", senders: ["Twitch"] },
  { slug: "openai", name: "OpenAI", senders: ["OpenAI", "ChatGPT"] },
  { slug: "anthropic", name: "Anthropic", senders: ["Anthropic", "Claude"], mentions: [/\bAnthropic\b/i] },
  { slug: "proton", name: "Proton", senders: ["Proton", "ProtonMail"], mentions: [/\bProton(?:Mail)?\b/] },
  { slug: "truecaller", name: "Truecaller", senders: ["Truecaller"] },
  { slug: "tencent", name: "Tencent QQ", senders: ["Tencent", "QQ"], mentions: [/\bTencent\b/i, /腾讯/] },
  { slug: "naver", name: "Naver", senders: ["Naver"], mentions: [/\bNaver\b/i, /네이버/] },

  // Russia and neighbours
  {
    slug: "yandex",
    name: "Yandex",
    senders: ["Yandex", "Yandex.ID", "YandexGo"],
    mentions: [/\bYandex\b/i, /Яндекс/i],
  },
  {
    slug: "vk",
    name: "VK",
    senders: ["VK", "VKontakte", "VK.com", "VK ID"],
    mentions: [/\bVK\b/, /\bVKontakte\b/i, /ВКонтакте/i],
  },
  { slug: "mail-ru", name: "Mail.ru", senders: ["Mail.ru"], mentions: [/\bMail\.ru\b/i] },
  { slug: "ozon", name: "Ozon", senders: ["Ozon", "OZON.ru"] },
  { slug: "wildberries", name: "Wildberries", senders: ["Wildberries", "WB"], mentions: [/\bWildberries\b/i] },
  { slug: "avito", name: "Avito", senders: ["Avito"], mentions: [/\bAvito\b/i, /Авито/i] },

  // Shops, travel, rides, food
  { slug: "amazon", name: "Amazon", senders: ["Amazon", "AMAZNS"], shortCodes: ["262966"] },
  { slug: "aliexpress", name: "AliExpress", senders: ["AliExpress"] },
  { slug: "alipay", name: "Alipay", senders: ["Alipay", "支付宝"], mentions: [/\bAlipay\b/i, /支付宝/] },
  { slug: "shopee", name: "Shopee", senders: ["Shopee"] },
  { slug: "lazada", name: "Lazada", senders: ["Lazada"] },
  { slug: "flipkart", name: "Flipkart", senders: ["Flipkart", "FLPKRT"] },
  { slug: "uber", name: "Uber", senders: ["Uber"] },
  { slug: "lyft", name: "Lyft", senders: ["Lyft"] },
  { slug: "bolt", name: "Bolt", senders: ["Bolt", "Bolt.eu"], mentions: [/\bBolt\b/] },
  { slug: "grab", name: "Grab", senders: ["Grab"], mentions: [/\bGrab\b/] },
  { slug: "gojek", name: "Gojek", senders: ["Gojek"] },
  { slug: "careem", name: "Careem", senders: ["Careem"] },
  { slug: "airbnb", name: "Airbnb", senders: ["Airbnb"] },
  { slug: "booking", name: "Booking.com", senders: ["Booking.com", "Booking"], mentions: [/\bBooking\.com\b/i] },
  { slug: "doordash", name: "DoorDash", senders: ["DoorDash"] },
  { slug: "glovo", name: "Glovo", senders: ["Glovo"] },
  { slug: "swiggy", name: "Swiggy", senders: ["Swiggy"] },
  { slug: "zomato", name: "Zomato", senders: ["Zomato"] },

  // Entertainment, games, dating
  { slug: "netflix", name: "Netflix", senders: ["Netflix"] },
  { slug: "steam", name: "Steam", senders: ["Steam", "SteamGuard"], mentions: [/\bSteam\b/] },
  { slug: "epic-games", name: "Epic Games", senders: ["Epic Games"], mentions: [/\bEpic Games\b/i] },
  { slug: "roblox", name: "Roblox", senders: ["Roblox"] },
  { slug: "tinder", name: "Tinder", senders: ["Tinder"] },
  { slug: "bumble", name: "Bumble", senders: ["Bumble"] },
  { slug: "hinge", name: "Hinge", senders: ["Hinge"], mentions: [/\bHinge\b/] },
  { slug: "badoo", name: "Badoo", senders: ["Badoo"] },

  // Money
  { slug: "paypal", name: "PayPal", senders: ["PayPal"], shortCodes: ["729725"] },
  { slug: "venmo", name: "Venmo", senders: ["Venmo"], shortCodes: ["86753"] },
  { slug: "cash-app", name: "Cash App", senders: ["Cash App"], mentions: [/\bCash ?App\b/i] },
  { slug: "binance", name: "Binance", senders: ["Binance"] },
  { slug: "coinbase", name: "Coinbase", senders: ["Coinbase"] },
  { slug: "revolut", name: "Revolut", senders: ["Revolut"] },
  { slug: "wise", name: "Wise", senders: ["Wise", "TransferWise"], mentions: [/\bWise\b/, /\bTransferWise\b/i] },
  { slug: "paytm", name: "Paytm", senders: ["Paytm", "PAYTMB", "iPaytm"] },
  { slug: "phonepe", name: "PhonePe", senders: ["PhonePe", "PHONPE"] },
];

/**
 * Alphanumeric sender ids that many services share, through SMS aggregators ("Verify", "INFO", "SMS"): the text
 * says which service sent it ("[TikTok] 123456 is your verification code"), like a number's. Without such a cue
 * such a sender is its own service, as any other name is. Compared like `senders`.
 */
export const SHARED_SENDERS: readonly string[] = [
  "Verify",
  "Verification",
  "VerifyCode",
  "Code",
  "SMSCode",
  "OTP",
  "INFO",
  "InfoSMS",
  "SMSInfo",
  "SMS",
  "Notice",
  "Notify",
  "Alert",
  "Auth",
  "Security",
];
