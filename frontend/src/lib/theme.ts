/**
 * The colour theme: System (the default, following the device), Light or Dark, remembered in
 * this browser. `<html data-theme>` always holds the theme in effect ("light" or "dark"); the
 * CSS reads only that attribute. public/theme.js sets it before the first paint; this module
 * keeps it current when the choice changes (here or in another tab) or, on System, when the
 * device switches.
 */
import { useSyncExternalStore } from "react";

export type ThemeChoice = "system" | "light" | "dark";
export const THEME_CHOICES: readonly ThemeChoice[] = ["system", "light", "dark"];
export const THEME_LABELS: Record<ThemeChoice, string> = { system: "System", light: "Light", dark: "Dark" };

const KEY = "leaderful:theme";
const DARK_QUERY = "(prefers-color-scheme: dark)";
const listeners = new Set<() => void>();

function isChoice(value: unknown): value is ThemeChoice {
  return value === "system" || value === "light" || value === "dark";
}

export function storedTheme(): ThemeChoice {
  try {
    const value = window.localStorage.getItem(KEY);
    return isChoice(value) ? value : "system";
  } catch {
    return "system";
  }
}

function systemIsDark(): boolean {
  return typeof window.matchMedia === "function" && window.matchMedia(DARK_QUERY).matches;
}

export function resolvedTheme(choice: ThemeChoice): "light" | "dark" {
  return choice === "dark" || (choice === "system" && systemIsDark()) ? "dark" : "light";
}

function apply(choice: ThemeChoice) {
  document.documentElement.dataset.theme = resolvedTheme(choice);
  for (const listener of listeners) listener();
}

export function setTheme(choice: ThemeChoice) {
  try {
    if (choice === "system") window.localStorage.removeItem(KEY);
    else window.localStorage.setItem(KEY, choice);
  } catch {
    // Not remembered, but still applied to this page.
  }
  apply(choice);
}

/** Follows the device on System and choices made in other tabs; call once at start-up. */
export function watchTheme(): () => void {
  apply(storedTheme());
  const media = typeof window.matchMedia === "function" ? window.matchMedia(DARK_QUERY) : null;
  const onSystem = () => {
    if (storedTheme() === "system") apply("system");
  };
  const onStorage = (event: StorageEvent) => {
    if (event.key === KEY || event.key === null) apply(storedTheme());
  };
  media?.addEventListener("change", onSystem);
  window.addEventListener("storage", onStorage);
  return () => {
    media?.removeEventListener("change", onSystem);
    window.removeEventListener("storage", onStorage);
  };
}

function subscribe(listener: () => void) {
  listeners.add(listener);
  return () => {
    listeners.delete(listener);
  };
}

/** The reader's choice (not what it resolves to), kept current. */
export function useThemeChoice(): ThemeChoice {
  return useSyncExternalStore(subscribe, storedTheme, () => "system");
}
