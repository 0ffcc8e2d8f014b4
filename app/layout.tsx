import type { ReactNode } from "react";
import "./globals.css";

/**
 * Every page lives under app/[locale], whose layout writes <html lang dir>. This one only carries the
 * stylesheet, and lets app/not-found.tsx exist for the few requests no locale's routes ever see.
 */
export default function RootLayout({ children }: { children: ReactNode }) {
  return children;
}
