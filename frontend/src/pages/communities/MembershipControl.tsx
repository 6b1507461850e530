import { useQuery } from "@tanstack/react-query";
import { useEffect, useRef, useState } from "react";
import { useNavigate } from "react-router";
import { ApiError, describeError } from "../../api/errors";
import type { Community } from "../../api/types";
import { Alert } from "../../components/Alert";
import { Button } from "../../components/Button";
import { ConfirmDialog } from "../../components/ConfirmDialog";
import { membershipState } from "./permissions";
import { invitedQueryOptions, leavingHides, useJoinCommunity, useLeaveCommunity } from "../../queries/communities";

function isLastSteward(error: unknown): boolean {
  return error instanceof ApiError && error.status === 409;
}

/**
 * The one membership action that fits the caller: Join, Request to join, Accept invitation,
 * "Invitation only", "Pending approval" (with Withdraw), or Leave (with a confirmation).
 */
export function MembershipControl({
  community,
  onNotice,
  onShowMembers,
}: {
  community: Community;
  onNotice: (message: string) => void;
  /** Opens the Members tab (where the last steward can name another). */
  onShowMembers: () => void;
}) {
  const navigate = useNavigate();
  const slug = community.slug;
  const needsInvitationCheck = community.my_membership === null && community.archived_at === null;
  const invited = useQuery({ ...invitedQueryOptions(slug), enabled: needsInvitationCheck });
  const state = membershipState(community, invited.data ?? false);
  const [confirmLeave, setConfirmLeave] = useState(false);
  const container = useRef<HTMLDivElement>(null);
  const previousState = useRef(state);

  // The button that was pressed is replaced by another; keep keyboard focus in the control.
  useEffect(() => {
    if (previousState.current === state) return;
    const hadFocus = container.current?.contains(document.activeElement) === true || document.activeElement === document.body;
    previousState.current = state;
    if (hadFocus) container.current?.querySelector<HTMLElement>("button, [tabindex]")?.focus();
  }, [state]);

  const join = useJoinCommunity(community, {
    onSuccess: (membership) => {
      onNotice(
        membership.status === "active"
          ? `Welcome to ${community.name}! You’re a member now.`
          : `Your request to join ${community.name} is waiting for a moderator or steward to approve it.`,
      );
    },
  });

  const leave = useLeaveCommunity(community, {
    onSuccess: async () => {
      setConfirmLeave(false);
      if (leavingHides(community)) {
        await navigate("/communities", { state: { notice: `You left ${community.name}.` } });
        return;
      }
      onNotice(community.my_membership?.status === "pending" ? "Your request to join is withdrawn." : `You left ${community.name}.`);
    },
  });

  const joinError = join.isError ? describeError(join.error) : null;
  const withdrawError = state === "pending" && leave.isError ? describeError(leave.error) : null;

  let control;
  switch (state) {
    case "archived":
      control = <p className="membership__status">Archived: read-only</p>;
      break;
    case "open":
      control = (
        <Button loading={join.isPending} onClick={() => { join.mutate(); }}>
          {join.isPending ? "Joining…" : "Join"}
        </Button>
      );
      break;
    case "approval":
      control = (
        <Button loading={join.isPending} onClick={() => { join.mutate(); }}>
          {join.isPending ? "Sending request…" : "Request to join"}
        </Button>
      );
      break;
    case "invited":
      control = (
        <Button loading={join.isPending} onClick={() => { join.mutate(); }}>
          {join.isPending ? "Joining…" : "Accept invitation"}
        </Button>
      );
      break;
    case "invite-only":
      control = (
        <p className="membership__status" tabIndex={-1}>
          <span className="badge badge--neutral">Invitation only</span>
          <span className="membership__hint">Ask a steward to invite you.</span>
        </p>
      );
      break;
    case "pending":
      control = (
        <>
          <p className="membership__status" tabIndex={-1}>
            <span className="badge badge--warning">Pending approval</span>
          </p>
          <Button variant="ghost" size="sm" loading={leave.isPending} onClick={() => { leave.mutate(); }}>
            {leave.isPending ? "Withdrawing…" : "Withdraw request"}
          </Button>
        </>
      );
      break;
    case "member":
      control = (
        <ConfirmDialog
          open={confirmLeave}
          onOpenChange={(open) => {
            setConfirmLeave(open);
            if (!open) leave.reset();
          }}
          trigger={<Button variant="secondary">Leave</Button>}
          title={`Leave ${community.name}?`}
          description={
            community.visibility === "private"
              ? "You’ll stop seeing its posts, and you’ll need a new invitation to come back."
              : "You’ll stop getting its updates. You can join again later."
          }
          confirmLabel="Leave community"
          pendingLabel="Leaving…"
          pending={leave.isPending}
          error={
            leave.isError &&
            (isLastSteward(leave.error) ? (
              <>
                <p>
                  <strong>You’re the last steward, so you can’t leave yet.</strong> A community always keeps at least
                  one steward to look after it.
                </p>
                <p>
                  Make another member a steward first, then leave.{" "}
                  <Button
                    variant="ghost"
                    size="sm"
                    onClick={() => {
                      setConfirmLeave(false);
                      leave.reset();
                      onShowMembers();
                    }}
                  >
                    Go to members
                  </Button>
                </p>
              </>
            ) : (
              describeError(leave.error)
            ))
          }
          onConfirm={() => {
            leave.mutate();
          }}
        />
      );
      break;
  }

  return (
    <div className="membership" ref={container} role="group" aria-label="Membership">
      <div className="membership__controls">{control}</div>
      {joinError && <Alert tone="error">{joinError}</Alert>}
      {withdrawError && <Alert tone="error">{withdrawError}</Alert>}
    </div>
  );
}
