import type { Metadata } from "next";
import { alternates } from "@/lib/i18n/alternates";
import { LOCALES, type Locale } from "@/lib/i18n/locales";
import { socialMetadata, type OgSubject } from "./social";

export type PageMetadata = {
  locale: Locale;
  publicUrl: string;
  /** The page's English (unprefixed) path. */
  path: string;
  /** The languages the page is written in (lib/i18n/alternates.ts). */
  written?: readonly Locale[];
  title: string;
  description: string;
  image: OgSubject;
  imageAlt: string;
  /** False for a page search engines should leave out (a retired number, an empty inbox). */
  indexable?: boolean;
};

/**
 * What a page tells search engines and link previews: its canonical address and language alternates, its
 * OpenGraph and Twitter cards on that same address, and `noindex` when it is not worth indexing. One place, so
 * that the canonical link and the card's URL never disagree.
 */
export function pageMetadata(page: PageMetadata): Metadata {
  const links = alternates(page.locale, page.path, page.written ?? LOCALES);
  return {
    title: page.title,
    description: page.description,
    alternates: links,
    ...socialMetadata({
      locale: page.locale,
      publicUrl: page.publicUrl,
      canonical: links.canonical as string,
      title: page.title,
      description: page.description,
      image: page.image,
      imageAlt: page.imageAlt,
    }),
    ...(page.indexable === false ? { robots: { index: false } } : {}),
  };
}
