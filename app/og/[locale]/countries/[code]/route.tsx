import { hasFlag, ogCard, ogText } from "@/components/OgCard";
import { AppError } from "@/lib/errors";
import { handler } from "@/lib/http";
import { isLocale, LOCALE_INFO } from "@/lib/i18n/locales";
import { ogFontCanDraw } from "@/lib/seo/social";
import { countryName } from "@/lib/text/phone";

/** A country's card: its flag and its name. Lower-case codes only, like the country pages. */
export const GET = handler(
  async (_request: Request, { params }: { params: Promise<{ locale: string; code: string }> }) => {
    const { locale, code } = await params;
    const country = code.toUpperCase();
    if (!isLocale(locale) || !/^[a-z]{2}$/.test(code) || !hasFlag(country)) {
      throw new AppError("unknown_card", "The path names no language of the site or no country (lower-case ISO code).");
    }
    const name = countryName(country, LOCALE_INFO[locale].tag);
    return ogCard({
      country,
      title: ogFontCanDraw(name) ? name : countryName(country, "en"),
      tagline: await ogText(locale, "tagline"),
    });
  },
);
