import { useInfiniteQuery, useQuery } from "@tanstack/react-query";
import { useId } from "react";
import { Link, useSearchParams } from "react-router";
import type { FeedSort } from "../api/types";
import { useMe } from "../auth/queries";
import { EmptyState, ErrorState, LoadingState } from "../components/States";
import { usePageTitle } from "../lib/usePageTitle";
import { ComposerPanel } from "../components/posts/ComposerPanel";
import { FEED_SORT_LABELS } from "../lib/postLabels";
import { PostList } from "../components/posts/PostList";
import { feedQueryOptions, postableCommunitiesQueryOptions } from "../queries/posts";

const FEED_SORTS = Object.keys(FEED_SORT_LABELS) as FeedSort[];

function sortFrom(value: string | null): FeedSort {
  return FEED_SORTS.find((sort) => sort === value) ?? "new";
}

export function HomePage() {
  usePageTitle("Home");
  const me = useMe();

  if (me.isPending) return <LoadingState label="Loading your home page…" />;
  if (me.isError) return <ErrorState error={me.error} onRetry={() => void me.refetch()} />;

  const firstName = me.data.display_name.split(/\s+/)[0] ?? me.data.display_name;

  return (
    <div className="page">
      <section className="welcome welcome--compact" aria-labelledby="welcome-title">
        <p className="welcome__eyebrow">Welcome to Leaderful</p>
        <h1 id="welcome-title" className="welcome__title">
          Hello, {firstName}. Everyone here can lead.
        </h1>
        <p className="welcome__lead">
          You lead whenever you answer a question, share a practice that works, steward a community or mentor someone.
        </p>
      </section>
      <HomeComposer />
      <Feed />
    </div>
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
        empty={<FeedEmpty />}
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
