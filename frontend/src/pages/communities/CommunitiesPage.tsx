import { useInfiniteQuery } from "@tanstack/react-query";
import { useId } from "react";
import { Link, useLocation } from "react-router";
import type { CommunitySort } from "../../api/types";
import { Alert } from "../../components/Alert";
import { Button } from "../../components/Button";
import { EmptyState, ErrorState, LoadingState } from "../../components/States";
import { Spinner } from "../../components/Spinner";
import { useAddressParams, useTypedAddressParam } from "../../lib/useAddressParams";
import { usePageTitle } from "../../lib/usePageTitle";
import { CommunityCard } from "./CommunityCard";
import { SORT_LABELS } from "./labels";
import { MyInvitations } from "./MyInvitations";
import { directoryQueryOptions } from "../../queries/communities";
import { pluralize } from "../../lib/format";
import { SelectField } from "../../components/Field";

const SORTS = Object.keys(SORT_LABELS) as CommunitySort[];
const SEARCH_DELAY_MS = 300;
const Q_MAX = 100;

function sortFrom(value: string | null): CommunitySort {
  return SORTS.find((sort) => sort === value) ?? "active";
}

/** The directory: search, "mine", sort; filters live in the address so they survive Back. */
export function CommunitiesPage() {
  usePageTitle("Communities");
  const location = useLocation();
  const notice = (location.state as { notice?: string } | null)?.notice;
  const { searchParams, setParam } = useAddressParams();
  const { value: q, input: query, setInput: setQuery, pending } = useTypedAddressParam("q", SEARCH_DELAY_MS);
  const mine = searchParams.get("member") === "me";
  const sort = sortFrom(searchParams.get("sort"));
  const ids = { search: useId(), sort: useId(), mine: useId() };

  const communities = useInfiniteQuery(directoryQueryOptions({ q, mine, sort }));
  const items = communities.data?.pages.flatMap((page) => page.items) ?? [];
  const searching = communities.isPlaceholderData || pending;

  return (
    <div className="page">
      <header className="page__header page__header--row">
        <div className="page__header">
          <h1>Communities of practice</h1>
          <p className="page__lead">
            Groups with a clear purpose, where colleagues ask questions, share what works and take turns leading.
          </p>
        </div>
        <Link className="btn btn--primary" to="/communities/new">
          Start a community
        </Link>
      </header>

      {notice && <Alert tone="success">{notice}</Alert>}

      <MyInvitations />

      <section className="stack" aria-labelledby="directory-title">
        <h2 id="directory-title" className="visually-hidden">
          All communities
        </h2>
        <form
          className="toolbar"
          role="search"
          aria-label="Find communities"
          onSubmit={(event) => {
            event.preventDefault();
            setParam("q", query.trim() || null);
          }}
        >
          <div className="field toolbar__search">
            <label className="field__label" htmlFor={ids.search}>
              Search
            </label>
            <input
              id={ids.search}
              className="input"
              type="search"
              value={query}
              maxLength={Q_MAX}
              placeholder="Name or address, e.g. “data”"
              autoComplete="off"
              onChange={(event) => {
                setQuery(event.target.value);
              }}
            />
          </div>
          <SelectField
            id={ids.sort}
            label="Sort by"
            value={sort}
            onChange={(event) => {
              setParam("sort", event.target.value === "active" ? null : event.target.value);
            }}
          >
            {SORTS.map((value) => (
              <option key={value} value={value}>
                {SORT_LABELS[value]}
              </option>
            ))}
          </SelectField>
          <label className="switch" htmlFor={ids.mine}>
            <input
              id={ids.mine}
              type="checkbox"
              role="switch"
              className="switch__input"
              checked={mine}
              onChange={(event) => {
                setParam("member", event.target.checked ? "me" : null);
              }}
            />
            <span className="switch__track" aria-hidden="true" />
            <span className="switch__label">Mine only</span>
          </label>
        </form>

        <p className="visually-hidden" role="status">
          {communities.isSuccess && !searching ? `${pluralize(items.length, "community", "communities")} shown.` : ""}
        </p>

        {communities.isPending ? (
          <LoadingState label="Loading communities…" />
        ) : communities.isError && items.length === 0 ? (
          <ErrorState
            error={communities.error}
            title="Communities didn’t load"
            onRetry={() => void communities.refetch()}
          />
        ) : items.length === 0 ? (
          <DirectoryEmpty q={q} mine={mine} />
        ) : (
          <>
            {searching && (
              <p className="muted-note">
                <Spinner size="sm" /> Searching…
              </p>
            )}
            <ul className="card-grid community-grid" aria-busy={searching || undefined}>
              {items.map((community) => (
                <CommunityCard key={community.id} community={community} />
              ))}
            </ul>
            {communities.isFetchNextPageError && (
              <Alert tone="error">More communities didn’t load. Try again.</Alert>
            )}
            {communities.hasNextPage && (
              <div className="load-more">
                <Button
                  variant="secondary"
                  loading={communities.isFetchingNextPage}
                  onClick={() => void communities.fetchNextPage()}
                >
                  {communities.isFetchingNextPage ? "Loading…" : "Load more"}
                </Button>
              </div>
            )}
          </>
        )}
      </section>
    </div>
  );
}

function DirectoryEmpty({ q, mine }: { q: string; mine: boolean }) {
  if (q) {
    return (
      <EmptyState title={`No communities match “${q}”`}>
        Search looks at the start of names and addresses. Try a shorter word, or start the community you were looking
        for.
      </EmptyState>
    );
  }
  if (mine) {
    return (
      <EmptyState title="You haven’t joined a community yet">
        Turn off “Mine only” to browse them all, and join one that matches what you work on.
      </EmptyState>
    );
  }
  return (
    <EmptyState
      title="No communities yet"
      action={
        <Link className="btn btn--primary" to="/communities/new">
          Start the first one
        </Link>
      }
    >
      A community of practice brings together people who share a craft. Start one around something you care about.
    </EmptyState>
  );
}
