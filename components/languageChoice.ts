/**
 * Whether the visitor has settled on a language: picked one in the switcher, followed the suggestion or
 * dismissed it. Kept in this browser only (localStorage, never a cookie: pages are one cached answer per URL,
 * and the server must not learn or vary on it). Read as a snapshot for useSyncExternalStore, together with the
 * browser's languages, which the suggestion compares with the page's.
 */
const KEY = "numbox:language-settled";
const listeners = new Set<() => void>();

export function settleLanguage(): void {
  try {
    localStorage.setItem(KEY, "1");
  } catch {
    // Storage blocked (private mode, a policy): the suggestion goes for this page view only.
  }
  for (const listener of listeners) listener();
}

export function subscribeLanguage(listener: () => void): () => void {
  listeners.add(listener);
  window.addEventListener("languagechange", listener);
  window.addEventListener("storage", listener);
  return () => {
    listeners.delete(listener);
    window.removeEventListener("languagechange", listener);
    window.removeEventListener("storage", listener);
  };
}

/** "settled|languages": a string, so that an unchanged state is the same snapshot. */
export function languageSnapshot(): string {
  let settled = false;
  try {
    settled = localStorage.getItem(KEY) !== null;
  } catch {
    settled = false;
  }
  return `${settled ? "1" : "0"}|${navigator.languages.join(",")}`;
}

export function readLanguageSnapshot(snapshot: string): { settled: boolean; languages: string[] } {
  const [settled, languages = ""] = snapshot.split("|");
  return { settled: settled === "1", languages: languages ? languages.split(",") : [] };
}
