import { useQuery, useQueryClient } from "@tanstack/react-query";
import { useEffect, useRef, useState, type SubmitEvent } from "react";
import { Link, useNavigate, useParams } from "react-router";
import { ApiError } from "../../api/errors";
import type { Community, CommunityUpdate } from "../../api/types";
import type { Versioned } from "../../api/client";
import { useMe } from "../../auth/queries";
import { Alert } from "../../components/Alert";
import { Button } from "../../components/Button";
import { ErrorState, LoadingState } from "../../components/States";
import { useFormErrors } from "../../lib/formErrors";
import { usePageTitle } from "../../lib/usePageTitle";
import { CommunityForm } from "./CommunityForm";
import { CommunityNotFound } from "./CommunityNotFound";
import {
  FIELDS,
  changesBetween,
  mergeNewer,
  validate,
  valuesOf,
  withSettings,
  type FieldName,
  type Values,
} from "./communityForm";
import { JOIN_POLICY_LABELS } from "./labels";
import { abilitiesFor } from "./permissions";
import { communityQueryOptions, useUpdateCommunity } from "../../queries/communities";
import { NoticePage } from "../../components/NoticePage";

export function EditCommunityPage() {
  const { slug = "" } = useParams();
  const { data: me } = useMe();
  // Always read the current version (and its ETag) before editing.
  const community = useQuery({ ...communityQueryOptions(slug), staleTime: 0, refetchOnMount: "always" });
  const notFound = community.error instanceof ApiError && community.error.status === 404;
  usePageTitle(notFound ? "Community not found" : community.data ? `Edit ${community.data.data.name}` : "Edit community");

  if (community.isError) {
    if (notFound) return <CommunityNotFound />;
    return (
      <div className="page page--narrow">
        <ErrorState error={community.error} title="This community didn’t load" onRetry={() => void community.refetch()} />
      </div>
    );
  }
  if (!community.isFetchedAfterMount) return <LoadingState label="Loading the community…" />;
  const current = community.data;
  if (!current) return <LoadingState label="Loading the community…" />;

  const abilities = abilitiesFor(current.data, me);
  if (!abilities.canEdit) {
    return (
      <NoticePage
        eyebrow="Stewards only"
        title={`You can’t edit ${current.data.name}`}
        actions={
          <Link className="btn btn--secondary" to={`/communities/${current.data.slug}`}>
            Back to the community
          </Link>
        }
      >
        {current.data.archived_at
          ? "This community is archived, so it can no longer be changed."
          : "Only the community’s stewards can change its name, purpose and settings. If something should change, suggest it to them, or nominate someone to lead."}
      </NoticePage>
    );
  }
  return <EditCommunityForm key={current.data.id} initial={current} />;
}

const FIELD_LABELS: Record<FieldName, string> = {
  name: "Name",
  slug: "Web address",
  purpose: "Purpose",
  description: "Description",
  visibility: "Visibility",
  join_policy: "Who can join",
  tags: "Tags",
  steward_term_days: "Steward term",
  nudge_after_minutes: "Ask experts after",
};

function describeValue(field: FieldName, community: Community): string {
  switch (field) {
    case "visibility":
      return community.visibility === "private" ? "Private" : "Public";
    case "join_policy":
      return JOIN_POLICY_LABELS[community.join_policy];
    case "tags":
      return community.tags.length ? community.tags.join(", ") : "No tags";
    case "steward_term_days":
      return community.steward_term_days === null ? "No fixed terms" : `${community.steward_term_days} days`;
    case "nudge_after_minutes":
      return community.nudge_after_minutes === 0 ? "Off" : `${community.nudge_after_minutes} minutes`;
    case "description":
      return community.description.trim() ? community.description : "No description";
    default:
      return valuesOf(community)[field];
  }
}

/** One save: what was sent, on top of which version, and the form as it was. */
interface Attempt {
  changes: CommunityUpdate;
  etag: string | null;
  base: Values;
  mine: Values;
}

interface Conflict {
  newer: Community;
  changedByThem: FieldName[];
  conflicts: FieldName[];
}

function EditCommunityForm({ initial }: { initial: Versioned<Community> }) {
  const queryClient = useQueryClient();
  const navigate = useNavigate();
  const slug = initial.data.slug;
  /** The version the edits are based on, and its ETag for If-Match. */
  const [base, setBase] = useState<{ values: Values; etag: string | null }>(() => ({
    values: valuesOf(initial.data),
    etag: initial.etag,
  }));
  const [values, setValues] = useState<Values>(base.values);
  const [conflict, setConflict] = useState<Conflict | null>(null);
  const [notice, setNotice] = useState<string | null>(null);
  const [loadingNewer, setLoadingNewer] = useState(false);
  const [form, formRef] = useFormErrors(FIELDS);
  const conflictHeading = useRef<HTMLHeadingElement>(null);

  useEffect(() => {
    if (conflict) conflictHeading.current?.focus();
  }, [conflict]);

  async function showNewerVersion(attempt: Attempt) {
    setLoadingNewer(true);
    try {
      const newer = await queryClient.query({ ...communityQueryOptions(slug), staleTime: 0 });
      const theirs = valuesOf(newer.data);
      const { merged, conflicts, changedByThem } = mergeNewer(attempt.base, attempt.mine, theirs);
      setBase({ values: theirs, etag: newer.etag });
      setValues(merged);
      setConflict({ newer: newer.data, changedByThem, conflicts });
    } catch (error) {
      form.showServerError(error);
    } finally {
      setLoadingNewer(false);
    }
  }

  const mutation = useUpdateCommunity<Attempt>(slug, {
    onSuccess: async () => {
      await navigate(`/communities/${slug}`, { state: { notice: "Your changes are saved." } });
    },
    onError: (error, attempt) => {
      if (error instanceof ApiError && error.status === 412) {
        void showNewerVersion(attempt);
        return;
      }
      form.showServerError(error);
    },
  });

  function handleFieldChange(field: FieldName, value: string) {
    setValues((current) => withSettings(current, { [field]: value }));
    form.clearField(field);
    setNotice(null);
  }

  function handleSubmit(event: SubmitEvent<HTMLFormElement>) {
    event.preventDefault();
    if (mutation.isPending || loadingNewer || !form.check(validate(values, "edit"))) return;
    const changes = changesBetween(base.values, values);
    if (Object.keys(changes).length === 0) {
      setConflict(null);
      setNotice("Nothing to save: the community already reads like this.");
      return;
    }
    setNotice(null);
    setConflict(null);
    mutation.mutate({ changes, etag: base.etag, base: base.values, mine: values });
  }

  function discardMine() {
    setValues(base.values);
    setConflict(null);
    form.reset();
    setNotice("Your edits are discarded; the form shows the latest version.");
  }

  return (
    <div className="page page--narrow">
      <nav aria-label="Breadcrumb" className="breadcrumb">
        <Link to="/communities">Communities</Link>
        <span aria-hidden="true"> / </span>
        <Link to={`/communities/${slug}`}>{initial.data.name}</Link>
      </nav>
      <header className="page__header">
        <h1>Edit community</h1>
        <p className="page__lead">Keep the purpose sharp: it’s how people decide whether this community is for them.</p>
      </header>
      <section className="panel" aria-label="Community settings">
        <CommunityForm
          mode="edit"
          values={values}
          onFieldChange={handleFieldChange}
          errors={form.errors}
          formRef={formRef}
          onSubmit={handleSubmit}
          pending={mutation.isPending || loadingNewer}
          submitLabel="Save changes"
          pendingLabel={loadingNewer ? "Loading the latest version…" : "Saving…"}
          cancelTo={`/communities/${slug}`}
          before={
            <>
              {notice && <Alert tone="info">{notice}</Alert>}
              {conflict && (
                <section className="conflict" aria-labelledby="conflict-title">
                  <h2 id="conflict-title" className="conflict__title" ref={conflictHeading} tabIndex={-1} data-focus-target>
                    Someone changed this community meanwhile
                  </h2>
                  <p>
                    Your changes weren’t saved, so nothing was overwritten. This is what changed since you opened the
                    form:
                  </p>
                  {conflict.changedByThem.length > 0 ? (
                    <dl className="conflict__list">
                      {conflict.changedByThem.map((field) => (
                        <div key={field} className="conflict__item">
                          <dt>{FIELD_LABELS[field]}</dt>
                          <dd>
                            <span className="conflict__value">{describeValue(field, conflict.newer)}</span>
                            {conflict.conflicts.includes(field) && (
                              <span className="conflict__mine"> You changed this too: saving keeps your version.</span>
                            )}
                          </dd>
                        </div>
                      ))}
                    </dl>
                  ) : (
                    <p>Only its internal version changed; none of the fields you can edit differ.</p>
                  )}
                  <p>
                    Fields you hadn’t touched now show the newer values; your own edits are kept. Review them, then
                    save again.
                  </p>
                  <div className="form__actions">
                    <Button type="submit" loading={mutation.isPending}>
                      Save my changes again
                    </Button>
                    <Button variant="secondary" onClick={discardMine}>
                      Discard my changes
                    </Button>
                  </div>
                </section>
              )}
            </>
          }
        />
      </section>
      <section className="panel" aria-labelledby="integrations-title">
        <div className="panel__header">
          <h2 id="integrations-title">Integrations</h2>
          <p className="panel__lead">
            Webhooks send this community’s events to your own services as they happen: new posts, comments, accepted
            answers, reactions and approved members.
          </p>
        </div>
        <Link className="btn btn--secondary" to={`/communities/${slug}/webhooks`}>
          Manage webhooks
        </Link>
      </section>
    </div>
  );
}
