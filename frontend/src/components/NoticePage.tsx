import type { ReactNode } from "react";

/**
 * A whole page that explains why there is nothing here for you (not found, not yours to
 * manage): a small eyebrow ("Stewards only", "404"), a heading, a sentence, and the way on.
 */
export function NoticePage({
  eyebrow,
  title,
  children,
  actions,
}: {
  eyebrow: string;
  title: ReactNode;
  children: ReactNode;
  actions: ReactNode;
}) {
  return (
    <div className="page page--narrow">
      <div className="notice-page">
        <p className="notice-page__eyebrow">{eyebrow}</p>
        <h1>{title}</h1>
        <p className="notice-page__text">{children}</p>
        {actions}
      </div>
    </div>
  );
}
