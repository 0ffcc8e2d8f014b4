import { describe, expect, it } from "vitest";
import { breadcrumbLd, faqLd, serializeJsonLd, websiteLd } from "./json-ld";

describe("JSON-LD", () => {
  it("never writes what could end or comment out the script element, and reads back the same", () => {
    const hostile = {
      "@type": "Thing",
      name: "</script><script>alert(1)</script> <!-- & </SCRIPT > \u2028\u2029",
    };
    const text = serializeJsonLd(hostile);
    expect(text).not.toMatch(/[<>&\u2028\u2029]/);
    expect(text.toLowerCase()).not.toContain("</script");
    expect(JSON.parse(text)).toEqual(hostile);
  });

  it("numbers the breadcrumb's steps from 1, each with its URL", () => {
    expect(
      breadcrumbLd([
        { name: "Numbox", url: "https://example.org/" },
        { name: "Uzbekistan", url: "https://example.org/countries/uz" },
      ]),
    ).toEqual({
      "@context": "https://schema.org",
      "@type": "BreadcrumbList",
      itemListElement: [
        { "@type": "ListItem", position: 1, name: "Numbox", item: "https://example.org/" },
        { "@type": "ListItem", position: 2, name: "Uzbekistan", item: "https://example.org/countries/uz" },
      ],
    });
  });

  it("makes each FAQ entry a Question with its accepted Answer", () => {
    const faq = faqLd([{ question: "Is it private?", answer: "No." }], "en");
    expect(faq).toMatchObject({
      "@type": "FAQPage",
      mainEntity: [{ "@type": "Question", name: "Is it private?", acceptedAnswer: { "@type": "Answer", text: "No." } }],
    });
  });

  it("names the site and its language", () => {
    expect(websiteLd({ name: "Numbox", url: "https://example.org/ru", description: "d", language: "ru" })).toEqual({
      "@context": "https://schema.org",
      "@type": "WebSite",
      name: "Numbox",
      url: "https://example.org/ru",
      description: "d",
      inLanguage: "ru",
    });
  });
});
