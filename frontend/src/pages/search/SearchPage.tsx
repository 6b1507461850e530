import { useInfiniteQuery, useQuery } from "@tanstack/react-query";
import { useId, useRef, useState } from "react";
import { useSearchParams } from "react-router";
import type { PostKind } from "../../api/types";
import { Button } from "../../components/Button";
import { EmptyState } from "../../components/States";
import { usePageTitle } from "../../lib/usePageTitle";
import { KIND_LABELS, POST_KINDS } from "../../lib/postLabels";
import { PostList } from "../../components/posts/PostList";
import { postableCommunitiesQueryOptions, searchQueryOptions } from "../../queries/posts";
import { QuickResults } from "./QuickResults";
import { safeSnippet } from "./snippet";
import { SelectField } from "../../components/Field";

const Q_MAX = 1000;

function kindFrom(value: string | null): PostKind | null {
  return POST_KINDS.find((kind) => kind === value) ?? null;
}

/** Full-text search over the posts the caller can see; the query and filters live in the address. */
export function SearchPage() {
  const [searchParams, setSearchParams] = useSearchParams();
  const q = (searchParams.get("q") ?? "").trim();
  const kind = kindFrom(searchParams.get("kind"));
  const community = searchParams.get("community") ?? "";
  const tag = (searchParams.get("tag") ?? "").trim();
  usePageTitle(q ? `Search: ${q}` : "Search");

  const [query, setQuery] = useState(q);
  const [tagInput, setTagInput] = useState(tag);
  const ids = { q: useId(), kind: useId(), community: useId(), tag: useId() };
  const input = useRef<HTMLInputElement>(null);

  // Back/forward changes the address: the boxes follow it (adjusted while rendering, not in an effect).
  const [shown, setShown] = useState({ q, tag });
  if (shown.q !== q || shown.tag !== tag) {
    setShown({ q, tag });
    setQuery(q);
    setTagInput(tag);
  }

  const communities = useQuery(postableCommunitiesQueryOptions());
  const results = useInfiniteQuery(searchQueryOptions({ q, kind, community: community || null, tag: tag || null }));
  const count = results.data?.pages.reduce((sum, page) => sum + page.items.length, 0) ?? 0;

  function update(changes: Record<string, string | null>, replace = true) {
    setSearchParams(
      (current) => {
        const next = new URLSearchParams(current);
        for (const [name, value] of Object.entries(changes)) {
          if (value) next.set(name, value);
          else next.delete(name);
        }
        return next;
      },
      { replace, preventScrollReset: true },
    );
  }

  const knownCommunities = communities.data ?? [];
  const communityMissing = community !== "" && !knownCommunities.some((item) => item.slug === community);

  return (
    <div className="page">
      <header className="page__header">
        <h1>Search</h1>
        <p className="page__lead">
          Posts across the communities you can see, and the people, skills and communities that match.
        </p>
      </header>

      <form
        className="toolbar search-form"
        role="search"
        aria-label="Search posts"
        onSubmit={(event) => {
          event.preventDefault();
          const text = query.trim();
          if (!text) {
            input.current?.focus();
            return;
          }
          update({ q: text, tag: tagInput.trim() || null }, false);
        }}
      >
        <div className="field toolbar__search">
          <label className="field__label" htmlFor={ids.q}>
            Search for
          </label>
          <div className="search-box">
            <input
              ref={input}
              id={ids.q}
              className="input"
              type="search"
              value={query}
              maxLength={Q_MAX}
              autoComplete="off"
              placeholder="e.g. code review checklist"
              onChange={(event) => {
                setQuery(event.target.value);
              }}
            />
            <Button type="submit">Search</Button>
          </div>
        </div>
        <SelectField
          id={ids.kind}
          label="Kind"
          value={kind ?? ""}
          onChange={(event) => {
            update({ kind: event.target.value || null });
          }}
        >
          <option value="">All kinds</option>
          {POST_KINDS.map((value) => (
            <option key={value} value={value}>
              {KIND_LABELS[value]}
            </option>
          ))}
        </SelectField>
        <SelectField
          id={ids.community}
          label="Community"
          value={community}
          onChange={(event) => {
            update({ community: event.target.value || null });
          }}
        >
          <option value="">All communities</option>
          {communityMissing && <option value={community}>{community}</option>}
          {knownCommunities.map((item) => (
            <option key={item.slug} value={item.slug}>
              {item.name}
            </option>
          ))}
        </SelectField>
        <div className="field">
          <label className="field__label" htmlFor={ids.tag}>
            Tag
          </label>
          <input
            id={ids.tag}
            className="input"
            type="search"
            value={tagInput}
            maxLength={80}
            autoComplete="off"
            placeholder="Any tag"
            onChange={(event) => {
              setTagInput(event.target.value);
            }}
            onBlur={() => {
              if (tagInput.trim() !== tag) update({ tag: tagInput.trim() || null });
            }}
          />
        </div>
      </form>

      {q && <QuickResults q={q} />}

      <section className="stack" aria-labelledby="results-title">
        <h2 id="results-title" className={q ? "section-title" : "visually-hidden"}>
          {q ? "Posts" : "Results"}
        </h2>
        <p className="visually-hidden" role="status">
          {q && results.isSuccess && !results.isPlaceholderData
            ? `${results.hasNextPage ? `More than ${count.toLocaleString()} results` : `${count.toLocaleString()} ${count === 1 ? "result" : "results"}`} for ${q}.`
            : ""}
        </p>
        {!q ? (
          <EmptyState title="What are you looking for?">
            <p>
              Type a few words and press Search. Use quotes for an exact phrase (“code review”) and a minus sign to leave a
              word out (-draft).
            </p>
          </EmptyState>
        ) : (
          <PostList
            query={results}
            label={`Results for ${q}`}
            loadingLabel="Searching…"
            errorTitle="Search didn’t work"
            renderExtra={(hit) =>
              hit.snippet ? (
                <p className="post-card__snippet" dangerouslySetInnerHTML={{ __html: safeSnippet(hit.snippet) }} />
              ) : null
            }
            empty={
              <EmptyState title={`Nothing matches “${q}”`}>
                {kind || community || tag
                  ? "Try removing a filter, or use fewer or different words."
                  : "Try fewer or different words. Search covers posts in public communities and the private ones you belong to."}
              </EmptyState>
            }
          />
        )}
      </section>
    </div>
  );
}
