import { useInfiniteQuery, useQuery } from "@tanstack/react-query";
import { useState } from "react";
import { Link, useParams } from "react-router";
import { ApiError } from "../../api/errors";
import type { SkillRef, UserProfile } from "../../api/types";
import { useMe } from "../../auth/queries";
import { Alert } from "../../components/Alert";
import { Avatar } from "../../components/Avatar";
import { Button } from "../../components/Button";
import { ErrorState, LoadingState } from "../../components/States";
import { formatDate, pluralize } from "../../lib/format";
import { usePageTitle } from "../../lib/usePageTitle";
import { RequestForm } from "../../components/mentorship/RequestForm";
import { userSkillsQueryOptions } from "../../queries/skills";
import { LedgerSection } from "./LedgerSection";
import { PersonSkills } from "./PersonSkills";
import { profileQueryOptions } from "../../queries/people";
import { useFocusReturn } from "../../lib/useFocusReturn";

export function PersonPage() {
  const { handle = "" } = useParams();
  const profile = useQuery(profileQueryOptions(handle));
  const me = useMe();
  const notFound = profile.error instanceof ApiError && profile.error.status === 404;
  usePageTitle(notFound ? "Person not found" : (profile.data?.display_name ?? "Profile"));

  if (profile.isPending || me.isPending) return <LoadingState label="Loading the profile…" />;
  if (profile.isError) {
    return (
      <div className="page page--narrow">
        {notFound ? (
          <div className="notice-page">
            <p className="notice-page__eyebrow">Not found</p>
            <h1>No one has that handle</h1>
            <p className="notice-page__text">
              There’s no one called <code>@{handle}</code> on Leaderful. Check the spelling, or find people through the
              skills they know.
            </p>
            <Link className="btn btn--secondary" to="/skills">
              Browse skills
            </Link>
          </div>
        ) : (
          <ErrorState error={profile.error} title="This profile didn’t load" onRetry={() => void profile.refetch()} />
        )}
      </div>
    );
  }
  if (me.isError) return <ErrorState error={me.error} onRetry={() => void me.refetch()} />;
  return <PersonView key={profile.data.id} person={profile.data} myId={me.data.id} />;
}

/** "14:05" in `timeZone` now, or null for a zone this browser doesn't know. */
function localTime(timeZone: string): string | null {
  try {
    return new Intl.DateTimeFormat(undefined, { timeStyle: "short", timeZone }).format(new Date());
  } catch {
    return null;
  }
}

function PersonView({ person, myId }: { person: UserProfile; myId: string }) {
  const isMe = person.id === myId;
  const time = person.timezone ? localTime(person.timezone) : null;
  const { stats } = person;

  return (
    <div className="page">
      <header className="person-hero">
        <Avatar name={person.display_name} url={person.avatar_url} size="lg" />
        <div className="person-hero__text">
          <h1>{person.display_name}</h1>
          <p className="person-hero__sub">
            <span>@{person.handle}</span>
            {person.title && <span>{person.title}</span>}
          </p>
          <ul className="community-hero__facts" aria-label="Details">
            {person.location && <li>{person.location}</li>}
            {person.timezone && (
              <li>
                {person.timezone.replaceAll("_", " ")}
                {time && ` (${time} there now)`}
              </li>
            )}
            <li>Joined {formatDate(person.created_at)}</li>
          </ul>
        </div>
        {isMe && (
          <div className="person-hero__actions">
            <Link className="btn btn--secondary" to="/settings">
              Edit profile
            </Link>
          </div>
        )}
      </header>

      {person.bio && (
        <section aria-labelledby="bio-title" className="stack stack--sm">
          <h2 id="bio-title" className="section-title">
            About
          </h2>
          <p className="person-hero__bio">{person.bio}</p>
        </section>
      )}

      <section aria-labelledby="contributions-title" className="stack stack--sm">
        <h2 id="contributions-title" className="section-title">
          Contributions
        </h2>
        <dl className="stat-grid">
          <div className="stat">
            <dt className="stat__label">Posts</dt>
            <dd className="stat__value">{stats.posts.toLocaleString()}</dd>
          </div>
          <div className="stat">
            <dt className="stat__label">Accepted answers</dt>
            <dd className="stat__value">{stats.accepted_answers.toLocaleString()}</dd>
          </div>
          <div className="stat">
            <dt className="stat__label">Endorsements received</dt>
            <dd className="stat__value">{stats.endorsements_received.toLocaleString()}</dd>
          </div>
          <div className="stat">
            <dt className="stat__label">People mentored</dt>
            <dd className="stat__value">{stats.mentees.toLocaleString()}</dd>
          </div>
        </dl>
      </section>

      <LedgerSection handle={person.handle} isMe={isMe} />

      <MentorSection person={person} isMe={isMe} />

      <PersonSkills person={person} myId={myId} />
    </div>
  );
}

function MentorSection({ person, isMe }: { person: UserProfile; isMe: boolean }) {
  const profile = person.mentor_profile;
  const [requesting, setRequesting] = useState(false);
  const [sent, setSent] = useState<string | null>(null);
  const focusRef = useFocusReturn<HTMLElement>(requesting);
  // Shares the cache with the skills list below; the profile's own `skills` is only the top few.
  const skills = useInfiniteQuery(userSkillsQueryOptions(person.handle));
  const choices: SkillRef[] =
    skills.data?.pages.flatMap((page) => page.items.map((item) => item.skill)) ??
    person.skills.map((skill) => ({ slug: skill.slug, name: skill.name, category: null }));

  if (!profile) {
    if (!isMe) return null;
    return (
      <section className="panel" aria-labelledby="mentoring-title">
        <h2 id="mentoring-title" className="section-title">
          Mentoring
        </h2>
        <p>
          You’re not offering to mentor yet. <Link to="/mentorship?tab=profile">Offer to mentor</Link> and colleagues
          learning your skills will find you.
        </p>
      </section>
    );
  }

  const open = profile.accepting_mentees && profile.open_slots > 0;
  const canRequest = !isMe && open && choices.length > 0;

  return (
    <section ref={focusRef} className={open ? "panel panel--highlight" : "panel"} aria-labelledby="mentoring-title">
      <div className="panel__header panel__header--row">
        <div>
          <h2 id="mentoring-title" className="section-title">
            Mentoring
          </h2>
          <p className="panel__lead">
            {open ? (
              <>
                <span className="badge badge--success">Taking mentees</span>{" "}
                {profile.open_slots.toLocaleString()} of {pluralize(profile.capacity, "place")} open
              </>
            ) : profile.accepting_mentees ? (
              <>
                <span className="badge badge--warning">Full</span> All {pluralize(profile.capacity, "place")} are taken
                right now.
              </>
            ) : (
              <>
                <span className="badge badge--neutral">Not taking mentees</span> Not taking new mentees right now.
              </>
            )}
          </p>
        </div>
        {canRequest && !requesting && (
          <Button
            data-return-focus
            onClick={() => {
              setRequesting(true);
              setSent(null);
            }}
          >
            Request mentorship
          </Button>
        )}
        {isMe && (
          <Link className="btn btn--secondary btn--sm" to="/mentorship?tab=profile">
            Change mentor profile
          </Link>
        )}
      </div>
      {profile.about && <p className="person-hero__bio">{profile.about}</p>}
      {profile.timezone && <p className="person__meta">Mentors from the {profile.timezone.replaceAll("_", " ")} time zone.</p>}
      {sent && (
        <Alert tone="success">
          {sent} <Link to="/mentorship?tab=mine">See your requests</Link>
        </Alert>
      )}
      {requesting && (
        <RequestForm
          mentor={person}
          skills={choices}
          onSent={() => {
            setRequesting(false);
            setSent(`Request sent to ${person.display_name}. You’ll hear back when they answer.`);
          }}
          onCancel={() => {
            setRequesting(false);
          }}
        />
      )}
    </section>
  );
}
