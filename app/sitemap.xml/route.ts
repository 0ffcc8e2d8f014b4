import { connection } from "next/server";
import { config } from "@/lib/config";
import { handler } from "@/lib/http";
import { getDb } from "@/lib/server/database";
import { sitemapFiles, SITEMAP_HEADERS } from "@/lib/seo/serve";
import { sitemapIndexXml } from "@/lib/seo/sitemap";

/** The sitemap index: names each file of the sitemap (/sitemaps/0.xml, …), which robots.txt points to. */
export const GET = handler(async () => {
  await connection();
  const files = await sitemapFiles(await getDb(), config());
  return new Response(sitemapIndexXml(files, config().PUBLIC_URL), { headers: SITEMAP_HEADERS });
});
