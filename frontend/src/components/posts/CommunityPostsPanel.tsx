import { useInfiniteQuery } from "@tanstack/react-query";
import { useId, useState } from "react";
import type { PostFilters } from "../../api/client";
import type { Community, PostKind, PostSort } from "../../api/types";
import { EmptyState } from "../../components/States";
import { useAddressParams, useTypedAddressParam } from "../../lib/useAddressParams";
import { ComposerPanel } from "./ComposerPanel";
import { JoinToPost } from "./JoinToPost";
import { KIND_LABELS, POST_KINDS, POST_SORT_LABELS } from "../../lib/postLabels";
import { PostList } from "./PostList";
import { canJoinToPost, canPostIn, communityPostsQueryOptions } from "../../queries/posts";
import { SelectField } from "../Field";

const SORTS = Object.keys(POST_SORT_LABELS) as PostSort[];
const TAG_DELAY_MS = 300;

function sortFrom(value: string | null): PostSort {
  return SORTS.find((sort) => sort === value) ?? "new";
}

function kindFrom(value: string | null): PostKind | null {
  return POST_KINDS.find((kind) => kind === value) ?? null;
}

/**
 * A community's posts: pinned ones first (fetched on their own), then the rest with sort, kind
 * and tag filters kept in the address. Members get a composer.
 */
export function CommunityPostsPanel({ community }: { community: Community }) {
  const { searchParams, setParam } = useAddressParams();
  const sort = sortFrom(searchParams.get("sort"));
  const kind = kindFrom(searchParams.get("kind"));
  const { value: tag, input: tagInput, setInput: setTagInput } = useTypedAddressParam("tag", TAG_DELAY_MS);
  const ids = { sort: useId(), kind: useId(), tag: useId(), tags: useId() };

  const filters: PostFilters = { sort, kind, tag: tag || null };
  const pinned = useInfiniteQuery(communityPostsQueryOptions(community.slug, { ...filters, pinned: true }));
  const rest = useInfiniteQuery(communityPostsQueryOptions(community.slug, { ...filters, pinned: false }));
  const pinnedItems = pinned.data?.pages.flatMap((page) => page.items) ?? [];
  const filtered = kind !== null || tag !== "" || sort === "unanswered";
  const canPost = canPostIn(community);
  // Joined from here to ask: the composer opens on a question at once.
  const [joinedToAsk, setJoinedToAsk] = useState(false);

  return (
    <div className="stack">
      {(canPost || joinedToAsk) && (
        <ComposerPanel
          communities={[community]}
          fixed
          title="Share with the community"
          lead="Ask a question, or share a practice or a resource with the other members."
          headingLevel={3}
          startWith={joinedToAsk ? "question" : undefined}
        />
      )}
      {!canPost && !joinedToAsk && canJoinToPost(community) && (
        <JoinToPost
          community={community}
          onJoined={() => {
            setJoinedToAsk(true);
          }}
        />
      )}

      <section className="stack" aria-labelledby="community-posts-title">
        <h3 id="community-posts-title" className="visually-hidden">
          Posts
        </h3>
        <form
          className="toolbar toolbar--compact"
          aria-label="Filter posts"
          onSubmit={(event) => {
            event.preventDefault();
            setParam("tag", tagInput.trim() || null);
          }}
        >
          <SelectField
            id={ids.sort}
            label="Sort by"
            value={sort}
            onChange={(event) => {
              setParam("sort", event.target.value === "new" ? null : event.target.value);
            }}
          >
            {SORTS.map((value) => (
              <option key={value} value={value}>
                {POST_SORT_LABELS[value]}
              </option>
            ))}
          </SelectField>
          <SelectField
            id={ids.kind}
            label="Kind"
            value={kind ?? ""}
            onChange={(event) => {
              setParam("kind", event.target.value || null);
            }}
          >
            <option value="">All kinds</option>
            {POST_KINDS.map((value) => (
              <option key={value} value={value}>
                {KIND_LABELS[value]}
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
              list={community.tags.length > 0 ? ids.tags : undefined}
              value={tagInput}
              maxLength={80}
              autoComplete="off"
              placeholder="Any tag"
              onChange={(event) => {
                setTagInput(event.target.value);
              }}
            />
            {community.tags.length > 0 && (
              <datalist id={ids.tags}>
                {community.tags.map((value) => (
                  <option key={value} value={value} />
                ))}
              </datalist>
            )}
          </div>
        </form>

        {pinnedItems.length > 0 && (
          <section className="stack stack--sm" aria-labelledby="pinned-title">
            <p id="pinned-title" className="subsection-title">
              Pinned by moderators
            </p>
            <PostList query={pinned} label="Pinned posts" showCommunity={false} empty={null} headingLevel={4} />
          </section>
        )}

        <PostList
          query={rest}
          label={pinnedItems.length > 0 ? "Other posts" : "Posts"}
          showCommunity={false}
          headingLevel={4}
          loadingLabel="Loading posts…"
          empty={
            pinnedItems.length > 0 ? null : filtered ? (
              <EmptyState title="No posts match these filters">
                Try another kind or tag, or sort by newest to see everything.
              </EmptyState>
            ) : (
              <EmptyState title="No posts yet">
                {canPost
                  ? "Be the first: ask a question you’re stuck on, or share a practice that works for you."
                  : "Questions, best practices and resources shared here will show up in this list."}
              </EmptyState>
            )
          }
        />
      </section>
    </div>
  );
}
