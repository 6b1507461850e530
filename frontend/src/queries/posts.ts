import { infiniteQueryOptions, keepPreviousData, queryOptions, type QueryClient } from "@tanstack/react-query";
import {
  getFeed,
  getPost,
  listCommunities,
  listComments,
  listCommunityPosts,
  listReports,
  searchPosts,
  type PostFilters,
  type PostSearch,
} from "../api/client";
import type { Community, FeedSort, Post, PostComment, ReactionKind } from "../api/types";
import type { Versioned } from "../api/client";

/**
 * Lists live under `postKeys.lists()` so that any change to a post (a new one, an edit, a
 * reaction) can refresh every list that may show it with one invalidation.
 */
export const postKeys = {
  all: ["posts"] as const,
  lists: () => ["posts", "list"] as const,
  feed: (sort: FeedSort) => ["posts", "list", "feed", sort] as const,
  community: (slug: string, filters: PostFilters) => ["posts", "list", "community", slug, filters] as const,
  search: (params: PostSearch) => ["posts", "list", "search", params] as const,
  detail: (id: string) => ["posts", "detail", id] as const,
  comments: (id: string) => ["posts", "detail", id, "comments"] as const,
  /** Under the community's key, so the community page's refreshes include it. */
  reports: (slug: string) => ["communities", "detail", slug, "reports"] as const,
  /** Under the communities' list key: joining or leaving refreshes it. */
  myCommunities: () => ["communities", "list", "member-of"] as const,
};

export function feedQueryOptions(sort: FeedSort) {
  return infiniteQueryOptions({
    queryKey: postKeys.feed(sort),
    queryFn: ({ pageParam, signal }) => getFeed({ sort, cursor: pageParam }, signal),
    initialPageParam: null as string | null,
    getNextPageParam: (lastPage) => lastPage.next_cursor ?? undefined,
    placeholderData: keepPreviousData,
  });
}

export function communityPostsQueryOptions(slug: string, filters: PostFilters) {
  return infiniteQueryOptions({
    queryKey: postKeys.community(slug, filters),
    queryFn: ({ pageParam, signal }) => listCommunityPosts(slug, { ...filters, cursor: pageParam }, signal),
    initialPageParam: null as string | null,
    getNextPageParam: (lastPage) => lastPage.next_cursor ?? undefined,
    placeholderData: keepPreviousData,
  });
}

export function searchQueryOptions(params: PostSearch) {
  return infiniteQueryOptions({
    queryKey: postKeys.search(params),
    queryFn: ({ pageParam, signal }) => searchPosts({ ...params, cursor: pageParam }, signal),
    initialPageParam: null as string | null,
    getNextPageParam: (lastPage) => lastPage.next_cursor ?? undefined,
    placeholderData: keepPreviousData,
    enabled: params.q.trim() !== "",
  });
}

export function postQueryOptions(id: string) {
  return queryOptions({
    queryKey: postKeys.detail(id),
    queryFn: ({ signal }) => getPost(id, signal),
  });
}

/** Comments come oldest first, so a reply always arrives after the comment it answers. */
export function commentsQueryOptions(postId: string) {
  return infiniteQueryOptions({
    queryKey: postKeys.comments(postId),
    queryFn: ({ pageParam, signal }) => listComments(postId, { cursor: pageParam, limit: 100 }, signal),
    initialPageParam: null as string | null,
    getNextPageParam: (lastPage) => lastPage.next_cursor ?? undefined,
  });
}

export function openReportsQueryOptions(slug: string) {
  return infiniteQueryOptions({
    queryKey: postKeys.reports(slug),
    queryFn: ({ pageParam, signal }) => listReports(slug, { status: "open", cursor: pageParam }, signal),
    initialPageParam: null as string | null,
    getNextPageParam: (lastPage) => lastPage.next_cursor ?? undefined,
  });
}

/** At most this many pages (of 100) of the caller's communities are read for the composer. */
const MY_COMMUNITY_PAGES = 5;

/** Where the caller may post: communities they are an active member of, not archived. */
export function postableCommunitiesQueryOptions() {
  return queryOptions({
    queryKey: postKeys.myCommunities(),
    queryFn: async ({ signal }) => {
      const found: Community[] = [];
      let cursor: string | null = null;
      for (let page = 0; page < MY_COMMUNITY_PAGES; page += 1) {
        const result = await listCommunities({ mine: true, sort: "active", cursor, limit: 100 }, signal);
        found.push(...result.items);
        cursor = result.next_cursor;
        if (!cursor) break;
      }
      return found.filter(canPostIn).sort((a, b) => a.name.localeCompare(b.name));
    },
  });
}

export function canPostIn(community: Community): boolean {
  if (community.archived_at !== null || community.my_membership?.status !== "active") return false;
  return community.my_permissions.includes("post");
}

export function canModerate(community: Community | undefined): boolean {
  return community?.my_permissions.includes("moderate") ?? false;
}

/** A post with one reaction of the caller's switched on or off (counts included). */
export function withReaction<T extends Pick<Post, "reactions" | "my_reactions">>(
  item: T,
  kind: ReactionKind,
  on: boolean,
): T {
  const had = item.my_reactions.includes(kind);
  if (had === on) return item;
  return {
    ...item,
    reactions: { ...item.reactions, [kind]: Math.max(0, item.reactions[kind] + (on ? 1 : -1)) },
    my_reactions: on ? [...item.my_reactions, kind] : item.my_reactions.filter((value) => value !== kind),
  };
}

/** Replaces one post wherever cached lists hold it, so lists agree with the post page. */
export function updateCachedPost(queryClient: QueryClient, post: Post): void {
  queryClient.setQueriesData<{ pages: { items: Post[]; next_cursor: string | null }[]; pageParams: unknown[] }>(
    { queryKey: postKeys.lists() },
    (data) =>
      data && {
        ...data,
        pages: data.pages.map((page) => ({
          ...page,
          items: page.items.map((item) => (item.id === post.id ? { ...item, ...post } : item)),
        })),
      },
  );
}

export function setCachedPost(queryClient: QueryClient, post: Post, etag: string | null): void {
  queryClient.setQueryData<Versioned<Post>>(postKeys.detail(post.id), { data: post, etag });
  updateCachedPost(queryClient, post);
}

export interface CommentsData {
  pages: { items: PostComment[]; next_cursor: string | null }[];
  pageParams: unknown[];
}

export function updateCachedComment(
  queryClient: QueryClient,
  postId: string,
  commentId: string,
  change: (comment: PostComment) => PostComment,
): void {
  queryClient.setQueryData<CommentsData>(postKeys.comments(postId), (data) =>
    data && {
      ...data,
      pages: data.pages.map((page) => ({
        ...page,
        items: page.items.map((item) => (item.id === commentId ? change(item) : item)),
      })),
    },
  );
}
