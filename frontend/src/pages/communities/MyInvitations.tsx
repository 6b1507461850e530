import { useInfiniteQuery } from "@tanstack/react-query";
import { Link } from "react-router";
import { Avatar } from "../../components/Avatar";
import { Button } from "../../components/Button";
import { formatDate } from "../../lib/format";
import { invitationsQueryOptions } from "../../queries/communities";

/** Pending invitations to communities, shown above the directory. Nothing when there are none. */
export function MyInvitations() {
  const invitations = useInfiniteQuery(invitationsQueryOptions());
  const items = invitations.data?.pages.flatMap((page) => page.items) ?? [];

  // The directory is the page's point: a failed or empty invitation list stays out of the way.
  if (invitations.isPending || items.length === 0) {
    if (invitations.isError) {
      return (
        <p className="muted-note" role="status">
          Your invitations didn’t load.{" "}
          <Button variant="ghost" size="sm" onClick={() => void invitations.refetch()}>
            Try again
          </Button>
        </p>
      );
    }
    return null;
  }

  return (
    <section className="panel panel--highlight" aria-labelledby="invitations-title">
      <div className="panel__header">
        <h2 id="invitations-title">You’re invited</h2>
        <p className="panel__lead">
          {items.length === 1 ? "A community has" : `${items.length} communities have`} invited you to join.
        </p>
      </div>
      <ul className="invitation-list">
        {items.map((invitation) => (
          <li key={invitation.id} className="invitation-list__item">
            <Avatar name={invitation.invited_by.display_name} url={invitation.invited_by.avatar_url} size="sm" />
            <div className="invitation-list__main">
              <p className="invitation-list__name">{invitation.community.name}</p>
              <p className="invitation-list__meta">
                Invited by {invitation.invited_by.display_name} on {formatDate(invitation.created_at)}
              </p>
            </div>
            <Link
              className="btn btn--secondary btn--sm"
              to={`/communities/${invitation.community.slug}`}
              aria-label={`View ${invitation.community.name}`}
            >
              View
            </Link>
          </li>
        ))}
      </ul>
      {invitations.hasNextPage && (
        <Button
          variant="secondary"
          size="sm"
          loading={invitations.isFetchingNextPage}
          onClick={() => void invitations.fetchNextPage()}
        >
          {invitations.isFetchingNextPage ? "Loading…" : "Show more invitations"}
        </Button>
      )}
    </section>
  );
}
