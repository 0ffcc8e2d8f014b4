import { describe, expect, it } from "vitest";
import { extractCode, findCode, highlightOf } from "./otp";

describe("extractCode — English, brand formats", () => {
  it.each([
    ["Google", "G-482193 is your Google verification code.", "482193"],
    ["Google (digits first)", "Your Google verification code is 739104", "739104"],
    [
      "WhatsApp",
      "Your WhatsApp code: 123-456\nYou can also tap on this link to verify your phone: v.whatsapp.com/123456\nDon't share this code with others",
      "123456",
    ],
    ["WhatsApp (short)", "WhatsApp code 318-207", "318207"],
    ["WhatsApp Business", "<#> Your WhatsApp Business code: 902-114\n\n4sgLq1p5sV6", "902114"],
    ["Telegram", "Telegram code: 51234\n\nYou can also tap on this link to log in:\nhttps://t.me/login/51234", "51234"],
    [
      "Telegram (warning)",
      "Login code: 80215. Do not give this code to anyone, even if they say they are from Telegram!\n\nThis code can be used to log in to your Telegram account. We never ask it for anything else.",
      "80215",
    ],
    ["Facebook prefix", "FB-27563 is your Facebook confirmation code", "27563"],
    ["Facebook", "12345 is your Facebook confirmation code", "12345"],
    ["Instagram split", "Use 123 456 to verify your Instagram account.", "123456"],
    ["Instagram", "482 019 is your Instagram code. Don't share it.", "482019"],
    ["Microsoft", "Use 1234567 as Microsoft account security code", "1234567"],
    ["Microsoft short", "Microsoft account security code: 7741", "7741"],
    ["Apple", "Your Apple ID Code is: 123456. Don't share it with anyone.", "123456"],
    [
      "Apple WebOTP",
      "Your Apple Account code is: 482193. Don't share it with anyone.\n\n@apple.com #482193 %apple.com",
      "482193",
    ],
    ["WebOTP", "Your Example code is 123456.\n\n@example.com #123456", "123456"],
    ["WebOTP alnum + iframe", "Sign in to Example\n@www.example.com #AB12CD @embed.example.org", "AB12CD"],
    ["Amazon", "123456 is your Amazon OTP. Do not share it with anyone.", "123456"],
    ["Amazon (one-time password)", "Your Amazon one-time password is 940215. Valid for 10 minutes.", "940215"],
    ["Uber", "Your Uber code: 4821. Never share this code. Reply STOP ABC to 81010.", "4821"],
    [
      "TikTok",
      "[TikTok] 482193 is your verification code, valid for 5 minutes. To keep your account safe, never forward this code.",
      "482193",
    ],
    ["Discord", "Your Discord security code is: 602714", "602714"],
    ["Steam alnum", "Your Steam verification code: F7K2M", "F7K2M"],
    ["Generic alnum", "Your verification code: AB12CD", "AB12CD"],
    ["PayPal", "PayPal: Your security code is: 482193. Your code expires in 10 minutes. Please don't reply.", "482193"],
    [
      "Binance",
      "[Binance] Your verification code is 482193. Please do not share your code with anyone. Binance will never ask for it.",
      "482193",
    ],
    ["Careem SMS Retriever hash", "<#> 4821 is your Careem verification code. Do not share it. FA+9qCX9VSu", "4821"],
    [
      "Chase 8 digits",
      "Chase: Your one-time code is 48219143. Don't share it. We'll never call to ask for it.",
      "48219143",
    ],
    [
      "Bank OTP with amount, card and time",
      "OTP is 482913 for txn of INR 2,500.00 at AMAZON on card ending 1234. Valid till 10:45. Do not share OTP for security reasons. -HDFC Bank",
      "482913",
    ],
    ["Indian rupees", "Rs. 2500 will be debited. Your OTP is 551902. Do not share.", "551902"],
    ["phone number in message", "Your code is 4821. Questions? Call +1 415 555 0199", "4821"],
    ["URL digits ignored", "Glovo code 7720. Manage your account at https://glovoapp.com/u/99123", "7720"],
    ["year that is really a code", "Your code is 2024", "2024"],
    ["PIN", "Your Revolut PIN reset code is 8830", "8830"],
    ["plain", "Your code is 8841", "8841"],
    ["leading zero kept", "Your Netflix verification code is 0412. Not you? Visit netflix.com/security", "0412"],
    ["order number beside the code", "Your delivery code for order #48213 is 7731", "7731"],
    ["Discord WebOTP", "Your login code: 4821\n\n@discord.com #4821", "4821"],
    [
      "far from keyword but alone",
      "Verification for your new Binance account started from Chrome on Windows. If this was you, enter 482193",
      "482193",
    ],
  ])("%s", (_brand, text, expected) => {
    expect(extractCode(text)).toBe(expected);
  });
});

describe("extractCode — other languages", () => {
  it.each([
    ["ru Yandex", "Код подтверждения: 4821. Никому не говорите код, даже сотруднику Яндекса", "4821"],
    ["ru", "Ваш код 123456", "123456"],
    ["ru VK", "VK: 482193 — код для входа. Не сообщайте его никому", "482193"],
    [
      "ru bank with amount",
      "Оплата 1 500 руб. в магазине OZON. Код подтверждения: 730251. Никому не сообщайте",
      "730251",
    ],
    ["ru Sber with card", "Никому не сообщайте код! Код: 48213. Перевод 1 500р. на карту *4821 Иван И.", "48213"],
    [
      "ru VTB with phone and amount",
      "ВТБ: код 4821 для подтверждения перевода 5 000 ₽ на номер +7 999 123-45-67",
      "4821",
    ],
    ["ru Gosuslugi", "482193 — ваш код для входа в Госуслуги", "482193"],
    ["uk", "Ваш код підтвердження: 739201", "739201"],
    ["kk Kaspi", "Код для входа в Kaspi.kz: 4821. Никому не сообщайте", "4821"],
    ["ar", "رمز التحقق الخاص بك هو 5821", "5821"],
    ["ar Arabic-Indic digits", "رمز التحقق الخاص بك في كريم هو ٤٨٢١", "4821"],
    ["ar Careem", "لا تشارك هذا الرمز مع أي شخص. رمز Careem الخاص بك: 690214", "690214"],
    ["fa Persian digits", "کد تایید شما: ۴۸۲۱۹۳", "482193"],
    ["zh WeChat", "【微信】您的验证码是 839201，5分钟内有效。", "839201"],
    ["zh Alipay", "【支付宝】验证码：839201，您正在进行身份验证，请勿泄露。", "839201"],
    ["zh no space", "您的验证码是839201，请于5分钟内填写。如非本人操作，请忽略本短信。", "839201"],
    ["zh-TW", "【LINE】您的驗證碼為 5921", "5921"],
    ["ja", "【LINE】認証番号：4821 この番号を他人に教えないでください。", "4821"],
    ["ko Kakao", "[카카오] 인증번호 [482193]를 입력해 주세요.", "482193"],
    ["es Uber", "Tu código de verificación de Uber es 4821", "4821"],
    ["es", "Tu código de WhatsApp: 563-201. No compartas este código con nadie.", "563201"],
    ["pt Nubank", "Seu código do Nubank é 482193. Não compartilhe com ninguém.", "482193"],
    ["pt iFood", "O seu código de confirmação iFood: 4821", "4821"],
    ["fr", "Votre code de vérification Instagram est 482 193", "482193"],
    ["fr (mot de passe)", "Votre mot de passe à usage unique est 602281", "602281"],
    ["de", "Dein Bestätigungscode lautet 482193", "482193"],
    ["de alnum", "Ihr Sicherheitscode lautet: X7K9Q2", "X7K9Q2"],
    ["tr", "Doğrulama kodunuz: 482193. Bu kodu kimseyle paylaşmayın.", "482193"],
    ["tr şifre", "Tek kullanımlık şifreniz 482193'dür. Trendyol", "482193"],
    ["hi OTP", "आपका OTP 482913 है। इसे किसी के साथ साझा न करें।", "482913"],
    ["hi कोड", "आपका सत्यापन कोड 731902 है", "731902"],
    ["id Gojek", "Kode verifikasi Gojek kamu: 4821. JANGAN berikan kode ini ke siapa pun", "4821"],
    ["uz Latin", "Tasdiqlash kodi: 482193. Kodni hech kimga bermang.", "482193"],
    ["uz Cyrillic", "Тасдиқлаш коди: 502118. Уни ҳеч кимга берманг", "502118"],
    ["vi", "Mã xác thực Zalo của bạn là 482193", "482193"],
    ["pl", "Twój kod weryfikacyjny Allegro: 4821", "4821"],
    ["it", "Il tuo codice di verifica è 771203", "771203"],
  ])("%s", (_lang, text, expected) => {
    expect(extractCode(text)).toBe(expected);
  });
});

describe("extractCode — messages without a code", () => {
  it.each([
    ["parcel", "Your parcel is on its way"],
    ["chat", "Hi, are we still meeting?"],
    ["chat with number", "Hi, are we still meeting at 4821 Main St?"],
    ["copyright year", "© 2025 Google LLC, 1600 Amphitheatre Parkway"],
    ["new year", "Happy New Year 2026! Thanks for being with us."],
    ["code of conduct + year", "Serving you since 1999. Read our code of conduct in 2026 at example.com/coc"],
    ["order number", "Order #48213 shipped. Track it at https://shop.example.com/t/99812"],
    ["amazon order", "Your Amazon order 112-3456789-1234567 has shipped."],
    ["booking ref + code word", "Booking ref 48213 confirmed. Show this code at check-in."],
    ["phone", "Call us at +1 415 555 0199"],
    ["phone without plus", "Call me back on 998901234567"],
    ["price", "Your payment of $1,299.00 was received"],
    ["ru amounts", "Списано 1 500 руб. Баланс: 12 340,50 руб."],
    ["dates and times", "Meeting moved to 12/05/2026 at 10:45"],
    ["rupees", "Rs. 2500 credited to your account"],
    ["promo code", "Use promo code SAVE2024 for 20% off your next ride"],
    ["password changed", "Your password was changed on 12/05/2026 at 10:45. Not you? Call 0800 123 4567"],
    ["login alert", "Telegram: we detected a login from a new device on 12.05.2026 from 192.168.1.15"],
    ["expired", "Your code has expired. Please request a new one."],
    ["support line", "Didn't request a code? Call +1 415 555 0199"],
    ["card ending", "Your PIN was changed successfully. Card ending 4821."],
    ["verify link only", "Verify your email at https://example.com/verify?t=482193"],
    ["zh order", "您的订单 20260512 已发货"],
    ["tr order", "Sipariş numaranız 48213 kargoya verildi"],
    ["de order", "Ihre Bestellung Nr. 48213 wurde versendet"],
    ["ru order", "Ваш заказ №48213 доставлен в пункт выдачи"],
    ["plates", "Your Uber is arriving in 3 minutes. Driver: Ahmed, Toyota Camry 01A123BC"],
    ["alnum not introduced", "Your verification was approved. Ticket TX9K2M closed."],
    [
      "keyword far away, several numbers",
      "Please verify your identity in the app before visiting. Store hours changed: open from 0900 to 2100 on weekdays.",
    ],
    ["too long to be a code", "Your code is 12345678901"],
    ["lower-case alnum is not trusted", "your code is ab12cd"],
    ["empty", ""],
    ["longer than any SMS", `Your code is 4821. ${"Lorem ipsum dolor sit amet. ".repeat(80)}`],
  ])("%s → null", (_name, text) => {
    expect(extractCode(text)).toBeNull();
  });
});

describe("findCode — where the code is written", () => {
  it.each([
    ["the code, not the same digits inside an order number", "Order 1234567: your code is 4567", 28],
    ["the code, not the same digits inside an earlier number", "Your order 14821 ships soon. Code: 4821", 35],
    [
      "the code, not the same digits inside a phone number",
      "【顺丰速运】客服4001234567，验证码123456，5分钟内有效",
      22,
    ],
    ["the digits after Google's prefix", "G-482193 is your Google verification code.", 2],
    ["the WebOTP line's code", "Sign in to Example\n@www.example.com #AB12CD @embed.example.org", 37],
  ])("%s", (_name, text, start) => {
    const found = findCode(text)!;
    expect(found.span).toEqual({ start, end: start + found.code.length });
    expect(text.slice(found.span!.start, found.span!.end)).toBe(found.code);
  });

  it.each([
    ["split with a space", "Use 123 456 to verify your Instagram account.", "123456"],
    ["split with a dash, the same digits in a link", "Your WhatsApp code: 123-456\nv.whatsapp.com/123456", "123456"],
    ["Arabic-Indic digits", "رمز التحقق الخاص بك في كريم هو ٤٨٢١", "4821"],
    ["full-width digits", "認証コード：１２３４５６", "123456"],
  ])("no span where the code is not written as typed: %s", (_name, text, code) => {
    expect(findCode(text)).toEqual({ code, span: null });
  });
});

describe("highlightOf", () => {
  it("highlights the stored code where the extractor reads it", () => {
    expect(highlightOf("Order 1234567: your code is 4567", "4567")).toEqual({ start: 28, end: 32 });
  });

  it("highlights nothing when the stored code is not what the text is read as today", () => {
    expect(highlightOf("Your parcel 7731 is out for delivery", "7731")).toBeNull();
    expect(highlightOf("Your code is 4821", "1234")).toBeNull();
  });

  it("highlights nothing without a code, or where the code is not written as typed", () => {
    expect(highlightOf("Your code is 4821", null)).toBeNull();
    expect(highlightOf("Your code: 123-456", "123456")).toBeNull();
  });
});
