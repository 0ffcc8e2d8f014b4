import * as flagSvgs from "country-flag-icons/string/3x2";
import { ImageResponse } from "next/og";
import { getTranslations } from "next-intl/server";
import { DEFAULT_LOCALE, type Locale } from "@/lib/i18n/locales";
import { OG_IMAGE_SIZE, ogFontCanDraw } from "@/lib/seo/social";

const flags = flagSvgs as unknown as Record<string, string | undefined>;

// A card changes only when its wording does (a deploy): a day in browsers and in any CDN in front, so that a link
// shared in a busy chat is drawn once, not once per reader.
const CACHE_CONTROL = "public, max-age=86400";

/** Whether there is a flag for a country code (upper case): the card of a country we cannot draw is a 404. */
export function hasFlag(country: string): boolean {
  return /^[A-Z]{2}$/.test(country) && flags[country] !== undefined;
}

/**
 * The card's line in the page's language, or English where the card font has no glyphs for its script
 * (lib/seo/social.ts: Arabic, Hindi and Chinese cards say it in English).
 */
export async function ogText(locale: Locale, key: "tagline"): Promise<string> {
  const text = (await getTranslations({ locale, namespace: "Og" }))(key);
  return ogFontCanDraw(text) ? text : (await getTranslations({ locale: DEFAULT_LOCALE, namespace: "Og" }))(key);
}

/**
 * A 1200×630 PNG card (next/og: Satori lays it out, resvg draws it): the flag, the title (a number, a country,
 * the site's name) and the tagline. Everything it shows is ours, never a message's text.
 */
export function ogCard({ country, title, tagline }: { country?: string; title: string; tagline: string }) {
  // The site's own card has its name as the title: the small one above would say it twice.
  const brand = title !== "Numbox";
  const flag = country ? flags[country] : undefined;
  return new ImageResponse(
    <div
      style={{
        width: "100%",
        height: "100%",
        display: "flex",
        flexDirection: "column",
        justifyContent: "space-between",
        padding: "72px 80px",
        background: "linear-gradient(135deg, #eef2ff 0%, #fafafa 60%)",
        color: "#18181b",
      }}
    >
      <div style={{ display: "flex", alignItems: "center", fontSize: 40, color: "#4338ca" }}>
        {brand ? "Numbox" : ""}
      </div>
      <div style={{ display: "flex", flexDirection: "column" }}>
        {flag && (
          // eslint-disable-next-line @next/next/no-img-element -- Satori draws <img>, not next/image
          <img
            alt=""
            width={180}
            height={120}
            src={`data:image/svg+xml;base64,${Buffer.from(flag).toString("base64")}`}
            style={{ borderRadius: 12, border: "2px solid #e4e4e7", marginBottom: 40 }}
          />
        )}
        <div style={{ display: "flex", fontSize: title.length > 20 ? 76 : 96, letterSpacing: -1 }}>{title}</div>
        <div style={{ display: "flex", marginTop: 16, fontSize: 48, color: "#52525b" }}>{tagline}</div>
      </div>
    </div>,
    { ...OG_IMAGE_SIZE, headers: { "Cache-Control": CACHE_CONTROL } },
  );
}
