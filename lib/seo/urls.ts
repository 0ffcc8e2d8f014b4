/**
 * An absolute URL on the operator's public address: what canonical links, the sitemap, robots.txt, OpenGraph
 * and JSON-LD name, whatever Host header a request came with. `path` starts with "/".
 */
export function siteUrl(publicUrl: string, path: string): string {
  return publicUrl.replace(/\/+$/, "") + path;
}

/**
 * The routes that are files for machines, not pages: they skip next-intl's locale routing in proxy.ts (which
 * would rewrite them onto a page that does not exist) and are never localized by URL.
 * /sitemap.xml and /robots.txt are root-level files that proxy.ts already leaves alone.
 */
export function isSeoFile(pathname: string): boolean {
  return pathname.startsWith("/sitemaps/") || pathname.startsWith("/og/");
}
