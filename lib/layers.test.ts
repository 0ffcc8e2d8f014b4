import fs from "node:fs";
import path from "node:path";
import { describe, expect, it } from "vitest";

/*
 * The shape of the code, checked: dependencies point down (app → components → lib → db → config), lib's folders
 * and files import each other without a cycle, and test support stays out of what ships. Tests and their support
 * (lib/testing, *.test.ts) sit above everything and may import anything.
 * Read from the import lines themselves: 60 lines here, where a dependency checker would be a package and a rule
 * language of its own for the same three rules.
 */
const ROOT = process.cwd();
const SHIPPED = ["app", "components", "lib", "db"];

function isTestSupport(file: string): boolean {
  return /\.test\.tsx?$/.test(file) || file.startsWith("lib/testing/");
}

function sourceFiles(dir: string): string[] {
  return fs.readdirSync(path.join(ROOT, dir), { withFileTypes: true }).flatMap((entry) => {
    const file = `${dir}/${entry.name}`;
    if (entry.isDirectory()) return entry.name === "migrations" ? [] : sourceFiles(file);
    return /\.tsx?$/.test(entry.name) && !entry.name.endsWith(".d.ts") ? [file] : [];
  });
}

/** The project files a file imports (by `@/` or a relative path), without their extension. */
function importsOf(file: string): string[] {
  const text = fs.readFileSync(path.join(ROOT, file), "utf8");
  const specifiers = [
    ...text.matchAll(/^(?:import|export)[^;]*?from\s+"([^"]+)"/gms),
    ...text.matchAll(/^import\s+"([^"]+)"/gm),
    ...text.matchAll(/\bimport\(\s*"([^"]+)"\s*\)/g),
  ].map((m) => m[1]!);
  return specifiers.flatMap((s) => {
    if (s.startsWith("@/")) return [s.slice(2)];
    if (s.startsWith(".")) return [path.posix.normalize(path.posix.join(path.posix.dirname(file), s))];
    return [];
  });
}

const files = SHIPPED.flatMap(sourceFiles).filter((file) => !isTestSupport(file));
const known = new Map(
  files.flatMap((file) => [file.replace(/\.tsx?$/, ""), file.replace(/(\/index)?\.tsx?$/, "")].map((k) => [k, file])),
);
const graph = new Map(files.map((file) => [file, [...new Set(importsOf(file).map((i) => known.get(i) ?? i))]]));

/** Cycles in a directed graph: its strongly connected components of more than one node (Tarjan). */
function cycles(edges: Map<string, string[]>): string[][] {
  let next = 0;
  const index = new Map<string, number>();
  const low = new Map<string, number>();
  const stack: string[] = [];
  const found: string[][] = [];
  const visit = (node: string) => {
    index.set(node, next);
    low.set(node, next++);
    stack.push(node);
    for (const to of edges.get(node) ?? []) {
      if (!edges.has(to)) continue;
      if (!index.has(to)) visit(to);
      if (stack.includes(to)) low.set(node, Math.min(low.get(node)!, low.get(to)!, index.get(to)!));
    }
    if (low.get(node) !== index.get(node)) return;
    const component: string[] = [];
    for (let top = stack.pop()!; ; top = stack.pop()!) {
      component.push(top);
      if (top === node) break;
    }
    if (component.length > 1) found.push(component.sort());
  };
  for (const node of edges.keys()) if (!index.has(node)) visit(node);
  return found;
}

/** lib's part a file belongs to: its folder under lib, or the file itself at lib's top. */
const partOf = (file: string) =>
  file
    .split("/")
    .slice(0, 2)
    .join("/")
    .replace(/\.tsx?$/, "");
// The bottom: configuration, and what it and every layer use that imports nothing of ours (the log's redaction).
const BOTTOM = ["lib/config.ts", "lib/ip-allowlist.ts", "lib/security/log.ts"];
const layerOf = (file: string) => (BOTTOM.includes(file) ? "config" : file.split("/")[0]!);
const BELOW: Record<string, string[]> = {
  app: ["components", "lib", "db", "config"],
  components: ["lib", "db", "config"],
  lib: ["db", "config"],
  db: ["config"],
  config: ["config"],
};

describe("the code's layers", () => {
  it("finds the files it checks", () => {
    expect(files.length).toBeGreaterThan(100);
    expect(graph.get("lib/ingest/ingest.ts")).toContain("lib/ingest/store.ts");
  });

  it("has no cycle between files", () => {
    expect(cycles(graph)).toEqual([]);
  });

  it("has no cycle between lib's folders", () => {
    const parts = new Map<string, string[]>();
    for (const [file, imports] of graph) {
      if (!file.startsWith("lib/")) continue;
      const from = partOf(file);
      const to = imports.filter((i) => i.startsWith("lib/") && partOf(i) !== from).map(partOf);
      parts.set(from, [...new Set([...(parts.get(from) ?? []), ...to])]);
    }
    expect(cycles(parts)).toEqual([]);
  });

  it("keeps the bottom free of imports of ours", () => {
    expect(BOTTOM.flatMap((file) => graph.get(file)!.filter((i) => !BOTTOM.includes(i)))).toEqual([]);
  });

  it("points every import down: app → components → lib → db → config, and never into test support", () => {
    const upward = [...graph].flatMap(([file, imports]) =>
      imports
        .filter((i) => SHIPPED.some((top) => i.startsWith(`${top}/`)))
        .filter(
          (i) => isTestSupport(i) || (layerOf(i) !== layerOf(file) && !BELOW[layerOf(file)]!.includes(layerOf(i))),
        )
        .map((i) => `${file} → ${i}`),
    );
    expect(upward).toEqual([]);
  });
});
