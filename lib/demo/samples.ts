/**
 * Realistic verification messages, in the languages and sender styles public inboxes really receive.
 * Used by the demo seed and by `npm run simulate`. `{code}` is replaced with a fresh code.
 */
export type Sample = { from: string; text: string; digits?: number };

export const SAMPLES: Sample[] = [
  { from: "Google", text: "G-{code} is your Google verification code." },
  { from: "WhatsApp", text: "Your WhatsApp code: {code3}-{code3b}\nDon't share this code with others", digits: 6 },
  {
    from: "Telegram",
    text: "Telegram code: {code}\n\nYou can also tap on this link to log in:\nhttps://t.me/login/{code}",
    digits: 5,
  },
  { from: "Microsoft", text: "Use {code} as Microsoft account security code", digits: 7 },
  { from: "Apple", text: "Your Apple Account code is: {code}. Don't share it with anyone.\n\n@apple.com #{code}" },
  { from: "Amazon", text: "{code} is your Amazon OTP. Do not share it with anyone." },
  {
    from: "TikTok",
    text: "[TikTok] {code} is your verification code, valid for 5 minutes. To keep your account safe, never forward this code.",
  },
  { from: "Discord", text: "Your Discord verification code is: {code}" },
  {
    from: "Uber",
    text: "Your Uber code: {code}. Never share this code. Reply STOP ALL to +1 415-237-0403 to unsubscribe.",
    digits: 4,
  },
  { from: "Yandex", text: "Код подтверждения: {code}. Никому не сообщайте его.", digits: 4 },
  { from: "VK", text: "VK: {code} — код для входа в аккаунт. Не сообщайте его никому.", digits: 6 },
  { from: "Careem", text: "رمز التحقق الخاص بك هو {code}. لا تشاركه مع أي شخص.", digits: 4 },
  { from: "WeChat", text: "【微信】您的验证码是 {code}，5分钟内有效，请勿泄露给他人。" },
  { from: "Instagram", text: "{code} is your Instagram code. Don't share it." },
  {
    from: "PayPal",
    text: "PayPal: Your security code is {code}. Your code expires in 10 minutes. Please don't reply.",
  },
  { from: "Steam", text: "Steam: código de verificación {code5}", digits: 5 },
  { from: "Binance", text: "[Binance] Código de verificação: {code}. Válido por 30 minutos." },
  {
    from: "VM-HDFCBK",
    text: "{code} is the OTP for your HDFC Bank NetBanking login. Valid for 5 mins. Do not share with anyone.",
    digits: 6,
  },
  { from: "Payme", text: "Tasdiqlash kodi: {code}. Hech kimga bermang!", digits: 6 },
  { from: "Lieferando", text: "Dein Bestätigungscode lautet {code}.", digits: 4 },
  { from: "32665", text: "{code} est votre code de confirmation Facebook", digits: 5 },
  { from: "+14155550199", text: "Hey! Are we still on for lunch tomorrow at 12:30?" },
  { from: "DHL", text: "Your parcel 7731 is out for delivery today between 10:00 and 14:00." },
];

function digits(n: number): string {
  let s = "";
  for (let i = 0; i < n; i++) s += Math.floor(Math.random() * 10);
  return s;
}

/** A sample with its placeholders filled in with random digits. */
export function fillSample(sample: Sample): { from: string; text: string } {
  const code = digits(sample.digits ?? 6);
  const text = sample.text
    .replaceAll("{code3}", code.slice(0, 3))
    .replaceAll("{code3b}", code.slice(3, 6))
    .replaceAll("{code5}", digits(5))
    .replaceAll("{code}", code);
  return { from: sample.from, text };
}

export function randomSample(): { from: string; text: string } {
  return fillSample(SAMPLES[Math.floor(Math.random() * SAMPLES.length)]!);
}
