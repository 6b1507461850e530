import { useInfiniteQuery } from "@tanstack/react-query";
import { useId, useState, type SubmitEvent } from "react";
import { ApiError, describeError } from "../../api/errors";
import type { Community, CommunityRole, Member, PendingInvitation } from "../../api/types";
import { useMe } from "../../auth/queries";
import { Alert } from "../../components/Alert";
import { Button } from "../../components/Button";
import { TextField } from "../../components/Field";
import { EmptyState, ErrorState, LoadingState } from "../../components/States";
import { cx } from "../../lib/cx";
import { useFormErrors } from "../../lib/formErrors";
import { formatDate } from "../../lib/format";
import { ConfirmDialog } from "../../components/ConfirmDialog";
import { ROLE_LABELS } from "./labels";
import { canRemoveMember, type Abilities } from "./permissions";
import { PersonLine } from "../../components/PersonLine";
import {
  communityInvitationsQueryOptions,
  membersQueryOptions,
  useInvite,
  useRemoveMember,
  useRevokeInvitation,
  useUpdateMember,
} from "../../queries/communities";

const ROLES: CommunityRole[] = ["member", "moderator", "steward"];

function isForbidden(error: unknown): boolean {
  return error instanceof ApiError && error.status === 403;
}

export function MembersPanel({ community, abilities }: { community: Community; abilities: Abilities }) {
  const [notice, setNotice] = useState<string | null>(null);

  if (!abilities.canSeeMembers) {
    return (
      <EmptyState title="Members are private">
        Only members can see who belongs to a private community.
      </EmptyState>
    );
  }

  return (
    <div className="stack stack--lg">
      {notice && <Alert tone="success">{notice}</Alert>}
      {abilities.canModerate && <PendingRequests community={community} onNotice={setNotice} />}
      {abilities.canInvite && <InviteForm community={community} />}
      {abilities.canManageInvitations && <PendingInvitations community={community} onNotice={setNotice} />}
      <MemberList community={community} abilities={abilities} onNotice={setNotice} />
    </div>
  );
}

function PendingRequests({ community, onNotice }: { community: Community; onNotice: (message: string) => void }) {
  const requests = useInfiniteQuery(membersQueryOptions(community.slug, { status: "pending" }));
  const items = requests.data?.pages.flatMap((page) => page.items) ?? [];

  // Seeing requests is for moderators; if the server disagrees, there is nothing to show.
  if (requests.isError && isForbidden(requests.error)) return null;

  return (
    <section className="stack stack--sm" aria-labelledby="pending-title">
      <h3 id="pending-title">Pending requests</h3>
      {requests.isPending ? (
        <LoadingState label="Loading requests…" />
      ) : requests.isError ? (
        <ErrorState error={requests.error} title="Requests didn’t load" onRetry={() => void requests.refetch()} />
      ) : items.length === 0 ? (
        <p className="muted-note">No one is waiting for approval.</p>
      ) : (
        <>
          <ul className="member-list">
            {items.map((member) => (
              <PendingRow key={member.user.id} community={community} member={member} onNotice={onNotice} />
            ))}
          </ul>
          {requests.hasNextPage && (
            <Button
              variant="secondary"
              size="sm"
              loading={requests.isFetchingNextPage}
              onClick={() => void requests.fetchNextPage()}
            >
              Show more requests
            </Button>
          )}
        </>
      )}
    </section>
  );
}

function PendingRow({
  community,
  member,
  onNotice,
}: {
  community: Community;
  member: Member;
  onNotice: (message: string) => void;
}) {
  const name = member.user.display_name;
  const approve = useUpdateMember(community.slug, member.user.handle, () => ({ status: "active" }), {
    onSuccess: () => {
      onNotice(`${name} is now a member.`);
    },
  });
  const reject = useRemoveMember(community.slug, member.user.handle, {
    onSuccess: () => {
      onNotice(`${name}’s request is declined.`);
    },
  });
  const error = approve.error ?? reject.error;
  const busy = approve.isPending || reject.isPending;

  return (
    <li className="member-list__item">
      <PersonLine user={member.user}>
        <p className="person__meta">Asked on {formatDate(member.joined_at)}</p>
      </PersonLine>
      <div className="member-list__actions">
        <Button size="sm" loading={approve.isPending} aria-disabled={busy || undefined} onClick={() => { if (!busy) approve.mutate(); }} aria-label={`Approve ${name}`}>
          Approve
        </Button>
        <Button variant="secondary" size="sm" loading={reject.isPending} aria-disabled={busy || undefined} onClick={() => { if (!busy) reject.mutate(); }} aria-label={`Reject ${name}`}>
          Reject
        </Button>
      </div>
      {error && (
        <div className="member-list__error">
          <Alert tone="error">{describeError(error)}</Alert>
        </div>
      )}
    </li>
  );
}

function InviteForm({ community }: { community: Community }) {
  const [handle, setHandle] = useState("");
  const [sent, setSent] = useState<string | null>(null);
  const [form, formRef] = useFormErrors(INVITE_FIELDS);
  const id = useId();
  const mutation = useInvite(community.slug, {
    onSuccess: (_invitation, value) => {
      setSent(`Invitation sent. @${value} will be notified and can join from the community page.`);
      setHandle("");
    },
    onError: (error) => {
      // "No one has that handle" (404) and "already a member or invited" (409) are about the handle.
      if (error instanceof ApiError && (error.status === 404 || error.status === 409)) {
        form.check({ handle: describeError(error) });
      } else form.showServerError(error);
    },
  });

  function handleSubmit(event: SubmitEvent<HTMLFormElement>) {
    event.preventDefault();
    const value = handle.trim().replace(/^@/, "");
    if (mutation.isPending) return;
    if (!form.check(value.length < 3 ? { handle: "Enter the person’s handle, e.g. grace." } : {})) return;
    setSent(null);
    mutation.mutate(value);
  }

  return (
    <form ref={formRef} className="form form--boxed" noValidate onSubmit={handleSubmit} aria-labelledby={`${id}-title`}>
      <h3 id={`${id}-title`}>Invite someone</h3>
      {form.errors.message && <Alert tone="error">{form.errors.message}</Alert>}
      {sent && <Alert tone="success">{sent}</Alert>}
      <div className="inline-form">
        <TextField
          label="Handle"
          hint={
            community.join_policy === "invite"
              ? "Invitations are the only way into this community."
              : "An invitation lets them join without waiting for approval."
          }
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
        <Button type="submit" loading={mutation.isPending}>
          {mutation.isPending ? "Inviting…" : "Send invitation"}
        </Button>
      </div>
    </form>
  );
}

const INVITE_FIELDS = ["handle"] as const;

/** Open invitations, for the stewards: who holds one, who sent it, and a way to withdraw it. */
function PendingInvitations({ community, onNotice }: { community: Community; onNotice: (message: string) => void }) {
  const invitations = useInfiniteQuery(communityInvitationsQueryOptions(community.slug));
  const items = invitations.data?.pages.flatMap((page) => page.items) ?? [];

  // The list is for stewards; if the server disagrees, there is nothing to show.
  if (invitations.isError && isForbidden(invitations.error)) return null;

  return (
    <section className="stack stack--sm" aria-labelledby="invitations-title">
      <h3 id="invitations-title">Pending invitations</h3>
      {invitations.isPending ? (
        <LoadingState label="Loading invitations…" />
      ) : invitations.isError ? (
        <ErrorState
          error={invitations.error}
          title="Invitations didn’t load"
          onRetry={() => void invitations.refetch()}
        />
      ) : items.length === 0 ? (
        <p className="muted-note">No invitations are waiting for an answer.</p>
      ) : (
        <>
          <ul className="member-list" aria-label="Pending invitations">
            {items.map((invitation) => (
              <InvitationRow key={invitation.id} community={community} invitation={invitation} onNotice={onNotice} />
            ))}
          </ul>
          {invitations.hasNextPage && (
            <Button
              variant="secondary"
              size="sm"
              loading={invitations.isFetchingNextPage}
              onClick={() => void invitations.fetchNextPage()}
            >
              Show more invitations
            </Button>
          )}
        </>
      )}
    </section>
  );
}

function InvitationRow({
  community,
  invitation,
  onNotice,
}: {
  community: Community;
  invitation: PendingInvitation;
  onNotice: (message: string) => void;
}) {
  const [confirming, setConfirming] = useState(false);
  const name = invitation.invitee.display_name;
  const revoke = useRevokeInvitation(community.slug, invitation.invitee.handle, {
    onSuccess: () => {
      setConfirming(false);
      onNotice(`The invitation to ${name} is withdrawn.`);
    },
  });

  return (
    <li className="member-list__item">
      <PersonLine user={invitation.invitee}>
        <p className="person__meta">
          Invited by {invitation.invited_by.display_name} on {formatDate(invitation.created_at)}
        </p>
      </PersonLine>
      <div className="member-list__actions">
        <ConfirmDialog
          open={confirming}
          onOpenChange={(open) => {
            setConfirming(open);
            if (!open) revoke.reset();
          }}
          trigger={
            <Button variant="secondary" size="sm" aria-label={`Revoke the invitation to ${name}`}>
              Revoke
            </Button>
          }
          title={`Revoke the invitation to ${name}?`}
          description={
            community.visibility === "private"
              ? `${name} can no longer see or join ${community.name}. The change is recorded in the moderation log.`
              : `${name} can no longer join with this invitation. The change is recorded in the moderation log.`
          }
          confirmLabel="Revoke invitation"
          pendingLabel="Revoking…"
          pending={revoke.isPending}
          error={revoke.isError && describeError(revoke.error)}
          onConfirm={() => {
            if (!revoke.isPending) revoke.mutate();
          }}
        />
      </div>
    </li>
  );
}

function MemberList({
  community,
  abilities,
  onNotice,
}: {
  community: Community;
  abilities: Abilities;
  onNotice: (message: string) => void;
}) {
  const members = useInfiniteQuery(membersQueryOptions(community.slug, { status: "active" }));
  const { data: me } = useMe();
  const items = members.data?.pages.flatMap((page) => page.items) ?? [];

  return (
    <section className="stack stack--sm" aria-labelledby="members-title">
      <h3 id="members-title">Members</h3>
      {members.isPending ? (
        <LoadingState label="Loading members…" />
      ) : members.isError ? (
        isForbidden(members.error) ? (
          <EmptyState title="Members are private">Only members can see who belongs to this community.</EmptyState>
        ) : (
          <ErrorState error={members.error} title="Members didn’t load" onRetry={() => void members.refetch()} />
        )
      ) : items.length === 0 ? (
        <EmptyState title="No members yet" />
      ) : (
        <>
          <ul className="member-list">
            {items.map((member) => (
              <MemberRow
                key={member.user.id}
                community={community}
                member={member}
                abilities={abilities}
                isMe={member.user.handle === me?.handle}
                canRemove={canRemoveMember(abilities, member, me?.handle)}
                onNotice={onNotice}
              />
            ))}
          </ul>
          {members.hasNextPage && (
            <div className="load-more">
              <Button
                variant="secondary"
                loading={members.isFetchingNextPage}
                onClick={() => void members.fetchNextPage()}
              >
                {members.isFetchingNextPage ? "Loading…" : "Show more members"}
              </Button>
            </div>
          )}
        </>
      )}
    </section>
  );
}

function MemberRow({
  community,
  member,
  abilities,
  isMe,
  canRemove,
  onNotice,
}: {
  community: Community;
  member: Member;
  abilities: Abilities;
  isMe: boolean;
  canRemove: boolean;
  onNotice: (message: string) => void;
}) {
  const [confirmRemove, setConfirmRemove] = useState(false);
  const name = member.user.display_name;

  const changeRole = useUpdateMember(community.slug, member.user.handle, (role: CommunityRole) => ({ role }), {
    onSuccess: (updated) => {
      onNotice(`${name} is now a ${ROLE_LABELS[updated.role].toLowerCase()}.`);
    },
  });
  const remove = useRemoveMember(community.slug, member.user.handle, {
    onSuccess: () => {
      setConfirmRemove(false);
      onNotice(`${name} is no longer a member.`);
    },
  });

  return (
    <li className="member-list__item">
      <PersonLine user={member.user}>
        <p className="person__meta">
          {isMe && "You · "}
          Joined {formatDate(member.joined_at)}
          {member.role === "steward" && member.term_ends_at && <> · Term ends {formatDate(member.term_ends_at)}</>}
        </p>
      </PersonLine>
      <div className="member-list__actions">
        {abilities.canChangeRoles ? (
          <div className="field field--inline">
            <label className="visually-hidden" htmlFor={`role-${member.user.id}`}>
              Role for {name}
            </label>
            <select
              id={`role-${member.user.id}`}
              className="input input--select input--sm"
              value={changeRole.isPending ? changeRole.variables : member.role}
              aria-busy={changeRole.isPending || undefined}
              onChange={(event) => {
                // Not `disabled` while saving: that would throw keyboard focus out of the list.
                if (!changeRole.isPending) changeRole.mutate(event.target.value as CommunityRole);
              }}
            >
              {ROLES.map((role) => (
                <option key={role} value={role}>
                  {ROLE_LABELS[role]}
                </option>
              ))}
            </select>
          </div>
        ) : (
          <span className={cx("badge", member.role !== "member" && "badge--success")}>
            {ROLE_LABELS[member.role]}
          </span>
        )}
        {canRemove && (
          <ConfirmDialog
            open={confirmRemove}
            onOpenChange={(open) => {
              setConfirmRemove(open);
              if (!open) remove.reset();
            }}
            trigger={
              <Button variant="secondary" size="sm" aria-label={`Remove ${name}`}>
                Remove
              </Button>
            }
            title={`Remove ${name} from ${community.name}?`}
            description="They stop being a member at once. The removal is recorded in the moderation log."
            confirmLabel="Remove member"
            pendingLabel="Removing…"
            pending={remove.isPending}
            error={remove.isError && describeError(remove.error)}
            onConfirm={() => {
              remove.mutate();
            }}
          />
        )}
      </div>
      {changeRole.isError && (
        <div className="member-list__error">
          <Alert tone="error">{describeError(changeRole.error)}</Alert>
        </div>
      )}
    </li>
  );
}
