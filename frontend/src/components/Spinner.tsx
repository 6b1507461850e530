import { cx } from "../lib/cx";

/** Decorative: pair it with visible or visually hidden text that says what is loading. */
export function Spinner({ size = "md" }: { size?: "sm" | "md" | "lg" }) {
  return <span className={cx("spinner", `spinner--${size}`)} aria-hidden="true" />;
}
