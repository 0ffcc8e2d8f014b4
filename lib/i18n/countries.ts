import type { Country } from "@/lib/inbox/numbers";
import { countryName } from "@/lib/text/phone";

const collators = new Map<string, Intl.Collator>();

/**
 * The country list in a language: names from Intl.DisplayNames, and the list in the same order as everywhere
 * (most active numbers first), ties in that language's alphabetical order ("Ö" with "O" in Turkish, by reading
 * in Chinese), not English's.
 */
export function countriesIn(countries: readonly Country[], tag: string): Country[] {
  let collator = collators.get(tag);
  if (!collator) collators.set(tag, (collator = new Intl.Collator(tag)));
  return countries
    .map((country) => ({ ...country, name: countryName(country.code, tag) }))
    .sort((a, b) => b.numbers - a.numbers || collator.compare(a.name, b.name));
}
