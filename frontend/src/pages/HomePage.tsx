import { useInfiniteQuery, useQuery } from "@tanstack/react-query";
import { useId, useState } from "react";
import { Link, useSearchParams } from "react-router";
import type { FeedSort } from "../api/types";
import { useMe } from "../auth/queries";
import { EmptyState, ErrorState, LoadingState } from "../components/States";
import { usePageTitle } from "../lib/usePageTitle";
import { ComposerPanel } from "../components/posts/ComposerPanel";
import { FEED_SORT_LABELS } from "../lib/postLabels";
import { PostList } from "../components/posts/PostList";
import {
  feedQueryOptions,
  popularPostsQueryOptions,
  postableCommunitiesQueryOptions,
  unansweredQuestionsQueryOptions,
} from "../queries/posts";
import { formatDate } from "../lib/format";
import type { Me } from "../api/types";

const FEED_SORTS = Object.keys(FEED_SORT_LABELS) as FeedSort[];

function sortFrom(value: string | null): FeedSort {
  return FEED_SORTS.find((sort) => sort === value) ?? "new";
}

export function HomePage() {
  usePageTitle("Home");
  const me = useMe();

  if (me.isPending) return <LoadingState label="Loading your home page…" />;
  if (me.isError) return <ErrorState error={me.error} onRetry={() => void me.refetch()} />;

  return (
    <div className="page">
      <Welcome user={me.data} />
      <HomeComposer />
      <UnansweredOnMySkills />
      <Feed />
    </div>
  );
}

const WELCOME_KEY = "leaderful.welcome.dismissed";

/** Dismissed welcomes are remembered in this browser, per person (no server setting fits). */
function welcomeDismissed(userId: string): boolean {
  try {
    return localStorage.getItem(`${WELCOME_KEY}:${userId}`) === "1";
  } catch {
    return false;
  }
}

/** Shown until the person dismisses it; afterwards home starts with what is new. */
function Welcome({ user }: { user: Me }) {
  const [dismissed, setDismissed] = useState(() => welcomeDismissed(user.id));
  if (dismissed) {
    return (
      <h1 className="visually-hidden" id="welcome-title">
        Home
      </h1>
    );
  }
  const firstName = user.display_name.split(/\s+/)[0] ?? user.display_name;
  function dismiss() {
    try {
      localStorage.setItem(`${WELCOME_KEY}:${user.id}`, "1");
    } catch {
      // Private modes may refuse storage: the welcome then hides until the next page load.
    }
    setDismissed(true);
  }
  return (
    <section className="welcome welcome--compact" aria-labelledby="welcome-title">
      <div className="welcome__bar">
        <p className="welcome__eyebrow">Welcome to Leaderful</p>
        <button type="button" className="welcome__dismiss" aria-label="Dismiss the welcome" onClick={dismiss}>
          <span aria-hidden="true">×</span>
        </button>
      </div>
      <h1 id="welcome-title" className="welcome__title">
        Hello, {firstName}. Everyone here can lead.
      </h1>
      <p className="welcome__lead">
        You lead whenever you answer a question, share a practice that works, steward a community or mentor someone.
      </p>
    </section>
  );
}

/** Questions waiting for someone who knows their skills; shown when there are some. */
function UnansweredOnMySkills() {
  const questions = useQuery(unansweredQuestionsQueryOptions());
  if (questions.isPending) return null;
  if (questions.isError) {
    return (
      <p className="muted-note">
        Unanswered questions on your skills didn’t load.{" "}
        <button type="button" className="link-button" onClick={() => void questions.refetch()}>
          Try again
        </button>
      </p>
    );
  }
  const items = questions.data.items;
  if (items.length === 0) return null;
  return (
    <section className="panel unanswered" aria-labelledby="unanswered-title">
      <h2 id="unanswered-title" className="section-title">
        Unanswered questions on your skills
      </h2>
      <ul className="unanswered__list">
        {items.map((post) => (
          <li key={post.id} className="unanswered__item">
            <Link to={`/posts/${post.id}`} className="unanswered__title">
              {post.title}
            </Link>
            <span className="unanswered__meta">
              {post.community.name} · {formatDate(post.created_at)}
              {post.tags.length > 0 && <> · {post.tags.map((tag) => `#${tag}`).join(" ")}</>}
            </span>
          </li>
        ))}
      </ul>
    </section>
  );
}

function HomeComposer() {
  const communities = useQuery(postableCommunitiesQueryOptions());

  if (communities.isPending) return <LoadingState label="Loading your communities…" />;
  if (communities.isError) {
    return (
      <ErrorState
        error={communities.error}
        title="Your communities didn’t load, so you can’t post yet"
        onRetry={() => void communities.refetch()}
      />
    );
  }
  if (communities.data.length === 0) {
    return (
      <section className="panel composer-panel" aria-labelledby="composer-title">
        <h2 id="composer-title" className="section-title">
          Ask, share, learn
        </h2>
        <p className="panel__lead">
          Questions and practices are shared inside communities of practice.{" "}
          <Link to="/communities">Join a community</Link> to ask your first question or share what works for you.
        </p>
      </section>
    );
  }
  return (
    <ComposerPanel
      communities={communities.data}
      title="Ask, share, learn"
      lead="Ask a question, or share a practice or a resource with one of your communities."
    />
  );
}

function Feed() {
  const [searchParams, setSearchParams] = useSearchParams();
  const sort = sortFrom(searchParams.get("sort"));
  const sortId = useId();
  const feed = useInfiniteQuery(feedQueryOptions(sort));

  return (
    <section className="stack" aria-labelledby="feed-title">
      <div className="section-bar">
        <h2 id="feed-title" className="section-title">
          Your feed
        </h2>
        <div className="field field--inline section-bar__control">
          <label className="field__label" htmlFor={sortId}>
            Sort by
          </label>
          <select
            id={sortId}
            className="input input--select input--sm"
            value={sort}
            onChange={(event) => {
              setSearchParams(
                (current) => {
                  const next = new URLSearchParams(current);
                  if (event.target.value === "new") next.delete("sort");
                  else next.set("sort", event.target.value);
                  return next;
                },
                { replace: true, preventScrollReset: true },
              );
            }}
          >
            {FEED_SORTS.map((value) => (
              <option key={value} value={value}>
                {FEED_SORT_LABELS[value]}
              </option>
            ))}
          </select>
        </div>
      </div>
      <PostList
        query={feed}
        label="Feed"
        loadingLabel="Loading your feed…"
        errorTitle="Your feed didn’t load"
        empty={
          <>
            <FeedEmpty />
            <PopularPosts />
          </>
        }
      />
    </section>
  );
}

/** What a new person sees instead of an empty feed: popular posts of public communities. */
function PopularPosts() {
  const popular = useInfiniteQuery(popularPostsQueryOptions());
  return (
    <section className="stack" aria-labelledby="popular-title">
      <div>
        <h3 id="popular-title" className="subsection-title">
          Popular in public communities
        </h3>
        <p className="muted-note">Not from your communities yet: this month’s most appreciated public posts.</p>
      </div>
      <PostList
        query={popular}
        label="Popular in public communities"
        loadingLabel="Loading popular posts…"
        errorTitle="Popular posts didn’t load"
        headingLevel={4}
        empty={<p className="muted-note">Nothing has been posted in public communities this month.</p>}
      />
    </section>
  );
}

function FeedEmpty() {
  return (
    <EmptyState title="Your feed is empty for now">
      <p>Your feed fills up from two places:</p>
      <ul className="empty-list">
        <li>
          posts in the <Link to="/communities">communities you join</Link>, and
        </li>
        <li>
          public posts about the skills in your <Link to="/skills">learning goals</Link>.
        </li>
      </ul>
      <p>Join a community or set a learning goal, and new questions and practices will show up here.</p>
    </EmptyState>
  );
}
