"use client";

import { useCallback, useEffect, useRef, useState } from "react";
import { copyText } from "./clipboard";

export type CopyState = "idle" | "copied" | "failed";

// Long enough to read "Copied", short enough that a second click still gets fresh feedback.
const FEEDBACK_MS = 1800;

/** Copy-to-clipboard with transient feedback. */
export function useCopy(text: string): [CopyState, () => void] {
  const [state, setState] = useState<CopyState>("idle");
  const timer = useRef<ReturnType<typeof setTimeout>>(undefined);

  useEffect(() => () => clearTimeout(timer.current), []);

  const copy = useCallback(() => {
    void copyText(text).then((ok) => {
      setState(ok ? "copied" : "failed");
      clearTimeout(timer.current);
      timer.current = setTimeout(() => setState("idle"), FEEDBACK_MS);
    });
  }, [text]);

  return [state, copy];
}
