import { useEffect, useRef } from "react";

/**
 * When an inline panel closes (`open` goes from true to false) and took keyboard focus with it
 * (its submit button unmounted), focus moves back to the element marked `data-return-focus`
 * inside the returned container ref: usually the button that opened the panel.
 */
export function useFocusReturn<T extends HTMLElement>(open: boolean) {
  const container = useRef<T>(null);
  const wasOpen = useRef(open);
  useEffect(() => {
    if (wasOpen.current && !open) {
      const active = document.activeElement;
      if (active === null || active === document.body || !active.isConnected) {
        container.current?.querySelector<HTMLElement>("[data-return-focus]")?.focus();
      }
    }
    wasOpen.current = open;
  }, [open]);
  return container;
}
