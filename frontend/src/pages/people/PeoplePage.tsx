import { useInfiniteQuery } from "@tanstack/react-query";
import { useId } from "react";
import { Alert } from "../../components/Alert";
import { Button } from "../../components/Button";
import { PersonLink } from "../../components/PersonLink";
import { Spinner } from "../../components/Spinner";
import { EmptyState, ErrorState, LoadingState } from "../../components/States";
import { useTypedAddressParam } from "../../lib/useAddressParams";
import { usePageTitle } from "../../lib/usePageTitle";
import { peopleDirectoryQueryOptions } from "../../queries/people";

const SEARCH_DELAY_MS = 250;

/** Everyone on Leaderful, by handle; the search (kept in the address) narrows by name or handle. */
export function PeoplePage() {
  usePageTitle("People");
  const id = useId();
  const { value: q, input, setInput } = useTypedAddressParam("q", SEARCH_DELAY_MS);
  const people = useInfiniteQuery(peopleDirectoryQueryOptions(q));
  const items = people.data?.pages.flatMap((page) => page.items) ?? [];

  return (
    <div className="page">
      <header className="page__header">
        <h1>People</h1>
        <p className="page__lead">Find a colleague by name or handle, then see what they know and ask them.</p>
      </header>
      <form
        className="toolbar"
        role="search"
        aria-label="Search people"
        onSubmit={(event) => {
          event.preventDefault();
        }}
      >
        <div className="field toolbar__search">
          <label className="field__label" htmlFor={`${id}-q`}>
            Name or handle
          </label>
          <input
            id={`${id}-q`}
            className="input"
            type="search"
            value={input}
            maxLength={100}
            autoComplete="off"
            placeholder="e.g. Grace or @grace"
            onChange={(event) => {
              setInput(event.target.value.replace(/^@/, ""));
            }}
          />
        </div>
      </form>
      <section aria-labelledby={`${id}-results`} className="stack">
        <h2 id={`${id}-results`} className="visually-hidden">
          {q ? `People matching ${q}` : "Everyone"}
        </h2>
        {people.isPending ? (
          <LoadingState label="Loading people…" />
        ) : people.isError && items.length === 0 ? (
          <ErrorState error={people.error} title="People didn’t load" onRetry={() => void people.refetch()} />
        ) : items.length === 0 ? (
          <EmptyState title={`No one’s name or handle starts with “${q}”`}>Check the spelling, or try the first name.</EmptyState>
        ) : (
          <>
            {people.isPlaceholderData && (
              <p className="muted-note">
                <Spinner size="sm" /> Updating…
              </p>
            )}
            <ul className="member-list people-grid" aria-label={q ? `People matching ${q}` : "Everyone"}>
              {items.map((person) => (
                <li key={person.id} className="member-list__item">
                  <PersonLink user={person} />
                </li>
              ))}
            </ul>
            {people.isFetchNextPageError && <Alert tone="error">More people didn’t load. Try again.</Alert>}
            {people.hasNextPage && (
              <div className="load-more">
                <Button variant="secondary" loading={people.isFetchingNextPage} onClick={() => void people.fetchNextPage()}>
                  {people.isFetchingNextPage ? "Loading…" : "More people"}
                </Button>
              </div>
            )}
          </>
        )}
      </section>
    </div>
  );
}
