import fs from "node:fs";
import { describe, expect, it } from "vitest";
import { ERROR_CODES, errorOf, type ErrorKey } from "./error-codes";
import { AppError } from "./errors";

const read = (file: string) => fs.readFileSync(`${process.cwd()}/${file}`, "utf8");
const catalogue = (Object.keys(ERROR_CODES) as ErrorKey[]).map(errorOf);
const pair = (status: number | string, code: string) => `${status} ${code}`;
const pairs = new Set(catalogue.map((e) => pair(e.status, e.code)));

describe("the catalogue of error codes", () => {
  it("is the README's table, row for row: status, code and meaning", () => {
    const readme = read("README.md");
    const table = readme.slice(
      readme.indexOf("### Error codes"),
      readme.indexOf("\n## ", readme.indexOf("### Error codes")),
    );
    const rows = [...table.matchAll(/^\| (\d{3}) \| `([a-z0-9_]+)` \| (.+) \|$/gm)].map((m) => ({
      status: Number(m[1]),
      code: m[2]!,
      meaning: m[3]!,
    }));
    expect(rows.length).toBeGreaterThan(40);
    const byPair = (a: { status: number; code: string }, b: { status: number; code: string }) =>
      a.status - b.status || a.code.localeCompare(b.code);
    expect(rows.sort(byPair)).toEqual([...catalogue].sort(byPair));
  });

  it("has every code the README names beside a status anywhere, with that status", () => {
    // "422 `invalid_fields`", "400 `malformed_body` / `invalid_utf8`": the lists in the endpoints' descriptions.
    const named = [
      ...read("README.md").matchAll(/\b([1-5]\d\d)((?:\s+(?:\/\s+)?`[a-z][a-z0-9_]*`(?: \([^)]*\))?)+)/g),
    ].flatMap(([, status, codes]) =>
      [...codes!.replace(/\([^)]*\)/g, "").matchAll(/`([a-z0-9_]+)`/g)].map(([, code]) => pair(status!, code!)),
    );
    expect(named.length).toBeGreaterThan(20);
    expect(named.filter((p) => !pairs.has(p))).toEqual([]);
  });

  it("has every code server.mjs answers with, which it writes by hand before our code is loaded", () => {
    const server = read("server.mjs");
    const answered = [
      ...server.matchAll(/(?:refuse\(res|refuseOnSocket\(socket), (\d{3}), "([a-z0-9_]+)"|\[(\d{3}), "([a-z0-9_]+)"/g),
    ].map((m) => pair(m[1] ?? m[3]!, m[2] ?? m[4]!));
    expect(answered.length).toBeGreaterThan(5);
    expect(answered.filter((p) => !pairs.has(p))).toEqual([]);
  });

  it("gives an error its code and status from its entry, also where a code has two", () => {
    expect(new AppError("invalid_id", "x")).toMatchObject({ code: "invalid_id", status: 422 });
    expect(new AppError("invalid_id_param", "x")).toMatchObject({ code: "invalid_id", status: 400 });
    // A code keeps its meaning: its entries differ in status only where the same mistake is in the path or the body.
    const statuses = new Map<string, Set<number>>();
    for (const e of catalogue) statuses.set(e.code, (statuses.get(e.code) ?? new Set()).add(e.status));
    const twice = [...statuses].filter(([, s]) => s.size > 1).map(([code]) => code);
    expect(twice.sort()).toEqual(["invalid_id", "invalid_number", "unknown_gateway", "unsupported_kind"]);
  });
});
