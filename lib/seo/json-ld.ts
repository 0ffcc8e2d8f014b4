/**
 * schema.org JSON-LD for the pages (rendered by components/JsonLd.tsx). Pure: the pages give names and absolute
 * URLs, this gives the objects and their safe serialization.
 */
export type JsonLd = Record<string, unknown>;

/** The home page's `WebSite`. */
export function websiteLd({
  name,
  url,
  description,
  language,
}: {
  name: string;
  url: string;
  description: string;
  language: string;
}): JsonLd {
  return { "@context": "https://schema.org", "@type": "WebSite", name, url, description, inLanguage: language };
}

/** A `BreadcrumbList` from the home page down to the page itself, each step with its absolute URL. */
export function breadcrumbLd(steps: readonly { name: string; url: string }[]): JsonLd {
  return {
    "@context": "https://schema.org",
    "@type": "BreadcrumbList",
    itemListElement: steps.map((step, index) => ({
      "@type": "ListItem",
      position: index + 1,
      name: step.name,
      item: step.url,
    })),
  };
}

/** A `FAQPage`: the questions and answers exactly as the page shows them (Google wants the visible text). */
export function faqLd(entries: readonly { question: string; answer: string }[], language: string): JsonLd {
  return {
    "@context": "https://schema.org",
    "@type": "FAQPage",
    inLanguage: language,
    mainEntity: entries.map(({ question, answer }) => ({
      "@type": "Question",
      name: question,
      acceptedAnswer: { "@type": "Answer", text: answer },
    })),
  };
}

/**
 * JSON for inside a `<script>` element. The HTML parser ends a script at the first "</script" whatever JSON
 * thinks of it, and "<!--" changes how it reads on: so no "<" is written at all, nor ">" and "&" for good measure
 * (each as its \\u escape, which JSON reads back as the same character). U+2028 and U+2029 are escaped too: valid
 * in JSON, they ended a line in JavaScript before ES2019, and some parsers still choke on them.
 */
export function serializeJsonLd(data: JsonLd | readonly JsonLd[]): string {
  return JSON.stringify(data).replace(
    /[<>&\u2028\u2029]/g,
    (c) => `\\u${c.charCodeAt(0).toString(16).padStart(4, "0")}`,
  );
}
