import { describe, expect, it } from "vitest";
import { SERVICES } from "./catalogue";
import { serviceName, serviceOf, slugify } from "./service";

describe("serviceOf: sender ids of the catalogue's services", () => {
  it.each([
    ["Google", "G-123456 is your Google verification code.", "google"],
    ["GOOGLE", "Your code is 123456", "google"],
    ["google", "Your code is 123456", "google"],
    ["VM-GOOGLE", "G-482913 is your Google verification code. Don't share it.", "google"],
    ["AD-GOOGLE", "Your code is 123456", "google"],
    ["JD-GOOGLE-S", "Your code is 123456", "google"],
    ["G-Verify", "Your code is 123456", "google"],
    ["WhatsApp", "<#> Your WhatsApp code: 123-456\n\nDon't share this code with others\n4sgLq1p5sV6", "whatsapp"],
    [
      "Telegram",
      "Telegram code: 51234\n\nYou can also tap on this link to log in: https://t.me/login/51234",
      "telegram",
    ],
    ["Microsoft", "Use 4829 as Microsoft account security code", "microsoft"],
    ["MSFT", "Microsoft access code: 8392", "microsoft"],
    ["Apple", "Your Apple ID Code is: 123456. Don't share it with anyone.", "apple"],
    ["FACEBOOK", "FB-48291 is your Facebook confirmation code", "facebook"],
    ["Meta", "123456 is your Meta verification code", "facebook"],
    ["Instagram", "Use 482 913 to verify your Instagram account.", "instagram"],
    ["TikTok", "[TikTok] 482913 is your verification code, valid for 5 minutes.", "tiktok"],
    ["Twitter", "Your Twitter confirmation code is 482913.", "x"],
    ["X", "482913 is your X verification code.", "x"],
    ["Amazon", "482913 is your Amazon OTP. Do not share it with anyone.", "amazon"],
    ["VM-AMAZON", "482913 is your Amazon OTP.", "amazon"],
    ["Uber", "Your Uber code: 4829. Never share this code.", "uber"],
    ["PayPal", "PayPal: Your security code is: 482913.", "paypal"],
    ["Discord", "Your Discord security code is: 482913", "discord"],
    ["Snapchat", "Snapchat code: 482913. Happy Snapping!", "snapchat"],
    ["Signal", "Your Signal code: 482913", "signal"],
    ["Viber", "Your Viber code: 482913", "viber"],
    ["WeChat", "[WeChat] Your verification code is 482913.", "wechat"],
    ["LINE", "Your LINE verification code: 4829", "line"],
    ["KakaoTalk", "[카카오톡] 인증번호 [4829]를 입력해주세요.", "kakaotalk"],
    ["Yandex", "Код подтверждения: 4829. Никому не говорите код!", "yandex"],
    ["Yandex.ID", "Код: 4829", "yandex"],
    ["VK", "VK: 482913 — код для входа", "vk"],
    ["Steam", "Your Steam verification code is F4K2M", "steam"],
    ["OpenAI", "Your OpenAI verification code is: 482913", "openai"],
    ["Tinder", "Your Tinder code is 482913", "tinder"],
    ["Airbnb", "Your Airbnb verification code is: 4829.", "airbnb"],
    ["Netflix", "Your Netflix verification code is 4829", "netflix"],
    ["Binance", "[Binance] Your verification code: 482913", "binance"],
    ["BOLT", "Your Bolt code: 4829", "bolt"],
    ["AX-FLPKRT", "482913 is the OTP for your Flipkart account", "flipkart"],
    ["iPaytm", "482913 is your Paytm OTP", "paytm"],
  ])("%s → %s", (sender, text, slug) => {
    expect(serviceOf(sender, text)).toBe(slug);
  });
});

describe("serviceOf: numbers and short codes, by what the text says", () => {
  it.each([
    ["+15551234567", "G-482913 is your Google verification code.", "google"],
    ["22000", "Your verification code is 482913", "google"],
    ["32665", "482913 is your Facebook code", "facebook"],
    // A short code shared by two services: the text says which.
    ["32665", "Use 482913 to verify your Instagram account.", "instagram"],
    ["40404", "Your code is 482913", "x"],
    ["729725", "Your code is 482913", "paypal"],
    [
      "+447700900123",
      "<#> Your WhatsApp code: 482-913\nYou can also tap this link to verify your phone: v.whatsapp.com/482913",
      "whatsapp",
    ],
    ["+79001234567", "Telegram code: 51234", "telegram"],
    ["+8613812345678", "【支付宝】验证码 482913，请勿泄露", "alipay"],
    ["+8613812345678", "【美团】您的验证码是 4829", "美团"],
    ["+6281234567890", "[Gojek] Kode verifikasi kamu 4829", "gojek"],
    ["+6281234567890", "<#> [Shopee] Kode OTP: 482913", "shopee"],
    ["+905321234567", "[Trendyol] Doğrulama kodunuz: 4829", "trendyol"],
    ["+12025550143", "Your Uber code: 4829. Reply STOP ALL to +1 415-237-0403 to unsubscribe.", "uber"],
    ["+12025550143", "Your Lyft code is 4829", "lyft"],
    ["+12025550143", "Your Tinder code is 482913 @tinder.com #482913", "tinder"],
    ["+12025550143", "482913 is your X verification code.", "x"],
    ["+12025550143", "Use 482913 as your LINE verification code", "line"],
    ["+79001234567", "Ваш код для входа в Яндекс: 4829", "yandex"],
    ["+79001234567", "4829 — код для входа ВКонтакте", "vk"],
    // Whichever it names first.
    ["+12025550143", "Your Microsoft account code is 4829. Sign in to Outlook with it.", "microsoft"],
  ])("%s: %j → %s", (sender, text, slug) => {
    expect(serviceOf(sender, text)).toBe(slug);
  });

  it.each([
    ["+12025550143", "Your verification code is 482913"],
    ["+12025550143", "Hi, it's me, call me back"],
    ["+998 94 037-33-39", "Your code: 4829"],
    ["(202) 555-0143", "Code 4829"],
    ["12345", "Your code is 4829"],
    ["+12025550143", "(482913) is your code"],
    ["+12025550143", "[SMS] Your code is 4829"],
    // Common words that are also names do not count in lower case.
    ["+12025550143", "Hold the line, your code is 4829 and the signal is weak; steam the milk"],
  ])("%s: %j → null", (sender, text) => {
    expect(serviceOf(sender, text)).toBeNull();
  });
});

describe("serviceOf: every other sender name is its own service", () => {
  it.each([
    ["VM-HDFCBK", "hdfcbk"],
    ["AD-HDFCBK", "hdfcbk"],
    ["JM-ICICIB-T", "icicib"],
    ["Bolt Food", "bolt-food"],
    ["MTS", "mts"],
    ["Beeline", "beeline"],
    ["Sberbank", "sberbank"],
    ["Сбербанк", "сбербанк"],
    ["Crédit Agricole", "credit-agricole"],
    ["Go-Jek.Indonesia", "go-jek-indonesia"],
    ["AB-CD", "ab-cd"],
  ])("%s → %s", (sender, slug) => {
    expect(serviceOf(sender, "Your code is 4829")).toBe(slug);
  });

  it("reads what a shared sender id carries, else it is its own service", () => {
    expect(serviceOf("Verify", "[TikTok] 482913 is your verification code")).toBe("tiktok");
    expect(serviceOf("INFO", "Your Discord security code is: 482913")).toBe("discord");
    expect(serviceOf("SMSInfo", "Your code is 482913")).toBe("smsinfo");
  });

  it("gives a sender with nothing to name it by no service", () => {
    expect(serviceOf("!!!", "Your code is 4829")).toBeNull();
    expect(serviceOf("", "Your code is 4829")).toBeNull();
  });
});

describe("the catalogue", () => {
  it("has the services that send most codes, each once, with a slug fit for a URL", () => {
    expect(SERVICES.length).toBeGreaterThanOrEqual(40);
    const slugs = SERVICES.map((s) => s.slug);
    expect(new Set(slugs).size).toBe(slugs.length);
    for (const slug of slugs) expect(slug).toMatch(/^[a-z0-9]+(?:-[a-z0-9]+)*$/);
    for (const wanted of ["whatsapp", "telegram", "google", "microsoft", "apple", "facebook", "instagram"])
      expect(slugs).toContain(wanted);
    for (const wanted of ["tiktok", "x", "amazon", "uber", "paypal", "discord", "snapchat", "signal", "viber"])
      expect(slugs).toContain(wanted);
    for (const wanted of ["wechat", "line", "kakaotalk", "yandex", "vk", "steam", "openai", "tinder", "airbnb"])
      expect(slugs).toContain(wanted);
    expect(slugs).toEqual(expect.arrayContaining(["netflix", "binance"]));
  });

  it("lets no sender id belong to two services", () => {
    const keys = SERVICES.flatMap((s) => s.senders.map((x) => x.toLowerCase().replace(/[\s._-]+/g, "")));
    expect(keys.filter((k, i) => keys.indexOf(k) !== i)).toEqual([]);
  });

  it("maps each service's own sender ids and name to it", () => {
    for (const s of SERVICES) {
      for (const sender of s.senders) expect(serviceOf(sender, ""), sender).toBe(s.slug);
      expect(serviceName(s.slug)).toBe(s.name);
    }
    expect(serviceName("hdfcbk")).toBeNull();
  });
});

describe("slugify", () => {
  it("keeps letters and digits of any script, one dash between words, at most 40 characters", () => {
    expect(slugify("  Hello,  World! ")).toBe("hello-world");
    expect(slugify("Ünïcödé")).toBe("unicode");
    expect(slugify("a".repeat(50))).toBe("a".repeat(40));
    expect(slugify(`${"a".repeat(39)} b`)).toBe("a".repeat(39));
    expect(slugify("—")).toBeNull();
  });
});
