/**
 * What the visitor asked to be told when a message arrives while the tab is in the background: a browser
 * notification, a short sound, or both. Off until the visitor turns them on (nothing is asked before a click),
 * and remembered in this browser only (localStorage: the page is one cached answer for everyone).
 */
export type AlertChoice = { notify: boolean; sound: boolean };

const KEY = "numbox:alerts";
const listeners = new Set<() => void>();

function load(): AlertChoice {
  try {
    const saved = JSON.parse(localStorage.getItem(KEY) ?? "null") as Partial<AlertChoice> | null;
    // A permission withdrawn since the choice was made turns notifications off rather than failing silently.
    const allowed = "Notification" in window && Notification.permission === "granted";
    return { notify: saved?.notify === true && allowed, sound: saved?.sound === true };
  } catch {
    return { notify: false, sound: false };
  }
}

export function saveAlertChoice(choice: AlertChoice): void {
  try {
    localStorage.setItem(KEY, JSON.stringify(choice));
  } catch {
    // Storage blocked (private mode, a policy): nothing is remembered, and the toggles stay off.
  }
  for (const listener of listeners) listener();
}

/** For useSyncExternalStore: the choice as a string ("notify|sound" flags), so an unchanged one is equal. */
export function alertChoiceSnapshot(): string {
  const { notify, sound } = load();
  return `${Number(notify)}${Number(sound)}`;
}

export const NO_ALERTS = "00";

export function choiceOf(snapshot: string): AlertChoice {
  return { notify: snapshot[0] === "1", sound: snapshot[1] === "1" };
}

export function subscribeAlertChoice(listener: () => void): () => void {
  listeners.add(listener);
  // Another tab of the site changed it.
  window.addEventListener("storage", listener);
  return () => {
    listeners.delete(listener);
    window.removeEventListener("storage", listener);
  };
}

/** "(3) Messages of +998 …": the count of messages that arrived while the visitor looked elsewhere. */
export function titleWithCount(title: string, unseen: number): string {
  const bare = title.replace(/^\(\d+\) /, "");
  return unseen > 0 ? `(${unseen}) ${bare}` : bare;
}

/**
 * A short two-note chime made on the spot (Web Audio): no sound file to fetch, and nothing the CSP must allow.
 * The context is created by the visitor's click, as browsers require before a page may play sound.
 */
export function chime(audio: AudioContext): void {
  const start = audio.currentTime;
  for (const [offset, frequency] of [
    [0, 880],
    [0.12, 1320],
  ] as const) {
    const tone = audio.createOscillator();
    const volume = audio.createGain();
    tone.frequency.value = frequency;
    volume.gain.setValueAtTime(0.15, start + offset);
    volume.gain.exponentialRampToValueAtTime(0.001, start + offset + 0.25);
    tone.connect(volume).connect(audio.destination);
    tone.start(start + offset);
    tone.stop(start + offset + 0.25);
  }
}
