import { AppError } from "@/lib/errors";

/** What a check refused with (the status, code and detail its AppError carries), or undefined when it passed. */
export function refusal(run: () => unknown): { status: number; code: string; detail: string } | undefined {
  try {
    run();
  } catch (error) {
    if (error instanceof AppError) return { status: error.status, code: error.code, detail: error.detail };
    throw error;
  }
  return undefined;
}
