import fs from "node:fs";
import path from "node:path";
import { parse, TYPE, type MessageFormatElement } from "@formatjs/icu-messageformat-parser";
import { describe, expect, it } from "vitest";
import { LOCALES, LOCALE_INFO, type Locale } from "./locales";

/*
 * Every language file says everything English says, in ICU that parses, with the same placeholders and tags
 * (a translation that drops {count} or <link> would show a number-less sentence or lose the link), and with a
 * plural form for each category its language has (Russian one/few/many, Arabic zero…other): a missing form
 * would fall back to `other`, "5 номера" instead of "5 номеров".
 */
const DIR = path.join(__dirname, "messages");
type Tree = { [key: string]: string | Tree };

function read(locale: Locale): Tree {
  return JSON.parse(fs.readFileSync(path.join(DIR, `${locale}.json`), "utf8")) as Tree;
}

function flatten(tree: Tree, prefix = ""): Map<string, string> {
  const out = new Map<string, string>();
  for (const [key, value] of Object.entries(tree)) {
    if (typeof value === "string") out.set(prefix + key, value);
    else for (const [k, v] of flatten(value, `${prefix}${key}.`)) out.set(k, v);
  }
  return out;
}

/** The names a message needs from the code: its arguments and its rich-text tags. */
function names(elements: MessageFormatElement[], into = new Set<string>()): Set<string> {
  for (const element of elements) {
    if (element.type === TYPE.argument || element.type === TYPE.number || element.type === TYPE.date) {
      into.add(`{${element.value}}`);
    } else if (element.type === TYPE.tag) {
      into.add(`<${element.value}>`);
      names(element.children, into);
    } else if (element.type === TYPE.plural || element.type === TYPE.select) {
      into.add(`{${element.value}}`);
      for (const option of Object.values(element.options)) names(option.value, into);
    }
  }
  return into;
}

/** Each plural in a message, with the categories it writes out (exact matches such as =0 are extra). */
function plurals(elements: MessageFormatElement[], into: { name: string; categories: string[] }[] = []) {
  for (const element of elements) {
    if (element.type === TYPE.plural) {
      into.push({ name: element.value, categories: Object.keys(element.options).filter((k) => !k.startsWith("=")) });
    }
    if (element.type === TYPE.tag) plurals(element.children, into);
    if (element.type === TYPE.plural || element.type === TYPE.select)
      for (const option of Object.values(element.options)) plurals(option.value, into);
  }
  return into;
}

// CLDR's "many" in Spanish and Portuguese is for numbers written with a compact exponent ("1,5 M"): counts of
// numbers, messages, days and minutes never are, so `other` covers it.
const UNUSED_CATEGORIES: Partial<Record<Locale, string[]>> = { es: ["many"], "pt-br": ["many"] };

const english = flatten(read("en"));

describe.each(LOCALES)("the %s messages", (locale) => {
  const messages = flatten(read(locale));

  it("have exactly the keys of en.json", () => {
    expect([...messages.keys()].sort()).toEqual([...english.keys()].sort());
  });

  it("parse as ICU, with English's placeholders and tags", () => {
    for (const [key, message] of messages) {
      const ast = parse(message);
      const theirs = names(ast);
      const ours = names(parse(english.get(key) ?? ""));
      expect([...theirs].sort(), `${locale} ${key}`).toEqual([...ours].sort());
    }
  });

  it("write out every plural form the language has", () => {
    const needed = new Intl.PluralRules(LOCALE_INFO[locale].tag)
      .resolvedOptions()
      .pluralCategories.filter((category) => !UNUSED_CATEGORIES[locale]?.includes(category));
    for (const [key, message] of messages) {
      for (const plural of plurals(parse(message))) {
        expect(plural.categories, `${locale} ${key} {${plural.name}}`).toEqual(expect.arrayContaining(needed));
      }
    }
  });
});

describe("the message files", () => {
  it("are one per language, and nothing else", () => {
    expect(fs.readdirSync(DIR).sort()).toEqual(LOCALES.map((locale) => `${locale}.json`).sort());
  });
});
