import {
  infiniteQueryOptions,
  keepPreviousData,
  queryOptions,
  useMutation,
  useQueryClient,
  type QueryClient,
} from "@tanstack/react-query";
import { useRef } from "react";
import {
  createComment,
  createPost,
  deleteComment,
  deletePost,
  reportContent,
  resolveReport,
  setAcceptedAnswer,
  setCommentReaction,
  setPostReaction,
  setPostWatch,
  getPostWatch,
  dismissNudge,
  updateComment,
  updatePost,
  getFeed,
  listPopularPosts,
  listUnansweredQuestions,
  getPost,
  listCommunities,
  listComments,
  listCommunityPosts,
  listReports,
  searchPosts,
  previewMarkdown,
  type PostFilters,
  type PostSearch,
} from "../api/client";
import type {
  Community,
  FeedSort,
  Post,
  PostComment,
  PostCreate,
  PostUpdate,
  PostWatch,
  ReactionKind,
  ReportCreate,
  ReportResolve,
} from "../api/types";
import type { Versioned } from "../api/client";
import { newIdempotencyKey } from "../lib/idempotency";
import { communityKeys } from "./communities";
import { aroundSuccess, type MutationCallbacks } from "./mutations";

/**
 * Lists live under `postKeys.lists()` so that any change to a post (a new one, an edit, a
 * reaction) can refresh every list that may show it with one invalidation.
 */
export const postKeys = {
  all: ["posts"] as const,
  lists: () => ["posts", "list"] as const,
  feed: (sort: FeedSort) => ["posts", "list", "feed", sort] as const,
  unanswered: () => ["posts", "list", "unanswered-on-my-skills"] as const,
  popular: () => ["posts", "list", "popular"] as const,
  community: (slug: string, filters: PostFilters) => ["posts", "list", "community", slug, filters] as const,
  search: (params: PostSearch) => ["posts", "list", "search", params] as const,
  detail: (id: string) => ["posts", "detail", id] as const,
  comments: (id: string) => ["posts", "detail", id, "comments"] as const,
  /** Whether the caller watches the post, as the server says (refreshed by commenting). */
  watching: (id: string) => ["posts", "watching", id] as const,
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

/** The first few unanswered questions on my skills: a section of the home page. */
export function unansweredQuestionsQueryOptions(limit = 5) {
  return queryOptions({
    queryKey: [...postKeys.unanswered(), limit] as const,
    queryFn: ({ signal }) => listUnansweredQuestions({ limit }, signal),
  });
}

export function popularPostsQueryOptions() {
  return infiniteQueryOptions({
    queryKey: postKeys.popular(),
    queryFn: ({ pageParam, signal }) => listPopularPosts({ cursor: pageParam, limit: 10 }, signal),
    initialPageParam: null as string | null,
    getNextPageParam: (lastPage) => lastPage.next_cursor ?? undefined,
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

/** The composer's preview: the server's rendering of exactly this text (nothing is stored). */
export function previewQueryOptions(body: string) {
  return queryOptions({
    queryKey: ["markdown", "preview", body] as const,
    queryFn: ({ signal }) => previewMarkdown(body, signal),
    staleTime: 60_000,
    placeholderData: keepPreviousData,
  });
}

/**
 * Up to five questions like the one being titled: the title's words joined with "or" (any word
 * counts, the best matches first), so a long title still finds near neighbours.
 */
export function similarQuestionsQueryOptions(title: string) {
  const words = similarWords(title);
  return queryOptions({
    queryKey: ["posts", "similar", words] as const,
    queryFn: ({ signal }) => searchPosts({ q: words.join(" or "), kind: "question", limit: 5 }, signal),
    enabled: words.length > 0,
    staleTime: 30_000,
    placeholderData: keepPreviousData,
  });
}

// Words every question has: they would make every question "similar".
const QUESTION_WORDS = new Set(
  "the and for you your our are can could does did how what when where which who why with should would this that there from into about any best way".split(" "),
);

/** The words of a title worth searching for: 3 letters or more, not the question words, at most eight. */
export function similarWords(title: string): string[] {
  const words = title.toLowerCase().match(/[\p{L}\p{N}]{3,}/gu) ?? [];
  return [...new Set(words)].filter((word) => !QUESTION_WORDS.has(word)).slice(0, 8);
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

/** Whether the caller watches the post and why (`GET /posts/{id}/watch`). */
export function watchingQueryOptions(postId: string) {
  return queryOptions({
    queryKey: postKeys.watching(postId),
    queryFn: ({ signal }) => getPostWatch(postId, signal),
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

/** Anyone may join at once: a public, open community that is not archived. */
export function canJoinToPost(community: Community): boolean {
  return (
    community.my_membership === null &&
    community.archived_at === null &&
    community.visibility === "public" &&
    community.join_policy === "open"
  );
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

// --- mutations: each owns its request and the cache entries it changes ---------------------------

/**
 * A new post. A retry of the same community and body reuses its idempotency key, so a post
 * whose answer was lost is not created twice.
 */
export function useCreatePost(callbacks: MutationCallbacks<Post, { community: string; body: PostCreate }> = {}) {
  const queryClient = useQueryClient();
  const lastAttempt = useRef<{ body: string; key: string } | null>(null);
  return useMutation({
    mutationFn: ({ community, body }: { community: string; body: PostCreate }) => {
      const serialized = JSON.stringify([community, body]);
      if (lastAttempt.current?.body !== serialized) {
        lastAttempt.current = { body: serialized, key: newIdempotencyKey() };
      }
      return createPost(community, body, lastAttempt.current.key);
    },
    ...aroundSuccess(callbacks, {
      after: (post) =>
        Promise.all([
          queryClient.invalidateQueries({ queryKey: postKeys.lists() }),
          queryClient.invalidateQueries({ queryKey: communityKeys.detail(post.community.slug), exact: true }),
        ]),
    }),
  });
}

/**
 * The author's edit, sent with `If-Match: etag` (a 412 reaches the page's onError). The page may
 * carry more in an attempt (what it merges after a conflict).
 */
export function useEditPost<TAttempt extends { changes: PostUpdate; etag: string | null }>(
  postId: string,
  callbacks: MutationCallbacks<Versioned<Post>, TAttempt> = {},
) {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: ({ changes, etag }: TAttempt) => updatePost(postId, changes, etag),
    ...aroundSuccess(callbacks, { before: (updated) => { setCachedPost(queryClient, updated.data, updated.etag); } }),
  });
}

/** Moderators pin or lock a post. */
export function useModeratePost(
  postId: string,
  callbacks: MutationCallbacks<Versioned<Post>, { is_pinned?: boolean; is_locked?: boolean }> = {},
) {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: (changes: { is_pinned?: boolean; is_locked?: boolean }) => updatePost(postId, changes),
    ...aroundSuccess(callbacks, {
      before: (updated) => { setCachedPost(queryClient, updated.data, updated.etag); },
      after: () => queryClient.invalidateQueries({ queryKey: postKeys.lists() }),
    }),
  });
}

/** Deletes a post; the lists and its community are refreshed before the page moves on. */
export function useDeletePost(post: Post, callbacks: MutationCallbacks<void, void> = {}) {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: () => deletePost(post.id),
    ...aroundSuccess(callbacks, {
      before: async () => {
        queryClient.removeQueries({ queryKey: postKeys.detail(post.id) });
        await Promise.all([
          queryClient.invalidateQueries({ queryKey: postKeys.lists() }),
          queryClient.invalidateQueries({ queryKey: communityKeys.detail(post.community.slug) }),
        ]);
      },
    }),
  });
}

export interface ReactionToggle {
  kind: ReactionKind;
  on: boolean;
}

/** The caller's reaction to a post, switched on or off; the post and the lists show it at once. */
export function usePostReaction(postId: string) {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: async ({ kind, on }: ReactionToggle) => {
      await setPostReaction(postId, kind, on);
      const current = queryClient.getQueryData<Versioned<Post>>(postKeys.detail(postId));
      if (current) setCachedPost(queryClient, withReaction(current.data, kind, on), current.etag);
    },
  });
}

/** The caller's reaction to a comment, switched on or off. */
export function useCommentReaction(postId: string, commentId: string) {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: async ({ kind, on }: ReactionToggle) => {
      await setCommentReaction(commentId, kind, on);
      updateCachedComment(queryClient, postId, commentId, (item) => withReaction(item, kind, on));
    },
  });
}

/** The thread after a comment came or went: its comments, the post's count, the lists. */
function refreshThread(queryClient: QueryClient, postId: string) {
  return Promise.all([
    queryClient.invalidateQueries({ queryKey: postKeys.comments(postId) }),
    // Commenting watches the post (unless the caller stopped watching it before).
    queryClient.invalidateQueries({ queryKey: postKeys.watching(postId) }),
    queryClient.invalidateQueries({ queryKey: postKeys.detail(postId), exact: true }),
    queryClient.invalidateQueries({ queryKey: postKeys.lists() }),
  ]);
}

/** What a comment form sends: its text and the uploads to attach. */
export interface CommentDraft {
  body: string;
  attachmentIds?: string[];
}

/** A comment, or a reply to `parentId`. */
export function useCreateComment(
  postId: string,
  parentId: string | null,
  callbacks: MutationCallbacks<PostComment, CommentDraft> = {},
) {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: (draft: CommentDraft) =>
      createComment(postId, { body: draft.body, parent_id: parentId, attachment_ids: draft.attachmentIds ?? [] }),
    ...aroundSuccess(callbacks, { after: () => refreshThread(queryClient, postId) }),
  });
}

export function useEditComment(comment: PostComment, callbacks: MutationCallbacks<PostComment, string> = {}) {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: (text: string) => updateComment(comment.id, text),
    ...aroundSuccess(callbacks, {
      before: (updated) => { updateCachedComment(queryClient, comment.post_id, comment.id, () => updated); },
    }),
  });
}

export function useDeleteComment(postId: string, commentId: string, callbacks: MutationCallbacks<void, void> = {}) {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: () => deleteComment(commentId),
    ...aroundSuccess(callbacks, { after: () => refreshThread(queryClient, postId) }),
  });
}

/** Accepts `commentId` as the question's answer, or (null) withdraws the accepted one. */
export function useAcceptAnswer(postId: string, callbacks: MutationCallbacks<Post, string | null> = {}) {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: (commentId: string | null) => setAcceptedAnswer(postId, commentId),
    ...aroundSuccess(callbacks, {
      before: (updated) => {
        const etag = queryClient.getQueryData<{ etag: string | null }>(postKeys.detail(postId))?.etag ?? null;
        setCachedPost(queryClient, updated, etag);
        queryClient.setQueryData<CommentsData>(postKeys.comments(postId), (data) =>
          data && {
            ...data,
            pages: data.pages.map((page) => ({
              ...page,
              items: page.items.map((item) => ({ ...item, is_accepted: item.id === updated.accepted_comment_id })),
            })),
          },
        );
      },
      // The version changed: reload the post for its new ETag.
      after: () => queryClient.invalidateQueries({ queryKey: postKeys.detail(postId), exact: true }),
    }),
  });
}

/** Flags a post or comment for the community's moderators. */
export function useReportContent(target: "post" | "comment", id: string, callbacks: MutationCallbacks<unknown, ReportCreate> = {}) {
  return useMutation({
    mutationFn: (input: ReportCreate) => reportContent(target, id, input),
    ...callbacks,
  });
}

/** A moderator's decision on a report; removing the content refreshes every post. */
export function useResolveReport(
  slug: string,
  reportId: string,
  callbacks: MutationCallbacks<unknown, ReportResolve> = {},
) {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: (input: ReportResolve) => resolveReport(reportId, input),
    ...aroundSuccess(callbacks, {
      after: (_resolved, input) =>
        Promise.all([
          queryClient.invalidateQueries({ queryKey: postKeys.reports(slug) }),
          queryClient.invalidateQueries({ queryKey: communityKeys.audit(slug) }),
          input.action === "remove_content" ? queryClient.invalidateQueries({ queryKey: postKeys.all }) : null,
        ]),
    }),
  });
}

/** "Not for me": the caller is not nudged about this question again; the post shows it dismissed. */
export function useDismissNudge(postId: string, callbacks: MutationCallbacks<void, void> = {}) {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: () => dismissNudge(postId),
    ...aroundSuccess(callbacks, {
      before: () => {
        queryClient.setQueryData<Versioned<Post>>(postKeys.detail(postId), (current) =>
          current?.data.nudge ? { ...current, data: { ...current.data, nudge: { ...current.data.nudge, dismissed: true } } } : current,
        );
      },
    }),
  });
}

/** Watch (be told of every new comment) or stop watching; then the server's state is read again. */
export function useWatchPost(postId: string, callbacks: MutationCallbacks<void, boolean> = {}) {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: (on: boolean) => setPostWatch(postId, on),
    ...aroundSuccess(callbacks, {
      before: (_nothing, on) => {
        queryClient.setQueryData(postKeys.watching(postId), (known?: PostWatch) =>
          on ? { watching: true, reason: known?.watching ? known.reason : "explicit" } : { watching: false, reason: null },
        );
      },
      after: () => queryClient.invalidateQueries({ queryKey: postKeys.watching(postId) }),
    }),
  });
}
