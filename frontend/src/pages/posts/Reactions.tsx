import type { UseMutationResult } from "@tanstack/react-query";
import { describeError } from "../../api/errors";
import type { ReactionCounts, ReactionKind } from "../../api/types";
import { Alert } from "../../components/Alert";
import { REACTIONS, REACTION_LABELS } from "../../lib/postLabels";
import type { ReactionToggle } from "../../queries/posts";

const ICONS: Record<ReactionKind, string> = {
  like: "M8 14s-5.5-3.3-5.5-7.2A3 3 0 0 1 8 5a3 3 0 0 1 5.5 1.8C13.5 10.7 8 14 8 14Z",
  helpful: "M6.5 11.2 3.3 8l-1 1 4.2 4.2 8-8-1-1z",
  insightful:
    "M8 1.5a4.5 4.5 0 0 0-2.6 8.2V12h5.2V9.7A4.5 4.5 0 0 0 8 1.5ZM6 13.2h4v1.3H6z",
};

interface ReactionsProps {
  counts: ReactionCounts;
  mine: readonly string[];
  /** Why the caller can't react (own post, not a member; "" to say nothing); null when they can. */
  readOnlyReason: string | null;
  /** The feature's reaction mutation (usePostReaction, useCommentReaction). */
  toggle: UseMutationResult<void, Error, ReactionToggle>;
  /** Names the group, e.g. "Reactions to this post". */
  label: string;
}

/** Like / Helpful / Insightful as toggle buttons (aria-pressed), or plain counts where the caller can't react. */
export function Reactions({ counts, mine, readOnlyReason, toggle, label }: ReactionsProps) {

  if (readOnlyReason !== null) {
    const given = REACTIONS.filter((kind) => counts[kind] > 0);
    if (given.length === 0 && !readOnlyReason) return null;
    return (
      <div className="reactions">
        {given.length > 0 && (
          <ul className="reactions__counts" aria-label={label}>
            {given.map((kind) => (
              <li key={kind} className="reaction reaction--static">
                <ReactionIcon kind={kind} />
                {REACTION_LABELS[kind]} <span className="reaction__count">{counts[kind]}</span>
              </li>
            ))}
          </ul>
        )}
        {readOnlyReason && <p className="reactions__note">{readOnlyReason}</p>}
      </div>
    );
  }

  return (
    <div className="reactions">
      <div className="reactions__buttons" role="group" aria-label={label}>
        {REACTIONS.map((kind) => {
          const pressed = mine.includes(kind);
          const busy = toggle.isPending && toggle.variables.kind === kind;
          return (
            <button
              key={kind}
              type="button"
              className="reaction"
              aria-pressed={pressed}
              aria-busy={busy || undefined}
              onClick={() => {
                if (!toggle.isPending) toggle.mutate({ kind, on: !pressed });
              }}
            >
              <ReactionIcon kind={kind} />
              {REACTION_LABELS[kind]} <span className="reaction__count">{counts[kind]}</span>
            </button>
          );
        })}
      </div>
      {toggle.isError && <Alert tone="error">{describeError(toggle.error)}</Alert>}
    </div>
  );
}

function ReactionIcon({ kind }: { kind: ReactionKind }) {
  return (
    <svg className="reaction__icon" viewBox="0 0 16 16" aria-hidden="true" focusable="false">
      <path fill="currentColor" d={ICONS[kind]} />
    </svg>
  );
}
