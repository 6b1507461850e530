import { useInfiniteQuery } from "@tanstack/react-query";
import { useId, useState, type ReactNode } from "react";
import type { MentorshipStatus } from "../../api/types";
import { Alert } from "../../components/Alert";
import { Button } from "../../components/Button";
import { EmptyState, ErrorState, LoadingState } from "../../components/States";
import { STATUS_LABELS } from "./labels";
import { MentorshipItem } from "./MentorshipItem";
import { mentorshipsQueryOptions } from "../../queries/mentorship";

type PastStatus = Extract<MentorshipStatus, "completed" | "declined" | "cancelled">;
const PAST: PastStatus[] = ["completed", "declined", "cancelled"];

/** The caller's mentorships, as mentor and as mentee: open requests, active ones, and the past. */
export function MyMentorships({ myId }: { myId: string }) {
  const [past, setPast] = useState<PastStatus>("completed");
  const pastId = useId();
  return (
    <div className="stack stack--lg">
      <MentorshipList
        status="requested"
        myId={myId}
        title="Requests"
        lead="Requests you’ve been sent, and the ones you’ve sent. Unanswered requests expire after a while."
        empty="No open requests. Find a mentor, or offer to mentor others."
      />
      <MentorshipList
        status="active"
        myId={myId}
        title="Active"
        lead="Log each session as you go; complete the mentorship when the goal is reached."
        empty="No active mentorships."
      />
      <MentorshipList
        status={past}
        myId={myId}
        title="Past"
        lead="Finished, declined and withdrawn mentorships."
        empty={`No ${STATUS_LABELS[past].toLowerCase()} mentorships.`}
        filter={
          <div className="field field--inline-label">
            <label className="field__label" htmlFor={pastId}>
              Show
            </label>
            <select
              id={pastId}
              className="input input--select input--sm"
              value={past}
              onChange={(event) => {
                setPast(event.target.value as PastStatus);
              }}
            >
              {PAST.map((status) => (
                <option key={status} value={status}>
                  {STATUS_LABELS[status]}
                </option>
              ))}
            </select>
          </div>
        }
      />
    </div>
  );
}

interface MentorshipListProps {
  status: MentorshipStatus;
  myId: string;
  title: string;
  lead: string;
  empty: string;
  filter?: ReactNode;
}

function MentorshipList({ status, myId, title, lead, empty, filter }: MentorshipListProps) {
  const id = useId();
  const list = useInfiniteQuery(mentorshipsQueryOptions(status));
  const items = list.data?.pages.flatMap((page) => page.items) ?? [];
  return (
    <section className="stack" aria-labelledby={`${id}-title`}>
      <div className="panel__header panel__header--row">
        <div>
          <h2 id={`${id}-title`} className="section-title">
            {title}
          </h2>
          <p className="panel__lead">{lead}</p>
        </div>
        {filter}
      </div>
      {list.isPending ? (
        <LoadingState label={`Loading ${title.toLowerCase()}…`} />
      ) : list.isError && items.length === 0 ? (
        <ErrorState error={list.error} title={`${title} didn’t load`} onRetry={() => void list.refetch()} />
      ) : items.length === 0 ? (
        <EmptyState title={empty} />
      ) : (
        <>
          <ul className="member-list">
            {items.map((mentorship) => (
              <MentorshipItem key={mentorship.id} mentorship={mentorship} myId={myId} />
            ))}
          </ul>
          {list.isFetchNextPageError && <Alert tone="error">More didn’t load. Try again.</Alert>}
          {list.hasNextPage && (
            <div className="load-more">
              <Button variant="secondary" loading={list.isFetchingNextPage} onClick={() => void list.fetchNextPage()}>
                {list.isFetchingNextPage ? "Loading…" : "Load more"}
              </Button>
            </div>
          )}
        </>
      )}
    </section>
  );
}
