"use client";

import { useTranslations } from "next-intl";
import { useCallback, useEffect, useRef, useState, useSyncExternalStore } from "react";
import type { Message } from "@/lib/inbox/message";
import {
  alertChoiceSnapshot,
  chime,
  choiceOf,
  NO_ALERTS,
  saveAlertChoice,
  subscribeAlertChoice,
  titleWithCount,
  type AlertChoice,
} from "./arrivalAlerts";

/** Why notifications cannot be turned on here: the browser has none, or the visitor refused them. */
export type NotifyBlock = "unsupported" | "denied" | null;

export type ArrivalAlerts = {
  choice: AlertChoice;
  blocked: NotifyBlock;
  toggleNotify(): Promise<void>;
  toggleSound(): void;
  /** Hears each message the stream delivers. */
  arrived(message: Message): void;
};

/**
 * Tells a visitor who looks at another tab that a message arrived: the tab's title counts the unseen ones
 * (always: it asks nothing of the browser), and, if the visitor turned them on, a notification with the sender
 * and the code, and a chime. Nothing happens while the page is in view: the inbox itself shows the message.
 */
export function useArrivalAlerts(): ArrivalAlerts {
  const t = useTranslations("Alerts");
  const choice = choiceOf(useSyncExternalStore(subscribeAlertChoice, alertChoiceSnapshot, () => NO_ALERTS));
  const [blocked, setBlocked] = useState<NotifyBlock>(null);
  const unseen = useRef(0);
  const audio = useRef<AudioContext | null>(null);

  useEffect(() => {
    const seen = () => {
      if (document.visibilityState !== "visible") return;
      unseen.current = 0;
      document.title = titleWithCount(document.title, 0);
    };
    document.addEventListener("visibilitychange", seen);
    // A chime remembered from an earlier visit may sound only after this page's first click or key press.
    const wake = () => {
      audio.current ??= new AudioContext();
      void audio.current.resume();
    };
    if (choiceOf(alertChoiceSnapshot()).sound) {
      document.addEventListener("pointerdown", wake, { once: true });
      document.addEventListener("keydown", wake, { once: true });
    }
    return () => {
      document.removeEventListener("visibilitychange", seen);
      document.removeEventListener("pointerdown", wake);
      document.removeEventListener("keydown", wake);
    };
  }, []);

  const toggleNotify = useCallback(async () => {
    if (choice.notify) return saveAlertChoice({ ...choice, notify: false });
    if (!("Notification" in window)) return setBlocked("unsupported");
    // Asked only now, on the visitor's click: browsers ignore (and penalise) a request nobody asked for.
    const permission =
      Notification.permission === "default" ? await Notification.requestPermission() : Notification.permission;
    setBlocked(permission === "granted" ? null : "denied");
    if (permission === "granted") saveAlertChoice({ ...choice, notify: true });
  }, [choice]);

  const toggleSound = useCallback(() => {
    if (!choice.sound) {
      // Created on the click: a page may play sound only once the visitor has interacted with it.
      audio.current ??= new AudioContext();
      void audio.current.resume();
    }
    saveAlertChoice({ ...choice, sound: !choice.sound });
  }, [choice]);

  const arrived = useCallback(
    (message: Message) => {
      if (document.visibilityState === "visible") return;
      unseen.current += 1;
      document.title = titleWithCount(document.title, unseen.current);
      if (choice.notify && "Notification" in window && Notification.permission === "granted") {
        // A notification is plain text to the system: the SMS cannot inject anything here.
        const notification = new Notification(
          message.code ? t("titleWithCode", { code: message.code }) : t("title", { from: message.from }),
          { body: `${message.from}: ${message.text}`.slice(0, 180), tag: `numbox-${message.id}` },
        );
        notification.onclick = () => {
          window.focus();
          notification.close();
        };
      }
      if (choice.sound && audio.current?.state === "running") chime(audio.current);
    },
    [choice, t],
  );

  return { choice, blocked, toggleNotify, toggleSound, arrived };
}
