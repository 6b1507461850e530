import { useInfiniteQuery } from "@tanstack/react-query";
import { useState, type SubmitEvent } from "react";
import { ApiError, describeError } from "../../api/errors";
import type { Community, Member, Nomination, NominationCreate } from "../../api/types";
import { Alert } from "../../components/Alert";
import { Button } from "../../components/Button";
import { SelectField, TextAreaField, TextField } from "../../components/Field";
import { EmptyState, ErrorState, LoadingState } from "../../components/States";
import { useFormErrors } from "../../lib/formErrors";
import { formatDate, pluralize } from "../../lib/format";
import { ROLE_LABELS } from "./labels";
import type { Abilities } from "./permissions";
import { PersonLine } from "../../components/PersonLine";
import { membersQueryOptions, pendingNominationsQueryOptions, useDecideNomination, useNominate } from "../../queries/communities";

function isForbidden(error: unknown): boolean {
  return error instanceof ApiError && error.status === 403;
}

export function LeadershipPanel({ community, abilities }: { community: Community; abilities: Abilities }) {
  const terms = community.steward_term_days;
  return (
    <div className="stack stack--lg">
      <div className="callout">
        <h3>Leadership rotates here</h3>
        <p>
          {terms
            ? `Stewards serve terms of ${pluralize(terms, "day")}. When a term ends, the steward hands over and returns to being a member, so more people get to lead. The last steward always stays until someone new is nominated.`
            : "Stewards look after the community: its purpose, its members and its leaders. This community has no fixed terms, but anyone can nominate a peer to share the work."}
        </p>
      </div>

      {abilities.canSeeMembers ? (
        <div className="leaders-grid">
          <LeaderList community={community} role="steward" />
          <LeaderList community={community} role="moderator" />
        </div>
      ) : (
        <EmptyState title="Leaders are listed for members">Join the community to see who leads it.</EmptyState>
      )}

      {abilities.canDecideNominations && <PendingNominations community={community} />}
      {abilities.canNominate && <NominateForm community={community} />}
    </div>
  );
}

function LeaderList({ community, role }: { community: Community; role: "steward" | "moderator" }) {
  const leaders = useInfiniteQuery(membersQueryOptions(community.slug, { role, status: "active" }));
  const items = leaders.data?.pages.flatMap((page) => page.items) ?? [];
  const title = role === "steward" ? "Stewards" : "Moderators";
  const headingId = `leaders-${role}`;

  return (
    <section className="stack stack--sm" aria-labelledby={headingId}>
      <h3 id={headingId}>{title}</h3>
      {leaders.isPending ? (
        <LoadingState label={`Loading ${title.toLowerCase()}…`} />
      ) : leaders.isError ? (
        isForbidden(leaders.error) ? (
          <p className="muted-note">Only members can see who leads this community.</p>
        ) : (
          <ErrorState error={leaders.error} title={`${title} didn’t load`} onRetry={() => void leaders.refetch()} />
        )
      ) : items.length === 0 ? (
        <p className="muted-note">
          {role === "moderator" ? "No moderators yet. Nominate someone below." : "No stewards right now."}
        </p>
      ) : (
        <>
          <ul className="member-list">
            {items.map((member) => (
              <li key={member.user.id} className="member-list__item">
                <PersonLine user={member.user}>
                  <p className="person__meta">{leaderMeta(member)}</p>
                </PersonLine>
              </li>
            ))}
          </ul>
          {leaders.hasNextPage && (
            <Button
              variant="secondary"
              size="sm"
              loading={leaders.isFetchingNextPage}
              onClick={() => void leaders.fetchNextPage()}
            >
              Show more {title.toLowerCase()}
            </Button>
          )}
        </>
      )}
    </section>
  );
}

function leaderMeta(member: Member): string {
  if (member.role !== "steward") return `Member since ${formatDate(member.joined_at)}`;
  return member.term_ends_at ? `Term ends ${formatDate(member.term_ends_at)}` : "No fixed term";
}

function PendingNominations({ community }: { community: Community }) {
  const nominations = useInfiniteQuery(pendingNominationsQueryOptions(community.slug));
  const items = nominations.data?.pages.flatMap((page) => page.items) ?? [];
  const [notice, setNotice] = useState<string | null>(null);

  if (nominations.isError && isForbidden(nominations.error)) return null;

  return (
    <section className="stack stack--sm" aria-labelledby="nominations-title">
      <h3 id="nominations-title">Nominations waiting for you</h3>
      {notice && <Alert tone="success">{notice}</Alert>}
      {nominations.isPending ? (
        <LoadingState label="Loading nominations…" />
      ) : nominations.isError ? (
        <ErrorState
          error={nominations.error}
          title="Nominations didn’t load"
          onRetry={() => void nominations.refetch()}
        />
      ) : items.length === 0 ? (
        <p className="muted-note">No nominations are waiting. Members’ nominations will appear here.</p>
      ) : (
        <>
          <ul className="member-list">
            {items.map((nomination) => (
              <NominationRow key={nomination.id} community={community} nomination={nomination} onDecided={setNotice} />
            ))}
          </ul>
          {nominations.hasNextPage && (
            <Button
              variant="secondary"
              size="sm"
              loading={nominations.isFetchingNextPage}
              onClick={() => void nominations.fetchNextPage()}
            >
              Show more nominations
            </Button>
          )}
        </>
      )}
    </section>
  );
}

function NominationRow({
  community,
  nomination,
  onDecided,
}: {
  community: Community;
  nomination: Nomination;
  onDecided: (message: string) => void;
}) {
  const name = nomination.nominee.display_name;
  const role = ROLE_LABELS[nomination.role].toLowerCase();
  const decide = useDecideNomination(community.slug, nomination.id, {
    onSuccess: (decided) => {
      onDecided(
        decided.status === "accepted" ? `${name} is now a ${role}.` : `The nomination of ${name} as ${role} is declined.`,
      );
    },
  });
  const busy = decide.isPending;

  return (
    <li className="member-list__item">
      <PersonLine user={nomination.nominee}>
        <p className="person__meta">
          Nominated as <strong>{role}</strong> by {nomination.nominated_by.display_name} on{" "}
          {formatDate(nomination.created_at)}
        </p>
        {nomination.reason && <blockquote className="nomination__reason">{nomination.reason}</blockquote>}
      </PersonLine>
      <div className="member-list__actions">
        <Button
          size="sm"
          loading={busy && decide.variables === "accept"}
          aria-disabled={busy || undefined}
          aria-label={`Accept ${name} as ${role}`}
          onClick={() => {
            if (!busy) decide.mutate("accept");
          }}
        >
          Accept
        </Button>
        <Button
          variant="secondary"
          size="sm"
          loading={busy && decide.variables === "decline"}
          aria-disabled={busy || undefined}
          aria-label={`Decline ${name} as ${role}`}
          onClick={() => {
            if (!busy) decide.mutate("decline");
          }}
        >
          Decline
        </Button>
      </div>
      {decide.isError && (
        <div className="member-list__error">
          <Alert tone="error">{describeError(decide.error)}</Alert>
        </div>
      )}
    </li>
  );
}

const NOMINATION_FIELDS = ["handle", "role", "reason"] as const;
const REASON_MAX = 500;

function NominateForm({ community }: { community: Community }) {
  const [handle, setHandle] = useState("");
  const [role, setRole] = useState<NominationCreate["role"]>("moderator");
  const [reason, setReason] = useState("");
  const [sent, setSent] = useState<string | null>(null);
  const [form, formRef] = useFormErrors(NOMINATION_FIELDS);

  const mutation = useNominate(community.slug, {
    onSuccess: (nomination) => {
      setSent(
        `Thank you. The stewards will consider ${nomination.nominee.display_name} as ${ROLE_LABELS[nomination.role].toLowerCase()}; they’ve been told too.`,
      );
      setHandle("");
      setReason("");
    },
    onError: (error) => {
      // 404: not a member; 409: already in that role or already nominated. Both are about the person.
      if (error instanceof ApiError && (error.status === 404 || error.status === 409)) {
        form.check({ handle: describeError(error) });
      } else form.showServerError(error);
    },
  });

  function handleSubmit(event: SubmitEvent<HTMLFormElement>) {
    event.preventDefault();
    if (mutation.isPending) return;
    const value = handle.trim().replace(/^@/, "");
    const found: Record<string, string> = {};
    if (value.length < 3) found.handle = "Enter the member’s handle, e.g. grace.";
    if (reason.length > REASON_MAX) found.reason = `Keep the reason to ${REASON_MAX} characters.`;
    if (!form.check(found)) return;
    setSent(null);
    mutation.mutate({ handle: value, role, reason: reason.trim() || null });
  }

  return (
    <form ref={formRef} className="form form--boxed" noValidate onSubmit={handleSubmit} aria-labelledby="nominate-title">
      <div className="panel__header">
        <h3 id="nominate-title">Nominate someone</h3>
        <p className="panel__lead">
          Know a member who already leads by helping others? Propose them as a moderator or steward. The stewards
          decide, and the decision is recorded in the moderation log.
        </p>
      </div>
      {form.errors.message && <Alert tone="error">{form.errors.message}</Alert>}
      {sent && <Alert tone="success">{sent}</Alert>}
      <div className="form-grid">
        <TextField
          label="Member’s handle"
          hint="Their @handle, without the @."
          value={handle}
          autoComplete="off"
          autoCapitalize="off"
          spellCheck={false}
          maxLength={31}
          error={form.errors.fields.handle}
          onChange={(event) => {
            setHandle(event.target.value);
            form.clearField("handle");
            setSent(null);
          }}
        />
        <SelectField
          label="Role"
          hint="Moderators approve requests and keep discussions healthy; stewards look after the purpose, members and leaders."
          value={role}
          error={form.errors.fields.role}
          onChange={(event) => {
            setRole(event.target.value === "steward" ? "steward" : "moderator");
            form.clearField("role");
          }}
        >
          <option value="moderator">Moderator</option>
          <option value="steward">Steward</option>
        </SelectField>
      </div>
      <TextAreaField
        label="Why them?"
        optional
        rows={3}
        maxLength={REASON_MAX}
        hint="A sentence on how they already lead helps the stewards decide."
        value={reason}
        error={form.errors.fields.reason}
        onChange={(event) => {
          setReason(event.target.value);
          form.clearField("reason");
        }}
      />
      <div className="form__actions">
        <Button type="submit" loading={mutation.isPending}>
          {mutation.isPending ? "Sending nomination…" : "Nominate"}
        </Button>
      </div>
    </form>
  );
}
