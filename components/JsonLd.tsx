import { headers } from "next/headers";
import { serializeJsonLd, type JsonLd as Data } from "@/lib/seo/json-ld";

/**
 * Structured data for search engines, in the page's HTML. A script element, so it carries the response's CSP
 * nonce like every other script of ours (the browser never runs it, but a policy-clean page has no unlabelled
 * script), and its JSON is written with no "<" in it: text from anywhere (a country's name, one day a sender's)
 * can never close the element (lib/seo/json-ld.ts).
 */
export async function JsonLd({ data }: { data: Data | readonly Data[] }) {
  const nonce = (await headers()).get("x-nonce") ?? undefined;
  return (
    <script type="application/ld+json" nonce={nonce} dangerouslySetInnerHTML={{ __html: serializeJsonLd(data) }} />
  );
}
