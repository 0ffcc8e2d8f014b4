import { ogCard, ogText } from "@/components/OgCard";
import { AppError } from "@/lib/errors";
import { handler } from "@/lib/http";
import { isLocale } from "@/lib/i18n/locales";

/** The site's card (home, docs, any page without its own), in the language of the page that names it. */
export const GET = handler(async (_request: Request, { params }: { params: Promise<{ locale: string }> }) => {
  const { locale } = await params;
  if (!isLocale(locale)) throw new AppError("unknown_card", `'${locale}' is not one of the site's languages.`);
  return ogCard({ title: "Numbox", tagline: await ogText(locale, "tagline") });
});
