import { useInfiniteQuery } from "@tanstack/react-query";
import { useState } from "react";
import { Link } from "react-router";
import { describeError } from "../../api/errors";
import type { UserSkill, UserSummary } from "../../api/types";
import { Alert } from "../../components/Alert";
import { Button } from "../../components/Button";
import { EmptyState, ErrorState, LoadingState } from "../../components/States";
import { formatDate, pluralize } from "../../lib/format";
import { ConfirmDialog } from "../../components/ConfirmDialog";
import { levelLabel } from "../../lib/skillLevels";
import { userSkillsQueryOptions } from "../../queries/skills";
import { EndorseForm } from "./EndorseForm";
import { postPath } from "./evidence";
import { PersonLink } from "../../components/PersonLink";
import { endorsementsQueryOptions, useWithdrawEndorsement } from "../../queries/people";
import { useFocusReturn } from "../../lib/useFocusReturn";

interface PersonSkillsProps {
  person: UserSummary;
  /** The signed-in user's id: nobody endorses themselves. */
  myId: string;
}

/** Someone's skills with levels and endorsements; colleagues endorse (or withdraw) right here. */
export function PersonSkills({ person, myId }: PersonSkillsProps) {
  const skills = useInfiniteQuery(userSkillsQueryOptions(person.handle));
  const items = skills.data?.pages.flatMap((page) => page.items) ?? [];
  const isMe = person.id === myId;
  const [notice, setNotice] = useState<string | null>(null);

  return (
    <section className="stack" aria-labelledby="person-skills-title">
      <div className="panel__header panel__header--row">
        <h2 id="person-skills-title" className="section-title">
          Skills
        </h2>
        {isMe && (
          <Link className="btn btn--secondary btn--sm" to="/me/skills">
            Manage my skills
          </Link>
        )}
      </div>
      {notice && <Alert tone="success">{notice}</Alert>}
      {skills.isPending ? (
        <LoadingState label="Loading skills…" />
      ) : skills.isError && items.length === 0 ? (
        <ErrorState error={skills.error} title="Skills didn’t load" onRetry={() => void skills.refetch()} />
      ) : items.length === 0 ? (
        <EmptyState title={isMe ? "You haven’t added any skills yet" : `${person.display_name} hasn’t added any skills yet`}>
          {isMe ? (
            <Link to="/me/skills">Add what you know</Link>
          ) : (
            "Once they do, you can endorse the ones you’ve seen them use."
          )}
        </EmptyState>
      ) : (
        <>
          <ul className="member-list">
            {items.map((item) => (
              <PersonSkill key={item.skill.slug} person={person} item={item} isMe={isMe} myId={myId} onNotice={setNotice} />
            ))}
          </ul>
          {skills.isFetchNextPageError && <Alert tone="error">More skills didn’t load. Try again.</Alert>}
          {skills.hasNextPage && (
            <div className="load-more">
              <Button variant="secondary" loading={skills.isFetchingNextPage} onClick={() => void skills.fetchNextPage()}>
                {skills.isFetchingNextPage ? "Loading…" : "Load more"}
              </Button>
            </div>
          )}
        </>
      )}
    </section>
  );
}

interface PersonSkillProps {
  person: UserSummary;
  item: UserSkill;
  isMe: boolean;
  myId: string;
  onNotice: (text: string) => void;
}

function PersonSkill({ person, item, isMe, myId, onNotice }: PersonSkillProps) {
  const [endorsing, setEndorsing] = useState(false);
  const [showEndorsers, setShowEndorsers] = useState(false);
  const [confirmWithdraw, setConfirmWithdraw] = useState(false);
  const { skill } = item;
  // Changing an endorsement starts from the note and evidence already given.
  const needsEndorsements = showEndorsers || (endorsing && item.endorsed_by_me);
  const endorsements = useInfiniteQuery({
    ...endorsementsQueryOptions(person.handle, skill.slug),
    enabled: needsEndorsements,
  });
  const endorsers = endorsements.data?.pages.flatMap((page) => page.items) ?? [];
  const mine = endorsers.find((endorsement) => endorsement.endorser.id === myId) ?? null;
  const listId = `endorsers-${skill.slug}`;
  const rowRef = useFocusReturn<HTMLLIElement>(endorsing);

  const withdraw = useWithdrawEndorsement(person.handle, skill.slug, {
    onSuccess: () => {
      setConfirmWithdraw(false);
      onNotice(`You withdrew your endorsement of ${person.display_name} for ${skill.name}.`);
    },
  });

  return (
    <li ref={rowRef} className="member-list__item person-skill">
      <div className="my-skill-row__main">
        <h3 className="person-skill__name">
          <Link to={`/skills/${skill.slug}`}>{skill.name}</Link>
        </h3>
        <p className="my-skill-row__level">
          {item.proposed ? (
            <span className="badge badge--warning">
              {isMe ? "Proposed by your peers: add it with your level" : "Proposed by peers (no level claimed)"}
            </span>
          ) : (
            levelLabel(item.level)
          )}
          {item.wants_to_teach && <span className="badge badge--success">Happy to teach</span>}
          {item.endorsed_by_me && <span className="badge">You endorsed this</span>}
        </p>
        <p className="person__meta">
          {pluralize(item.endorsement_count, "endorsement")} · {pluralize(item.evidence.posts, "post")} about it ·{" "}
          {pluralize(item.evidence.accepted_answers, "accepted answer")}
        </p>
      </div>
      <div className="member-list__actions">
        {item.endorsement_count > 0 && (
          <Button
            variant="ghost"
            size="sm"
            aria-expanded={showEndorsers}
            aria-controls={showEndorsers ? listId : undefined}
            onClick={() => {
              setShowEndorsers((open) => !open);
            }}
          >
            {showEndorsers ? "Hide endorsements" : `Endorsed by ${item.endorsement_count.toLocaleString()}`}
          </Button>
        )}
        {!isMe &&
          (item.endorsed_by_me ? (
            <>
              <Button
                variant="secondary"
                size="sm"
                aria-expanded={endorsing}
                aria-label={`Change your endorsement for ${skill.name}`}
                data-return-focus
                onClick={() => {
                  setEndorsing((open) => !open);
                }}
              >
                Change
              </Button>
              <ConfirmDialog
                open={confirmWithdraw}
                onOpenChange={(open) => {
                  setConfirmWithdraw(open);
                  if (!open) withdraw.reset();
                }}
                trigger={
                  <Button variant="ghost" size="sm" aria-label={`Withdraw your endorsement for ${skill.name}`}>
                    Withdraw
                  </Button>
                }
                title={`Withdraw your endorsement for ${skill.name}?`}
                description={`${person.display_name} will no longer show your endorsement, and your note goes with it.`}
                confirmLabel="Withdraw endorsement"
                pendingLabel="Withdrawing…"
                pending={withdraw.isPending}
                error={withdraw.isError && describeError(withdraw.error)}
                onConfirm={() => {
                  withdraw.mutate();
                }}
              />
            </>
          ) : (
            <Button
              size="sm"
              aria-expanded={endorsing}
              aria-label={`Endorse ${person.display_name} for ${skill.name}`}
              data-return-focus
              onClick={() => {
                setEndorsing((open) => !open);
              }}
            >
              Endorse
            </Button>
          ))}
      </div>
      {endorsing && (
        <div className="member-list__error">
          {item.endorsed_by_me && endorsements.isPending ? (
            <LoadingState label="Loading your endorsement…" />
          ) : (
            <EndorseForm
              person={person}
              skill={skill}
              existing={mine}
              onSaved={() => {
                setEndorsing(false);
                onNotice(
                  item.endorsed_by_me
                    ? `Your endorsement for ${skill.name} is updated.`
                    : `You endorsed ${person.display_name} for ${skill.name}.`,
                );
              }}
              onCancel={() => {
                setEndorsing(false);
              }}
            />
          )}
        </div>
      )}
      {showEndorsers && (
        <div className="member-list__error" id={listId}>
          {endorsements.isPending ? (
            <LoadingState label="Loading endorsements…" />
          ) : endorsements.isError && endorsers.length === 0 ? (
            <ErrorState error={endorsements.error} title="Endorsements didn’t load" onRetry={() => void endorsements.refetch()} />
          ) : endorsers.length === 0 ? (
            <p className="muted-note">No endorsements that you can see.</p>
          ) : (
            <>
              <ul className="endorsement-list" aria-label={`Endorsed for ${skill.name} by`}>
                {endorsers.map((endorsement) => (
                  <li key={endorsement.id} className="endorsement-list__item">
                    <PersonLink user={endorsement.endorser}>
                      {endorsement.note && <p className="nomination__reason">{endorsement.note}</p>}
                      <p className="person__meta">
                        {formatDate(endorsement.updated_at)}
                        {endorsement.evidence_post_id && (
                          <>
                            {" · "}
                            <Link to={postPath(endorsement.evidence_post_id)}>See the evidence</Link>
                          </>
                        )}
                      </p>
                    </PersonLink>
                  </li>
                ))}
              </ul>
              {endorsements.hasNextPage && (
                <Button
                  variant="ghost"
                  size="sm"
                  loading={endorsements.isFetchingNextPage}
                  onClick={() => void endorsements.fetchNextPage()}
                >
                  More endorsements
                </Button>
              )}
            </>
          )}
        </div>
      )}
    </li>
  );
}
