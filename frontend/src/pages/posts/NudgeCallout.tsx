import { useState } from "react";
import { describeError } from "../../api/errors";
import type { Nudge } from "../../api/types";
import { Button } from "../../components/Button";
import { useDismissNudge } from "../../queries/posts";

/**
 * The caller was asked to answer this question (a follow-the-sun nudge): why, and "Not for me",
 * which stops further nudges about it. Once dismissed it says so briefly, then stays out of the way.
 */
export function NudgeCallout({ postId, nudge }: { postId: string; nudge: Nudge }) {
  const [justDismissed, setJustDismissed] = useState(false);
  const dismiss = useDismissNudge(postId, {
    onSuccess: () => {
      setJustDismissed(true);
    },
  });
  if (nudge.dismissed) {
    return justDismissed ? (
      <p className="muted-note" role="status">
        Noted: we won’t ask you about this question again.
      </p>
    ) : null;
  }
  return (
    <aside className="nudge-callout" aria-labelledby="nudge-title">
      <p id="nudge-title" className="nudge-callout__title">
        You were asked to help with this question
      </p>
      <p>Because {nudge.reason}.</p>
      <div className="button-row button-row--start">
        <Button
          variant="secondary"
          size="sm"
          loading={dismiss.isPending}
          onClick={() => {
            dismiss.mutate();
          }}
        >
          Not for me
        </Button>
      </div>
      {dismiss.isError && (
        <p role="alert" className="field__error">
          {describeError(dismiss.error)}
        </p>
      )}
    </aside>
  );
}
