import vm from "node:vm";
import { asc, eq } from "drizzle-orm";
import { z } from "zod";
import type { Db } from "@/db/client";
import { redactions, type RedactionRow } from "@/db/schema";
import { parseInput } from "@/lib/http/input";
import { AppError } from "@/lib/errors";
import { processWide } from "@/lib/process-wide";
import { log } from "@/lib/observability/log";

/** What the stored text says instead of what a rule matched, unless the rule names its own replacement. */
export const DEFAULT_REPLACEMENT = "[hidden]";
// Long enough for "https?://\S*reset\S*" or a bank's sender list, short enough to read and reason about.
export const MAX_PATTERN_LENGTH = 200;
// Every rule is matched case-insensitively ("Reset", "RESET") and replaces every match, not just the first.
const FLAGS = "gi";
// Rules change rarely and are read on every ingest: a few seconds of staleness on other instances is fine.
const CACHE_MS = 10_000;
// Time all patterns together may take on one message. Real SMS take microseconds; a pattern that backtracks
// catastrophically despite the checks below is cut off here instead of stalling ingestion.
const MATCH_BUDGET_MS = 100;

export type Redaction = {
  id: number;
  sender: string | null;
  pattern: string | null;
  replacement: string;
  createdAt: string;
};

/** Turns a message's text into what is stored and shown. Identity when no rule applies. */
export type Redactor = (sender: string, text: string) => string;

const redactionInput = z.object({
  sender: z.string().trim().min(1).max(64).optional(),
  pattern: z.string().min(1).max(MAX_PATTERN_LENGTH).optional(),
  replacement: z.string().max(100).optional(),
});

/**
 * Why a pattern cannot be a rule, or null when it can. Besides syntax, it refuses what makes a backtracking
 * engine take exponential time (a quantified group that itself holds a quantifier, as in `(a+)+`), back-references,
 * and patterns that match the empty text (they would insert the replacement between every character).
 */
export function patternProblem(pattern: string): string | null {
  if (pattern.length > MAX_PATTERN_LENGTH) return `the pattern is longer than ${MAX_PATTERN_LENGTH} characters`;
  let compiled: RegExp;
  try {
    compiled = new RegExp(pattern, FLAGS);
  } catch (error) {
    return `not a valid regular expression (${(error as Error).message})`;
  }
  const shape = riskyShape(pattern);
  if (shape) return shape;
  if (compiled.test("")) return "the pattern matches the empty text; make it require at least one character";
  return null;
}

function riskyShape(p: string): string | null {
  // One frame per open group: whether anything inside it is quantified.
  const groups: { quantified: boolean }[] = [{ quantified: false }];
  for (let i = 0; i < p.length; i++) {
    const c = p[i];
    const top = groups[groups.length - 1]!;
    if (c === "\\") {
      const next = p[i + 1] ?? "";
      if (/[1-9]/.test(next) || next === "k") return "back-references (\\1, \\k<name>) are not allowed";
      i++;
    } else if (c === "[") {
      // A character class: nothing inside is a group or a quantifier.
      i++;
      if (p[i] === "^") i++;
      if (p[i] === "]") i++;
      while (i < p.length && p[i] !== "]") i += p[i] === "\\" ? 2 : 1;
    } else if (c === "(") {
      groups.push({ quantified: false });
      if (p[i + 1] === "?") i++; // (?: (?= (?! (?<name>: the '?' is not a quantifier
    } else if (c === ")") {
      const inner = groups.length > 1 ? groups.pop()! : { quantified: false };
      const parent = groups[groups.length - 1]!;
      const outer = quantifierAt(p, i + 1);
      if (inner.quantified && outer && outer !== "?") {
        return "a repeated group may not contain a repetition itself (like (a+)+): it can take exponential time";
      }
      if (inner.quantified || outer) parent.quantified = true;
    } else if (quantifierAt(p, i)) {
      top.quantified = true;
    }
  }
  return null;
}

function quantifierAt(p: string, i: number): string | null {
  const c = p[i];
  if (c === "*" || c === "+" || c === "?") return c;
  if (c === "{" && /^\{\d+(,\d*)?\}/.test(p.slice(i))) return "{";
  return null;
}

/** Creates a rule: by sender, by pattern, or both (the pattern, in that sender's messages only). */
export async function createRedaction(db: Db, input: unknown): Promise<Redaction> {
  const parsed = parseInput(redactionInput, input);
  if (!parsed.sender && !parsed.pattern) {
    throw new AppError("invalid_fields", "Give a 'sender', a 'pattern', or both: a rule must say what it hides.");
  }
  if (parsed.pattern) {
    const problem = patternProblem(parsed.pattern);
    if (problem) throw new AppError("invalid_pattern", `pattern: ${problem}.`);
  }
  const [row] = await db
    .insert(redactions)
    .values({
      sender: parsed.sender ?? null,
      pattern: parsed.pattern ?? null,
      replacement: parsed.replacement ?? DEFAULT_REPLACEMENT,
    })
    .returning();
  cache.delete(db);
  return toRedaction(row!);
}

export async function listRedactions(db: Db): Promise<Redaction[]> {
  const rows = await db.select().from(redactions).orderBy(asc(redactions.id));
  return rows.map(toRedaction);
}

export async function deleteRedaction(db: Db, id: number): Promise<void> {
  const deleted = await db.delete(redactions).where(eq(redactions.id, id)).returning({ id: redactions.id });
  cache.delete(db);
  if (deleted.length === 0) throw new AppError("unknown_redaction", `There is no redaction rule ${id}.`);
}

function toRedaction(row: RedactionRow): Redaction {
  return {
    id: row.id,
    sender: row.sender,
    pattern: row.pattern,
    replacement: row.replacement,
    createdAt: row.createdAt.toISOString(),
  };
}

type Rule = { id: number; sender: string | null; pattern: RegExp | null; replacement: string };

// Per database handle (tests open several in one process), a short-lived copy of the rules, once per process: the
// admin routes that change the rules and the ingest door that applies them each have their own copy of this
// module, and a change must reach the next message at once.
const cache = processWide("redaction rules", () => new WeakMap<Db, { until: number; rules: Promise<Rule[]> }>());

/** The redactor for messages stored now: the current rules, read at most every few seconds. */
export async function redactorFor(db: Db, now = Date.now()): Promise<Redactor> {
  let entry = cache.get(db);
  if (!entry || entry.until <= now) {
    entry = { until: now + CACHE_MS, rules: db.select().from(redactions).orderBy(asc(redactions.id)).then(compile) };
    cache.set(db, entry);
    // A failed read is not cached: the next message tries again.
    entry.rules.catch(() => cache.delete(db));
  }
  const rules = await entry.rules;
  return (sender, text) => redact(rules, sender, text);
}

function compile(rows: RedactionRow[]): Rule[] {
  return rows.map((r) => ({
    id: r.id,
    sender: r.sender?.toLowerCase() ?? null,
    // Rules were checked when created; a pattern that no longer compiles (never expected) hides the whole text.
    pattern: r.pattern === null ? null : safeCompile(r.pattern),
    replacement: r.replacement,
  }));
}

function safeCompile(pattern: string): RegExp | null {
  try {
    return new RegExp(pattern, FLAGS);
  } catch {
    return null;
  }
}

/**
 * Applies the rules in order. A sender rule without a pattern replaces the whole text; a pattern replaces each
 * match (in that sender's messages only, when the rule names one). Matching runs under a time budget; a rule that
 * runs out of it hides the whole text: failing closed keeps private text private.
 */
export function redact(rules: Rule[], sender: string, text: string): string {
  const from = sender.trim().toLowerCase();
  const deadline = Date.now() + MATCH_BUDGET_MS;
  let out = text;
  for (const rule of rules) {
    if (rule.sender !== null && rule.sender !== from) continue;
    if (rule.pattern === null) {
      out = rule.replacement;
      continue;
    }
    const left = Math.max(1, deadline - Date.now());
    try {
      out = replaceWithin(out, rule.pattern, rule.replacement, left);
    } catch (error) {
      // The text itself is never logged: it is what the rule exists to hide.
      log().warn(
        { rule: rule.id, error: (error as Error).message },
        "a redaction rule failed; the message's whole text was hidden",
      );
      return rule.replacement;
    }
  }
  return out;
}

// One sandbox per process: vm is the only way to stop a running regular expression in Node.
let sandbox: vm.Context | undefined;
const replaceScript = new vm.Script("text.replace(pattern, () => replacement)");

function replaceWithin(text: string, pattern: RegExp, replacement: string, timeoutMs: number): string {
  sandbox ??= vm.createContext(Object.create(null));
  sandbox.text = text;
  sandbox.pattern = pattern;
  sandbox.replacement = replacement;
  try {
    return String(replaceScript.runInContext(sandbox, { timeout: timeoutMs }));
  } finally {
    sandbox.text = sandbox.pattern = sandbox.replacement = undefined;
  }
}

/** Compiles rules given as rows: for tests and tools that hold rules without a database. */
export function redactorOf(rows: Pick<RedactionRow, "id" | "sender" | "pattern" | "replacement">[]): Redactor {
  const rules = compile(rows.map((r) => ({ ...r, createdAt: new Date(0) })));
  return (sender, text) => redact(rules, sender, text);
}
