import { useQuery } from "@tanstack/react-query";
import { describeError } from "../../api/errors";
import { Button } from "../../components/Button";
import { useWatchPost, watchingQueryOptions } from "../../queries/posts";

/**
 * Watch / Watching: be told of every new comment on the post. `assumed` is what the server does
 * unasked (authors and commenters watch), shown until the caller chooses here.
 */
export function WatchButton({ postId, assumed }: { postId: string; assumed: boolean }) {
  const { data: chosen } = useQuery(watchingQueryOptions(postId));
  const watching = chosen ?? assumed;
  const watch = useWatchPost(postId);
  return (
    <>
      <Button
        variant="secondary"
        size="sm"
        aria-pressed={watching}
        loading={watch.isPending}
        title={watching ? "You’re told of every new comment. Press to stop." : "Be told of every new comment."}
        onClick={() => {
          watch.mutate(!watching);
        }}
      >
        {watching ? "Watching" : "Watch"}
      </Button>
      {watch.isError && (
        <span role="alert" className="field__error">
          {describeError(watch.error)}
        </span>
      )}
    </>
  );
}
