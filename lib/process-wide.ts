/**
 * The state that exists once per process, all of it in one registry. Next bundles a module once per route, once
 * more for the proxy and for the doors before Next (lib/server/start.ts), and reloads bundles in development: a
 * module-level value would exist several times in one process. The database, the live inboxes, the limiters,
 * the open slots and the caches are made here instead, by name, by whichever copy of their module asks first.
 */
const registry: Map<string, unknown> = ((globalThis as { __numbox?: Map<string, unknown> }).__numbox ??= new Map());

/** The process's one `name`, made by `create` the first time anyone asks for it. */
export function processWide<T>(name: string, create: () => T): T {
  if (!registry.has(name)) registry.set(name, create());
  return registry.get(name) as T;
}
