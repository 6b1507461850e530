import { Link } from "react-router";
import { useMe } from "../../auth/queries";
import { ErrorState, LoadingState } from "../../components/States";
import { WebhooksManager } from "../../components/webhooks/WebhooksManager";
import { usePageTitle } from "../../lib/usePageTitle";
import { NoticePage } from "../../components/NoticePage";

const ORGANISATION = { slug: null };

/** The organisation's webhooks, for administrators (the API refuses anyone else). */
export function WebhooksSettingsPage() {
  usePageTitle("Organisation webhooks");
  const me = useMe();

  if (me.isPending) return <LoadingState label="Loading…" />;
  if (me.isError) {
    return (
      <div className="page page--narrow">
        <ErrorState error={me.error} onRetry={() => void me.refetch()} />
      </div>
    );
  }
  if (me.data.role !== "admin") {
    return (
      <NoticePage
        eyebrow="Administrators only"
        title="Organisation webhooks"
        actions={
          <Link className="btn btn--secondary" to="/settings">
            Back to settings
          </Link>
        }
      >
        Only administrators connect the whole organisation to other services. A community’s stewards manage its own
        webhooks from the community’s settings.
      </NoticePage>
    );
  }

  return (
    <div className="page page--narrow">
      <nav aria-label="Breadcrumb" className="breadcrumb">
        <Link to="/settings">Settings</Link>
      </nav>
      <header className="page__header">
        <h1>Organisation webhooks</h1>
        <p className="page__lead">
          Send events from every public community to your own services as they happen (private communities only when
          you choose). Each delivery is signed, so your receiver can check it came from Leaderful.
        </p>
      </header>
      <WebhooksManager owner={ORGANISATION} />
    </div>
  );
}
