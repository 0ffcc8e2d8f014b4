import { ogCard, ogText } from "@/components/OgCard";
import { AppError } from "@/lib/errors";
import { handler } from "@/lib/http";
import { getDb } from "@/lib/server/database";
import { isLocale } from "@/lib/i18n/locales";
import { getNumber } from "@/lib/inbox/numbers";
import { formatInternational } from "@/lib/text/phone";

/** A number's card: its flag, the number as people write it, and "Receive SMS online". Only for our numbers. */
export const GET = handler(
  async (_request: Request, { params }: { params: Promise<{ locale: string; number: string }> }) => {
    const { locale, number: digits } = await params;
    const unknown = new AppError("unknown_card", "The path names no language of the site or no number of ours.");
    if (!isLocale(locale) || !/^[1-9]\d{5,14}$/.test(digits)) throw unknown;
    const number = await getNumber(await getDb(), `+${digits}`);
    if (!number) throw unknown;
    return ogCard({
      country: number.country,
      title: formatInternational(number.number),
      tagline: await ogText(locale, "tagline"),
    });
  },
);
