import { useEffect, useState } from "react";
import { Button } from "./Button";

type CopyState = "idle" | "copied" | "failed";

/** Copies `value` to the clipboard and says so (politely) to screen readers. */
export function CopyButton({ value, label = "Copy" }: { value: string; label?: string }) {
  const [state, setState] = useState<CopyState>("idle");

  useEffect(() => {
    if (state === "idle") return;
    const timer = setTimeout(() => {
      setState("idle");
    }, 2500);
    return () => {
      clearTimeout(timer);
    };
  }, [state]);

  async function copy() {
    try {
      await navigator.clipboard.writeText(value);
      setState("copied");
    } catch {
      setState("failed");
    }
  }

  return (
    <span className="copy-button">
      <Button variant="secondary" size="sm" onClick={() => void copy()}>
        <svg viewBox="0 0 16 16" width="16" height="16" aria-hidden="true" focusable="false">
          <path
            fill="currentColor"
            d="M5 1.5h7A1.5 1.5 0 0 1 13.5 3v8a1.5 1.5 0 0 1-1.5 1.5H11V11h1V3H5v1H3.5V3A1.5 1.5 0 0 1 5 1.5ZM2.5 5.5h7A1.5 1.5 0 0 1 11 7v6a1.5 1.5 0 0 1-1.5 1.5h-7A1.5 1.5 0 0 1 1 13V7a1.5 1.5 0 0 1 1.5-1.5Zm0 1.5v6h7V7h-7Z"
          />
        </svg>
        {state === "copied" ? "Copied" : label}
      </Button>
      <span className="copy-button__status" role="status">
        {state === "copied" && "Copied to the clipboard."}
        {state === "failed" && "Couldn’t copy automatically. Select the text and copy it."}
      </span>
    </span>
  );
}
