import { useEffect, useRef, useState } from "react";
import { Link } from "react-router";
import type { Community, Post, PostKind } from "../../api/types";
import { Button } from "../../components/Button";
import { KIND_LABELS } from "../../lib/postLabels";
import { PostComposer } from "./PostComposer";

/**
 * `short`: the visible label on phones, where the three secondary buttons share one row. It is
 * part of the full label, which stays the button's accessible name (so "Best practice" works
 * for voice control, and a screen reader hears "Share a best practice" at any width).
 */
const STARTERS: readonly { kind: PostKind; label: string; short?: string }[] = [
  { kind: "question", label: "Ask a question" },
  { kind: "best_practice", label: "Share a best practice", short: "Best practice" },
  { kind: "resource", label: "Share a resource", short: "Resource" },
  { kind: "discussion", label: "Start a discussion", short: "Discussion" },
];

interface ComposerPanelProps {
  communities: readonly Community[];
  title: string;
  lead?: string;
  headingLevel?: 2 | 3;
  /** One community, chosen by the page (its Posts tab). */
  fixed?: boolean;
  /** Open the composer for this kind at once (someone who just joined to ask). */
  startWith?: PostKind;
}

/**
 * Buttons that open the composer for one kind of post; after posting, the form closes and a
 * message with a link to the new post takes its place (and the focus).
 */
export function ComposerPanel({ communities, title, lead, headingLevel = 2, fixed = false, startWith }: ComposerPanelProps) {
  const Heading = headingLevel === 3 ? "h3" : "h2";
  const [kind, setKind] = useState<PostKind | null>(startWith ?? null);
  const [posted, setPosted] = useState<Post | null>(null);
  const container = useRef<HTMLDivElement>(null);
  const notice = useRef<HTMLParagraphElement>(null);
  const starters = useRef<HTMLDivElement>(null);
  const [focusTarget, setFocusTarget] = useState<"form" | "notice" | "starters" | null>(startWith ? "form" : null);

  useEffect(() => {
    if (focusTarget === "form") container.current?.querySelector<HTMLElement>(".input")?.focus();
    if (focusTarget === "notice") notice.current?.focus();
    if (focusTarget === "starters") starters.current?.querySelector<HTMLElement>("button")?.focus();
  }, [focusTarget, kind, posted]);

  return (
    <section className="panel composer-panel" aria-labelledby="composer-title">
      <div className="panel__header">
        <Heading id="composer-title" className="section-title">
          {title}
        </Heading>
        {lead && <p className="panel__lead">{lead}</p>}
      </div>
      {posted && (
        <div className="alert alert--success" role="status">
          <p className="alert__body" ref={notice} tabIndex={-1}>
            {KIND_LABELS[posted.kind]} posted in {posted.community.name}.{" "}
            <Link to={`/posts/${posted.id}`}>View your post</Link>
          </p>
        </div>
      )}
      {kind === null ? (
        <div className="button-row" ref={starters}>
          {STARTERS.map((starter, index) => (
            <Button
              key={starter.kind}
              variant={index === 0 ? "primary" : "secondary"}
              aria-label={starter.short ? starter.label : undefined}
              onClick={() => {
                setPosted(null);
                setKind(starter.kind);
                setFocusTarget("form");
              }}
            >
              {starter.short ? (
                <>
                  <span className="composer-panel__label">{starter.label}</span>
                  <span className="composer-panel__label composer-panel__label--short">{starter.short}</span>
                </>
              ) : (
                starter.label
              )}
            </Button>
          ))}
        </div>
      ) : (
        <div ref={container}>
          <PostComposer
            communities={communities}
            fixed={fixed}
            initialKind={kind}
            onPosted={(post) => {
              setPosted(post);
              setKind(null);
              setFocusTarget("notice");
            }}
            onCancel={() => {
              setKind(null);
              setFocusTarget("starters");
            }}
          />
        </div>
      )}
    </section>
  );
}
