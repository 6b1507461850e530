import { describeError } from "../../api/errors";
import type { Community } from "../../api/types";
import { Alert } from "../Alert";
import { Button } from "../Button";
import { useJoinCommunity } from "../../queries/communities";

/**
 * For someone who is not a member of an open community yet: asking is one click, which joins
 * them and opens the question composer.
 */
export function JoinToPost({ community, onJoined }: { community: Community; onJoined: () => void }) {
  const join = useJoinCommunity(community, {
    onSuccess: (membership) => {
      if (membership.status === "active") onJoined();
    },
  });
  return (
    <section className="panel composer-panel" aria-labelledby="join-to-post-title">
      <div className="panel__header">
        <h3 id="join-to-post-title" className="section-title">
          Share with the community
        </h3>
        <p className="panel__lead">Anyone can join {community.name}. Asking a question makes you a member.</p>
      </div>
      {join.isError && <Alert tone="error">{describeError(join.error)}</Alert>}
      <div className="button-row">
        <Button
          loading={join.isPending}
          onClick={() => {
            join.mutate();
          }}
        >
          {join.isPending ? "Joining…" : "Join and ask a question"}
        </Button>
      </div>
    </section>
  );
}
