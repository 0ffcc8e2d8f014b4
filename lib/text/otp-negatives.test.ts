import { describe, it } from "vitest";
import { expectCode } from "./otp.fixture";

// Messages without a one-time code, many with numbers and code words in them. Each must yield no code: a wrong
// code offered for copy is worse than none.

type Case = [name: string, text: string];

const NO_CODE: Record<string, Case[]> = {
  "nothing like a code": [
    ["parcel", "Your parcel is on its way"],
    ["chat", "Hi, are we still meeting?"],
    ["chat with a number", "Hi, are we still meeting at 4821 Main St?"],
    ["empty", ""],
    [
      "sign-in alert",
      "Your Apple ID was used to sign in to iCloud on an iPhone 15 Pro near Tashkent on 12/05/2026 10:45.",
    ],
  ],
  amounts: [
    ["price", "Your payment of $1,299.00 was received"],
    ["Russian balance", "Списано 1 500 руб. Баланс: 12 340,50 руб."],
    ["rupees", "Rs. 2500 credited to your account"],
    ["rupees and account", "₹2,500 debited from A/c XX4821 on 12-05-26. Avl Bal: ₹12,340.50"],
    ["pesos", "Pago recibido: $4,500 MXN. Gracias por tu compra."],
    ["reais and card", "Compra aprovada: R$ 1.250,00 no cartão final 4821, 12/05 às 10:45."],
    ["rupiah and account", "Transfer Rp 1.500.000 ke rekening 1234567890 berhasil."],
    ["lira", "Hesabınıza 1.500,00 TL yatırıldı. Bakiye: 12.340,50 TL"],
    ["so'm", "Kartangizga 150 000 so'm o'tkazildi. Balans: 1 250 000 so'm"],
    ["yuan, card and time", "您尾号4821的储蓄卡5月12日10:45支出人民币500.00元，余额12340.50元。【工商银行】"],
    ["riyal and card", "تم خصم 250.00 ريال من بطاقتك المنتهية بـ 4821"],
    ["rial, card and balance", "برداشت: 1,500,000 ریال\nکارت: 4821\nمانده: 12,340,000"],
    ["dong", "Tai khoan 0123456789 +5,000,000VND luc 12/05/2026 10:45. So du 15,000,000VND"],
    ["won, card and time", "[Web발신]\n신한카드(4821)승인 홍길동 12,500원 일시불 05/12 10:45 스타벅스"],
  ],
  "dates, times, durations and years": [
    ["dates and times", "Meeting moved to 12/05/2026 at 10:45"],
    ["Russian appointment", "Ваша запись к врачу: 12.05.2026 в 14:30, кабинет 215"],
    ["Spanish appointment", "Su cita es el 2026-05-12 a las 10:45"],
    ["Chinese date", "2026年5月12日10:45 您的快递已签收"],
    ["copyright year", "© 2025 Google LLC, 1600 Amphitheatre Parkway"],
    ["new year", "Happy New Year 2026! Thanks for being with us."],
    ["code of conduct and a year", "Serving you since 1999. Read our code of conduct in 2026 at example.com/coc"],
    ["valid for 10 minutes", "Your verification code will expire in 10 minutes."],
    ["a long validity", "Your code expires in 1440 minutes. Request one in the app."],
    ["Persian date", "رمز عبور شما در تاریخ 1403/02/23 تغییر کرد"],
  ],
  "orders, parcels, bookings": [
    ["order number", "Order #48213 shipped. Track it at https://shop.example.com/t/99812"],
    ["Amazon order", "Your Amazon order 112-3456789-1234567 has shipped."],
    ["booking reference and a code word", "Booking ref 48213 confirmed. Show this code at check-in."],
    ["Chinese order", "您的订单 20260512 已发货"],
    ["Turkish order", "Sipariş numaranız 48213 kargoya verildi"],
    ["Turkish order, confirmed", "Siparişiniz 48213 numarasıyla alındı. Onay için teşekkürler."],
    ["German order", "Ihre Bestellung Nr. 48213 wurde versendet"],
    ["German confirmation", "Bestätigung: Ihre Bestellung 48213 ist eingegangen"],
    ["German parcel", "Ihre Sendung 00340434161094042557 wird heute zugestellt."],
    ["French parcel", "Votre colis 6A12345678901 est disponible en point relais."],
    ["Russian order", "Ваш заказ №48213 доставлен в пункт выдачи"],
    ["Russian order code", "Код заказа: 48213"],
    ["Portuguese order", "Pedido 48213 confirmado. Total: R$ 59,90"],
    ["Indonesian order", "Pesanan 4821 kamu sedang dikirim oleh kurir."],
    ["Hindi order", "आपका ऑर्डर 48213 भेज दिया गया है"],
    ["Vietnamese order code", "Mã đơn hàng 48213 đã được giao thành công"],
    ["Persian tracking code", "کد پیگیری: 123456\nپرداخت شما با موفقیت انجام شد"],
    ["hotel room", "Your booking confirmation for Hotel Astoria, room 4821, 12/05–14/05."],
    ["street address", "Your appointment at 4821 Main St is confirmed."],
    ["plates", "Your Uber is arriving in 3 minutes. Driver: Ahmed, Toyota Camry 01A123BC"],
    ["ticket with letters", "Your verification was approved. Ticket TX9K2M closed."],
  ],
  "phone numbers": [
    ["international", "Call us at +1 415 555 0199"],
    ["without a plus", "Call me back on 998901234567"],
    ["after a code word", "Didn't request a code? Call +1 415 555 0199"],
    ["Russian toll-free", "Позвоните нам: 8 800 555-35-35"],
    ["Chinese hotline", "客服电话：4001234567"],
    ["Spanish", "Llámanos al 900 123 456 si tienes dudas"],
    ["code sent to a masked number", "OTP sent to your mobile number XXXXXX4821"],
    ["Chinese, code sent to a card's phone", "验证码已发送至尾号4821的手机，请注意查收"],
    ["Uzbek, code sent to a number", "Tasdiqlash kodi yuborildi: +998 90 123 45 67"],
    ["short code to opt out", "Reply STOP to 81010 to stop receiving code messages"],
  ],
  "bank card fragments": [
    ["card ending", "Your PIN was changed successfully. Card ending 4821."],
    ["card with stars", "Card *4821 was charged $25.00 at NETFLIX.COM. Not you? Reply NO"],
    ["Russian card", "Операция по карте ****4821: покупка 1 250 ₽, OZON. Баланс 12 340 ₽"],
    ["Indonesian card", "Kartu kredit BCA 4821 digunakan untuk transaksi Rp 250.000"],
    ["code sent, card ending", "We sent a code to your phone number ending in 4821."],
    [
      "OTP word and an account",
      "Never share your OTP. Your account 1234567890 was debited with INR 2,500.00 on 12-05-26.",
    ],
    ["Turkish, password word", "Hesabınızdan 250,00 TL çekildi. Şifrenizi kimseyle paylaşmayın."],
  ],
  promotions: [
    ["promo code", "Use promo code SAVE2024 for 20% off your next ride"],
    ["discount with a code word", "Get 20% off with code SAVE20 this weekend!"],
    ["a word and a number", "Use code WELCOME50 at checkout"],
    ["Russian promo code", "Скидка 15% по промокоду LETO2024 до 31.05"],
    ["Spanish discount code", "Tu código de descuento VERANO24 es válido hasta el 31/05"],
    ["Arabic discount code", "كود الخصم: SALE50"],
  ],
  "code words without a code": [
    ["password changed", "Your password was changed on 12/05/2026 at 10:45. Not you? Call 0800 123 4567"],
    ["Russian password changed", "Ваш пароль изменён 12.05.2026 в 10:45. Если это были не вы, позвоните 900"],
    ["login alert", "Telegram: we detected a login from a new device on 12.05.2026 from 192.168.1.15"],
    ["expired", "Your code has expired. Please request a new one."],
    ["verify link only", "Verify your email at https://example.com/verify?t=482193"],
    ["a request number", "Your verification request #4821 is being reviewed."],
    ["a number on the line before a code word", "Room 4821\nWe have sent your access code by e-mail."],
    ["a number in the sentence before a code word", "Welcome to room 4821. Your door code will follow by e-mail."],
    [
      "code word far away, several numbers",
      "Please verify your identity in the app before visiting. Store hours changed: open from 0900 to 2100 on weekdays.",
    ],
    ["too long to be a code", "Your code is 12345678901"],
    ["longer than any SMS", `Your code is 4821. ${"Lorem ipsum dolor sit amet. ".repeat(80)}`],
  ],
};

describe.each(Object.entries(NO_CODE))("findCode — no code: %s", (_kind, cases) => {
  it.each(cases)("%s", (_name, text) => {
    expectCode(text, null);
  });
});
