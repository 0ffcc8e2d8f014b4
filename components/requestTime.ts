import "server-only";

/**
 * The time this request is being rendered, for server components that show durations ("Quiet for 7 h").
 * Call it only after `await connection()`: before that, Next may prerender the page and freeze the clock at
 * build time. A server component renders once per request, so this is stable for the whole page.
 */
export function requestTime(): number {
  return Date.now();
}
