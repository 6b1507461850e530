import { useEffect, useState } from "react";

const PREFIX = "leaderful:draft:";
const SAVE_DELAY_MS = 400;

function read<T>(key: string, isValid: (value: unknown) => value is T): T | null {
  try {
    const raw = window.localStorage.getItem(PREFIX + key);
    if (!raw) return null;
    const parsed: unknown = JSON.parse(raw);
    return isValid(parsed) ? parsed : null;
  } catch {
    return null; // storage off (private mode) or a damaged entry: start empty
  }
}

function write(key: string, value: unknown): void {
  try {
    if (value === null) window.localStorage.removeItem(PREFIX + key);
    else window.localStorage.setItem(PREFIX + key, JSON.stringify(value));
  } catch {
    // Storage full or off: the draft only lives as long as the page.
  }
}

/**
 * Form values kept in this browser's localStorage under `key` while they are typed, so leaving
 * the page (or a reload) does not lose them. `isEmpty` values are not kept; `clear` forgets the
 * draft (after posting, or when the person discards it). `restored` says the values came back.
 */
export function useDraft<T>(
  key: string,
  initial: () => T,
  isEmpty: (value: T) => boolean,
  isValid: (value: unknown) => value is T,
) {
  const [state, setState] = useState(() => {
    const saved = read(key, isValid);
    return { values: saved ?? initial(), restored: saved !== null && !isEmpty(saved) };
  });

  useEffect(() => {
    const timer = setTimeout(() => {
      write(key, isEmpty(state.values) ? null : state.values);
    }, SAVE_DELAY_MS);
    return () => {
      clearTimeout(timer);
    };
  }, [key, state.values, isEmpty]);

  return {
    values: state.values,
    restored: state.restored,
    setValues: (update: (current: T) => T) => {
      setState((current) => ({ ...current, values: update(current.values) }));
    },
    clear: (next: T) => {
      write(key, null);
      setState({ values: next, restored: false });
    },
  };
}
