import { describe, expect, it } from "vitest";
import { findCode, highlightOf } from "./otp";
import { expectCode } from "./otp.fixture";

// ⟦ ⟧ mark the characters the page must highlight (otp.fixture.ts). Other languages: otp-languages.test.ts;
// messages without a code: otp-negatives.test.ts.

describe("findCode — English, as services write it", () => {
  it.each([
    ["Google", "G-⟦482193⟧ is your Google verification code.", "482193"],
    ["Google (digits first)", "Your Google verification code is ⟦739104⟧", "739104"],
    [
      "Google Voice",
      "Your Google Voice verification code is ⟦482193⟧. Don't share this code with anyone; our employees will never ask for the code.",
      "482193",
    ],
    [
      "WhatsApp: split, and the link's digits are not the highlight",
      "Your WhatsApp code: ⟦123-456⟧\nYou can also tap on this link to verify your phone: v.whatsapp.com/123456\nDon't share this code with others",
      "123456",
    ],
    ["WhatsApp (short)", "WhatsApp code ⟦318-207⟧", "318207"],
    ["WhatsApp Business", "<#> Your WhatsApp Business code: ⟦902-114⟧\n\n4sgLq1p5sV6", "902114"],
    [
      "Telegram",
      "Telegram code: ⟦51234⟧\n\nYou can also tap on this link to log in:\nhttps://t.me/login/51234",
      "51234",
    ],
    [
      "Telegram (warning)",
      "Login code: ⟦80215⟧. Do not give this code to anyone, even if they say they are from Telegram!\n\nThis code can be used to log in to your Telegram account. We never ask it for anything else.",
      "80215",
    ],
    ["Signal", "Your Signal code: ⟦482193⟧\nDo not share this code\n\ndoDFAq6uN6k", "482193"],
    ["Facebook prefix", "FB-⟦27563⟧ is your Facebook confirmation code", "27563"],
    ["Facebook", "⟦12345⟧ is your Facebook confirmation code", "12345"],
    ["Instagram split", "Use ⟦123 456⟧ to verify your Instagram account.", "123456"],
    ["Instagram", "⟦482 019⟧ is your Instagram code. Don't share it.", "482019"],
    ["Snapchat", "Snapchat code: ⟦482193⟧. Happy Snapping!", "482193"],
    [
      "TikTok",
      "[TikTok] ⟦482193⟧ is your verification code, valid for 5 minutes. To keep your account safe, never forward this code.",
      "482193",
    ],
    ["X", "Your X confirmation code is ⟦kq4d7hz2⟧. Please enter it in the text field.", "kq4d7hz2"],
    ["LinkedIn", "Your LinkedIn verification code is ⟦482193⟧.", "482193"],
    ["Discord", "Your Discord security code is: ⟦602714⟧", "602714"],
    ["Discord WebOTP", "Your login code: ⟦4821⟧\n\n@discord.com #4821", "4821"],
    ["Tinder", "Your Tinder code is ⟦482193⟧\n\n@tinder.com #482193", "482193"],
    ["Microsoft", "Use ⟦1234567⟧ as Microsoft account security code", "1234567"],
    ["Microsoft short", "Microsoft account security code: ⟦7741⟧", "7741"],
    ["Apple", "Your Apple ID Code is: ⟦123456⟧. Don't share it with anyone.", "123456"],
    [
      "Apple WebOTP: the sentence's code is highlighted, not the line for the browser",
      "Your Apple Account code is: ⟦482193⟧. Don't share it with anyone.\n\n@apple.com #482193 %apple.com",
      "482193",
    ],
    ["WebOTP", "Your Example code is ⟦123456⟧.\n\n@example.com #123456", "123456"],
    ["WebOTP alone names the code", "Sign in to Example\n@www.example.com #⟦AB12CD⟧ @embed.example.org", "AB12CD"],
    ["Amazon", "⟦123456⟧ is your Amazon OTP. Do not share it with anyone.", "123456"],
    ["Amazon (one-time password)", "Your Amazon one-time password is ⟦940215⟧. Valid for 10 minutes.", "940215"],
    ["Uber", "Your Uber code: ⟦4821⟧. Never share this code. Reply STOP ABC to 81010.", "4821"],
    ["Lyft", "Your Lyft code is ⟦482193⟧", "482193"],
    ["Grab", "<#> Your Grab code is ⟦4821⟧. Never share this code with anyone. FA+9qCX9VSu", "4821"],
    ["Bolt", "Your Bolt code is ⟦4821⟧\nbmlfl3QfXTg", "4821"],
    ["DoorDash", "DoorDash: Your verification code is ⟦482193⟧. Reply HELP for help, STOP to unsubscribe.", "482193"],
    ["Airbnb", "Your Airbnb verification code is: ⟦482193⟧. Don't share this code with anyone.", "482193"],
    ["Steam alnum", "Your Steam verification code: ⟦F7K2M⟧", "F7K2M"],
    ["Epic Games", "Your Epic Games security code is ⟦482193⟧", "482193"],
    ["Generic alnum", "Your verification code: ⟦AB12CD⟧", "AB12CD"],
    [
      "PayPal",
      "PayPal: Your security code is: ⟦482193⟧. Your code expires in 10 minutes. Please don't reply.",
      "482193",
    ],
    [
      "Venmo: the code is in the sentence after the one that names it",
      "Venmo here! Never share this code. Use ⟦482193⟧ to sign in. Msg&data rates may apply.",
      "482193",
    ],
    ["Wise", "Wise: ⟦482193⟧ is your code. Never share it.", "482193"],
    [
      "Coinbase",
      "Your Coinbase verification code is: ⟦4821593⟧. Don't share this code with anyone; our employees will never ask for the code.",
      "4821593",
    ],
    [
      "Binance",
      "[Binance] Your verification code is ⟦482193⟧. Please do not share your code with anyone. Binance will never ask for it.",
      "482193",
    ],
    ["Careem SMS Retriever hash", "<#> ⟦4821⟧ is your Careem verification code. Do not share it. FA+9qCX9VSu", "4821"],
    ["Twilio Verify", "Your Twilio verification code is: ⟦482193⟧", "482193"],
    ["OpenAI", "Your OpenAI verification code is: ⟦482193⟧", "482193"],
    [
      "Chase 8 digits",
      "Chase: Your one-time code is ⟦48219143⟧. Don't share it. We'll never call to ask for it.",
      "48219143",
    ],
    [
      "Wells Fargo with a phone",
      "Wells Fargo: Your access code is ⟦482193⟧. Expires in 30 min. We'll NEVER call to ask for it. Questions? Call 1-800-869-3557",
      "482193",
    ],
    [
      "American Express with the card",
      "American Express: Your one-time verification code is ⟦482193⟧. Card ending 21003. Never share it.",
      "482193",
    ],
    [
      "Lloyds with an amount",
      "Lloyds: Your one time passcode is ⟦48219317⟧ for a payment of £25.00 to AMAZON. Never share this code, not even with Lloyds staff.",
      "48219317",
    ],
    [
      "HDFC: amount, card and time",
      "OTP is ⟦482913⟧ for txn of INR 2,500.00 at AMAZON on card ending 1234. Valid till 10:45. Do not share OTP for security reasons. -HDFC Bank",
      "482913",
    ],
    [
      "SBI Card: the code far after its cue, past the card",
      "Dear Customer, OTP for your transaction of Rs.1,250.00 at FLIPKART on SBI Card ending 4821 is ⟦482913⟧. Valid for 10 mins. Do not share. -SBI Card",
      "482913",
    ],
    [
      "Axis Bank",
      "⟦482913⟧ is OTP for txn of INR 2,500.00 on Axis Bank Card XX4821 at AMAZON. OTP valid for 5 mins. Do not share it with anyone.",
      "482913",
    ],
    ["Indian rupees", "Rs. 2500 will be debited. Your OTP is ⟦551902⟧. Do not share.", "551902"],
    ["phone number in message", "Your code is ⟦4821⟧. Questions? Call +1 415 555 0199", "4821"],
    ["URL digits ignored", "Glovo code ⟦7720⟧. Manage your account at https://glovoapp.com/u/99123", "7720"],
    ["year that is really a code", "Your code is ⟦2024⟧", "2024"],
    ["PIN", "Your Revolut PIN reset code is ⟦8830⟧", "8830"],
    ["plain", "Your code is ⟦8841⟧", "8841"],
    ["leading zero kept", "Your Netflix verification code is ⟦0412⟧. Not you? Visit netflix.com/security", "0412"],
    ["order number beside the code", "Your delivery code for order #48213 is ⟦7731⟧", "7731"],
    [
      "far from its cue but alone",
      "Verification for your new Binance account started from Chrome on Windows. If this was you, enter ⟦482193⟧",
      "482193",
    ],
  ])("%s", (_brand, marked, code) => {
    expectCode(marked, code);
  });
});

describe("findCode — the kinds of message the held-out set found wrong", () => {
  it.each([
    // A number on the line before the code's cue is not its code.
    ["a card on the line before", "Card 4821\nCode: ⟦559302⟧", "559302"],
    ["any number on the line before", "Store 4821\nCode: ⟦559302⟧", "559302"],
    ["a greeting with a number before", "Hello 7731, welcome back!\nYour login code: ⟦4821⟧", "4821"],
    ["an account on an earlier line", "Account 12345\n\nVerification code: ⟦559302⟧", "559302"],
    ["a number in the sentence before", "Thanks for visiting store 4821. Your code is ⟦559302⟧", "559302"],
    // …but a line that is only the code names it for the line after.
    [
      "the code alone on the line before its cue",
      "⟦482193⟧\n\nThis is your code for Example. Do not share it.",
      "482193",
    ],
    // The whole message is the code.
    ["only the code", "⟦628873⟧", "628873"],
    ["only the code, with blank lines", "\n ⟦628873⟧ \n", "628873"],
    ["only a split code", "⟦628 873⟧", "628873"],
    ["only the code, Google's prefix", "G-⟦628873⟧", "628873"],
    ["only the code, with SMS Retriever marks", "<#> ⟦628873⟧\nFA+9qCX9VSu", "628873"],
    ["only the code, Arabic-Indic digits", "⟦٦٢٨٨٧٣⟧", "628873"],
    // Glued to the next word: the space between two sentences was lost.
    [
      "glued to the next sentence",
      "Your verification code is ⟦244333⟧Getting started? Visit example.com/help",
      "244333",
    ],
    ["glued, Cyrillic", "Код: ⟦4821⟧Никому не сообщайте", "4821"],
    // Cues: "Authentication", "manually enter".
    ["Authentication as the cue", "Mobile Authentication: ⟦482193⟧", "482193"],
    ["authentication after the code", "Use ⟦482193⟧ for authentication on Example. Valid 5 min.", "482193"],
    [
      "manually enter",
      "Tap https://slack.com/t/x to sign in to Slack, or manually enter ⟦482193⟧ in the app.",
      "482193",
    ],
    ["manually enter, letters", "To finish signing in, manually enter: ⟦xP2y4jCA⟧", "xP2y4jCA"],
    // Letters and digits in any case, when a cue introduces them.
    ["mixed case", "Your one-time passcode is ⟦xP2y4jCA⟧", "xP2y4jCA"],
    // Was "lower-case alnum is not trusted" → null: a code a cue introduces, with letters and digits, is a code.
    ["lower case", "your code is ⟦ab12cd⟧", "ab12cd"],
    ["Steam Guard, letters only", "Your Steam Guard code: ⟦FKQRT⟧", "FKQRT"],
    // The highlight is where the code was read, not the first place its digits appear.
    ["the code's digits inside an order number", "Order 1234567: your code is ⟦4567⟧", "4567"],
    ["the code's digits inside an earlier number", "Your order 14821 ships soon. Code: ⟦4821⟧", "4821"],
    ["the code's digits inside a phone number", "【顺丰速运】客服4001234567，验证码⟦123456⟧，5分钟内有效", "123456"],
    // A code written split or in other digits is highlighted as written (it was not highlighted at all).
    ["full-width digits", "認証コード：⟦１２３４５６⟧", "123456"],
    ["Persian digits", "کد تایید شما: ⟦۴۸۲۱۹۳⟧", "482193"],
    ["a split code", "Your verification code is ⟦482-193⟧", "482193"],
  ])("%s", (_kind, marked, code) => {
    expectCode(marked, code);
  });
});

describe("findCode — split codes and other digits, highlighted as written", () => {
  it.each([
    // Split by a space: the highlight is the whole run, space included.
    ["space, code first", "⟦739 104⟧ is your Instagram code. Don't share it.", "739104"],
    ["space, with a phone number after", "Your Messenger code is ⟦482 913⟧. Questions? Call +1 415 555 0199", "482913"],
    ["space, Russian", "Код подтверждения: ⟦482 193⟧. Никому не сообщайте этот код", "482193"],
    ["space, Chinese", "【微信】验证码 ⟦482 193⟧，5分钟内有效，请勿泄露。", "482193"],
    ["space, WebOTP names it whole", "Your Example code is ⟦482 193⟧.\n\n@example.com #482193", "482193"],
    // Split by a hyphen.
    [
      "hyphen, the same digits in the link",
      "Your WhatsApp code: ⟦482-193⟧\nYou can also tap on this link to verify your phone: v.whatsapp.com/482193\nDon't share this code with others",
      "482193",
    ],
    ["hyphen, Portuguese", "Seu código do WhatsApp: ⟦482-193⟧\nNão compartilhe esse código", "482193"],
    ["hyphen, code first", "⟦602-714⟧ is your Viber activation code", "602714"],
    ["hyphen, Google's prefix is not highlighted", "G-⟦482-193⟧ is your Google verification code.", "482193"],
    // Arabic-Indic digits.
    ["Arabic-Indic", "أبشر: رمز التحقق: ⟦٤٨٢١⟧\nلا تشارك الرمز مع أحد", "4821"],
    ["Arabic-Indic, code first", "⟦٤٨٢١٩٣⟧ هو رمز التحقق الخاص بك في طلبات", "482193"],
    ["Arabic-Indic, amount after", "رمز التحقق ⟦٤٨٢١٣⟧ لعملية شراء بمبلغ ١٢٠ ريال من AMAZON. لا تشارك الرمز", "48213"],
    // Persian digits.
    ["Persian", "کد ورود شما به دیوار: ⟦۴۸۲۱۳⟧", "48213"],
    ["Persian, Snapp", "اسنپ: کد ورود شما ⟦۴۸۲۱⟧\nاین کد را در اختیار دیگران قرار ندهید", "4821"],
    ["Persian, card and amount", "بانک ملت\nکارت ۴۸۲۱\nرمز پویا: ⟦۵۵۹۳۰۲⟧\nمبلغ: ۱,۵۰۰,۰۰۰ ریال", "559302"],
    ["Persian, split", "کد تایید شما: ⟦۴۸۲ ۱۹۳⟧", "482193"],
    // Full-width digits.
    ["full-width, LINE", "【LINE】認証番号：⟦４８２１⟧ この番号を他人に教えないでください。", "4821"],
    ["full-width, Rakuten", "楽天: ワンタイムパスワード ⟦４８２１９３⟧ (有効期限１０分)", "482193"],
    ["full-width, Chinese", "【支付宝】验证码：⟦８３９２０１⟧，您正在进行身份验证，请勿泄露。", "839201"],
    // Devanagari digits.
    ["Devanagari", "आपका सत्यापन कोड ⟦७३१९०२⟧ है", "731902"],
    ["Devanagari, code first", "⟦४८२९१३⟧ आपका Paytm सत्यापन कोड है। इसे किसी के साथ साझा न करें।", "482913"],
    ["Devanagari, amount before", "प्रिय ग्राहक, ₹२,५००.०० के लेनदेन के लिए आपका OTP ⟦४८२९१३⟧ है। -SBI", "482913"],
  ])("%s", (_kind, marked, code) => {
    expectCode(marked, code);
  });
});

describe("highlightOf", () => {
  it("highlights the stored code where the extractor reads it", () => {
    const text = "Order 1234567: your code is 4567";
    expect(highlightOf(text, "4567")).toEqual({ start: 28, end: 32 });
  });

  it("highlights nothing when the stored code is not what the text is read as today", () => {
    // Stored by an older extractor, which took the card's digits.
    expect(highlightOf("Card 4821\nCode: 559302", "4821")).toBeNull();
    expect(highlightOf("Your parcel 7731 is out for delivery", "7731")).toBeNull();
  });

  it("highlights nothing without a code", () => {
    expect(highlightOf("Your code is 4821", null)).toBeNull();
  });

  it("highlights a split code or one in other digits as written, separator included", () => {
    expect(highlightOf("Your code: 123-456", "123456")).toEqual({ start: 11, end: 18 });
    expect(highlightOf("Your code: 123 456", "123456")).toEqual({ start: 11, end: 18 });
    expect(highlightOf("رمز التحقق: ١٢٣٤٥٦", "123456")).toEqual({ start: 12, end: 18 });
    expect(highlightOf("G-123456 is your Google verification code.", "123456")).toEqual({ start: 2, end: 8 });
  });
});

describe("findCode — bounds", () => {
  it("reads no code in a text longer than any SMS", () => {
    expect(findCode(`Your code is 4821. ${"Lorem ipsum dolor sit amet. ".repeat(80)}`)).toBeNull();
  });

  it("reads a long text quickly (no backtracking blow-up)", () => {
    const text = `${"1 2 3 4 5 6 7 8 9 ".repeat(50)}code ${"a-".repeat(400)}`.slice(0, 2000);
    const started = performance.now();
    findCode(text);
    expect(performance.now() - started).toBeLessThan(200);
  });
});
