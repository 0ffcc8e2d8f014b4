import type { z } from "zod";
import { AppError } from "@/lib/errors";

/** Parses input with a schema, or throws a 422 naming every field that is wrong. */
export function parseInput<T extends z.ZodType>(schema: T, input: unknown, prefix = ""): z.output<T> {
  const result = schema.safeParse(input);
  if (!result.success) {
    const problems = result.error.issues
      .map((i) => `${prefix}${i.path.join(".") || (prefix ? "" : "body")}: ${i.message}`)
      .join("; ");
    throw new AppError("invalid_fields", problems);
  }
  return result.data;
}
