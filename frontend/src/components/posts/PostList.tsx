import type { InfiniteData, UseInfiniteQueryResult } from "@tanstack/react-query";
import type { ReactNode } from "react";
import type { Page, Post } from "../../api/types";
import { Alert } from "../../components/Alert";
import { Button } from "../../components/Button";
import { ErrorState, LoadingState } from "../../components/States";
import { Spinner } from "../../components/Spinner";
import { PostCard } from "./PostCard";

interface PostListProps<T extends Post> {
  query: UseInfiniteQueryResult<InfiniteData<Page<T>>>;
  /** Shown when the list loaded and is empty. */
  empty: ReactNode;
  label: string;
  loadingLabel?: string;
  errorTitle?: string;
  showCommunity?: boolean;
  /** Extra content inside each card (e.g. a search snippet). */
  renderExtra?: (post: T) => ReactNode;
  /** Posts to leave out (e.g. pinned ones, already shown above). */
  exclude?: ReadonlySet<string>;
  headingLevel?: 2 | 3 | 4;
}

/** A paged list of posts with its loading, empty and error states and a "Load more" button. */
export function PostList<T extends Post>({
  query,
  empty,
  label,
  loadingLabel = "Loading posts…",
  errorTitle = "Posts didn’t load",
  showCommunity = true,
  renderExtra,
  exclude,
  headingLevel = 3,
}: PostListProps<T>) {
  const items = (query.data?.pages.flatMap((page) => page.items) ?? []).filter((post) => !exclude?.has(post.id));
  const updating = query.isPlaceholderData;

  if (query.isPending) return <LoadingState label={loadingLabel} />;
  if (query.isError && items.length === 0) {
    return <ErrorState error={query.error} title={errorTitle} onRetry={() => void query.refetch()} />;
  }
  if (items.length === 0 && !query.hasNextPage) return <>{empty}</>;

  return (
    <div className="stack">
      {updating && (
        <p className="muted-note">
          <Spinner size="sm" /> Updating…
        </p>
      )}
      <ul className="post-list" aria-label={label} aria-busy={updating || undefined}>
        {items.map((post) => (
          <PostCard key={post.id} post={post} showCommunity={showCommunity} headingLevel={headingLevel}>
            {renderExtra?.(post)}
          </PostCard>
        ))}
      </ul>
      {query.isFetchNextPageError && <Alert tone="error">More posts didn’t load. Try again.</Alert>}
      {query.hasNextPage && (
        <div className="load-more">
          <Button variant="secondary" loading={query.isFetchingNextPage} onClick={() => void query.fetchNextPage()}>
            {query.isFetchingNextPage ? "Loading…" : "Load more"}
          </Button>
        </div>
      )}
    </div>
  );
}
