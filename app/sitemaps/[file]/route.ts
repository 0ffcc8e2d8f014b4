import { connection } from "next/server";
import { config } from "@/lib/config";
import { AppError } from "@/lib/errors";
import { handler } from "@/lib/http";
import { getDb } from "@/lib/server/database";
import { sitemapFiles, SITEMAP_HEADERS } from "@/lib/seo/serve";
import { sitemapFileIndex, urlsetXml } from "@/lib/seo/sitemap";

/** One file of the sitemap, `/sitemaps/{n}.xml`, as the index names it. */
export const GET = handler(async (_request: Request, { params }: { params: Promise<{ file: string }> }) => {
  await connection();
  const index = sitemapFileIndex((await params).file);
  const files = await sitemapFiles(await getDb(), config());
  const urls = index === null ? undefined : files[index];
  if (!urls) throw new AppError("not_found", `The sitemap has files 0.xml to ${files.length - 1}.xml.`);
  return new Response(urlsetXml(urls), { headers: SITEMAP_HEADERS });
});
