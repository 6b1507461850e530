import { useQuery } from "@tanstack/react-query";
import { useId } from "react";
import { describeError } from "../../api/errors";
import type { WatchReason } from "../../api/types";
import { Button } from "../../components/Button";
import { useWatchPost, watchingQueryOptions } from "../../queries/posts";

const REASONS: Record<WatchReason, string> = {
  author: "You wrote this post.",
  commenter: "You commented here.",
  explicit: "You chose to watch it.",
};

/**
 * Watch / Watching: be told of every new comment on the post. The state is the server's
 * (`GET /posts/{id}/watch`): authors and commenters watch without pressing anything.
 */
export function WatchButton({ postId }: { postId: string }) {
  const state = useQuery(watchingQueryOptions(postId));
  const watch = useWatchPost(postId);
  const reasonId = useId();

  if (state.isPending) {
    return (
      <Button variant="secondary" size="sm" loading aria-label="Watch: checking whether you watch this post">
        Watch
      </Button>
    );
  }
  if (state.isError) {
    return (
      <span className="watch watch--error" role="alert">
        <span className="field__error">Couldn’t tell whether you watch this post: {describeError(state.error)}</span>{" "}
        <Button
          variant="ghost"
          size="sm"
          onClick={() => {
            void state.refetch();
          }}
        >
          Try again
        </Button>
      </span>
    );
  }

  const { watching, reason } = state.data;
  return (
    <>
      <Button
        variant="secondary"
        size="sm"
        aria-pressed={watching}
        aria-describedby={reason ? reasonId : undefined}
        loading={watch.isPending}
        title={watching ? "You’re told of every new comment. Press to stop." : "Be told of every new comment."}
        onClick={() => {
          watch.mutate(!watching);
        }}
      >
        {watching ? "Watching" : "Watch"}
      </Button>
      {watching && reason && (
        <span id={reasonId} className="watch__reason">
          {REASONS[reason]}
        </span>
      )}
      {watch.isError && (
        <span role="alert" className="field__error">
          {describeError(watch.error)}
        </span>
      )}
    </>
  );
}
