import { useQuery } from "@tanstack/react-query";
import { Link, useParams } from "react-router";
import { ApiError } from "../../api/errors";
import { useMe } from "../../auth/queries";
import { ErrorState, LoadingState } from "../../components/States";
import { WebhooksManager } from "../../components/webhooks/WebhooksManager";
import { usePageTitle } from "../../lib/usePageTitle";
import { communityQueryOptions } from "../../queries/communities";
import { CommunityNotFound } from "./CommunityNotFound";
import { abilitiesFor } from "./permissions";
import { NoticePage } from "../../components/NoticePage";

/** A community's webhooks, for its stewards (the API refuses anyone else). */
export function CommunityWebhooksPage() {
  const { slug = "" } = useParams();
  const { data: me } = useMe();
  const community = useQuery(communityQueryOptions(slug));
  const notFound = community.error instanceof ApiError && community.error.status === 404;
  usePageTitle(
    notFound ? "Community not found" : community.data ? `Webhooks · ${community.data.data.name}` : "Webhooks",
  );

  if (community.isError) {
    if (notFound) return <CommunityNotFound />;
    return (
      <div className="page page--narrow">
        <ErrorState error={community.error} title="This community didn’t load" onRetry={() => void community.refetch()} />
      </div>
    );
  }
  if (!community.data) return <LoadingState label="Loading the community…" />;
  const current = community.data.data;

  if (!abilitiesFor(current, me).canEdit) {
    return (
      <NoticePage
        eyebrow="Stewards only"
        title={`You can’t manage ${current.name}’s webhooks`}
        actions={
          <Link className="btn btn--secondary" to={`/communities/${current.slug}`}>
            Back to the community
          </Link>
        }
      >
        {current.archived_at
          ? "This community is archived, so its integrations can no longer be changed."
          : "Only the community’s stewards connect it to other services. Ask one of them if you need its events."}
      </NoticePage>
    );
  }

  return (
    <div className="page page--narrow">
      <nav aria-label="Breadcrumb" className="breadcrumb">
        <Link to="/communities">Communities</Link>
        <span aria-hidden="true"> / </span>
        <Link to={`/communities/${current.slug}`}>{current.name}</Link>
        <span aria-hidden="true"> / </span>
        <Link to={`/communities/${current.slug}/edit`}>Settings</Link>
      </nav>
      <header className="page__header">
        <h1>Webhooks</h1>
        <p className="page__lead">
          Send {current.name}’s events (new posts, comments, accepted answers…) to your own services as they happen.
          Each delivery is signed, so your receiver can check it came from Leaderful.
        </p>
      </header>
      <WebhooksManager owner={{ slug: current.slug }} />
    </div>
  );
}
