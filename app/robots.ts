import type { MetadataRoute } from "next";
import { connection } from "next/server";
import { config } from "@/lib/config";
import { siteUrl } from "@/lib/seo/urls";

/**
 * robots.txt: everything public may be crawled but the API (JSON, streams that never end, waits that hold a
 * connection) and the admin pages; the sitemap is named on the operator's public address. Rendered per request:
 * PUBLIC_URL is a runtime setting, and a build would bake in the build machine's.
 */
export default async function robots(): Promise<MetadataRoute.Robots> {
  await connection();
  return {
    rules: { userAgent: "*", allow: "/", disallow: ["/api/", "/admin"] },
    sitemap: siteUrl(config().PUBLIC_URL, "/sitemap.xml"),
  };
}
