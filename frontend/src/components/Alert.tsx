import type { ReactNode } from "react";
import { cx } from "../lib/cx";

type Tone = "info" | "success" | "warning" | "error";

const ICONS: Record<Tone, string> = {
  info: "M8 1a7 7 0 1 1 0 14A7 7 0 0 1 8 1Zm.75 6h-1.5v4.75h1.5V7ZM8 3.9a.95.95 0 1 0 0 1.9.95.95 0 0 0 0-1.9Z",
  success: "M8 1a7 7 0 1 1 0 14A7 7 0 0 1 8 1Zm3.03 4.47L7 9.5 4.97 7.47 3.9 8.53 7 11.6l5.1-5.07-1.07-1.06Z",
  warning: "M8.87 1.5 15.4 13a1 1 0 0 1-.87 1.5H1.47A1 1 0 0 1 .6 13L7.13 1.5a1 1 0 0 1 1.74 0ZM8 10.6a.9.9 0 1 0 0 1.8.9.9 0 0 0 0-1.8Zm.75-5.6h-1.5l.2 4.5h1.1l.2-4.5Z",
  error: "M8 1a7 7 0 1 1 0 14A7 7 0 0 1 8 1Zm0 9.75a.9.9 0 1 0 0 1.8.9.9 0 0 0 0-1.8ZM8.75 4h-1.5l.2 5.25h1.1L8.75 4Z",
};

interface AlertProps {
  tone?: Tone;
  title?: ReactNode;
  children?: ReactNode;
  className?: string;
}

/** Errors are announced assertively (role="alert"); everything else politely (role="status"). */
export function Alert({ tone = "info", title, children, className }: AlertProps) {
  return (
    <div className={cx("alert", `alert--${tone}`, className)} role={tone === "error" ? "alert" : "status"}>
      <svg className="alert__icon" viewBox="0 0 16 16" aria-hidden="true" focusable="false">
        <path fill="currentColor" d={ICONS[tone]} />
      </svg>
      <div className="alert__body">
        {title && <p className="alert__title">{title}</p>}
        {children && <div className="alert__text">{children}</div>}
      </div>
    </div>
  );
}
