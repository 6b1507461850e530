/**
 * Communities: the cache entries and the changes. The community's own entry is shared with the
 * features that show a community (posts need its name and the caller's permissions there).
 */
import { infiniteQueryOptions, keepPreviousData, queryOptions, useMutation, useQueryClient } from "@tanstack/react-query";
import { useRef } from "react";
import {
  archiveCommunity,
  createCommunity,
  createInvitation,
  createNomination,
  decideNomination,
  getAuditLog,
  getCommunity,
  getCommunityStats,
  joinCommunity,
  leaveCommunity,
  listCommunities,
  listCommunityInvitations,
  listMembers,
  listMyInvitations,
  listNominations,
  removeMember,
  revokeInvitation,
  updateCommunity,
  updateMember,
  updateMyMembership,
  type Versioned,
} from "../api/client";
import { ApiError } from "../api/errors";
import type {
  Community,
  CommunityCreate,
  CommunityRole,
  CommunitySort,
  CommunityUpdate,
  Member,
  MembershipStatus,
  MyMembership,
  Nomination,
  NominationCreate,
  NotifyLevel,
} from "../api/types";
import { newIdempotencyKey } from "../lib/idempotency";
import { aroundSuccess, type MutationCallbacks } from "./mutations";

export interface DirectoryFilters {
  q: string;
  mine: boolean;
  sort: CommunitySort;
}

/**
 * Everything about one community lives under `communityKeys.detail(slug)`, so invalidating
 * that key after a join, leave or role change refreshes the page's every tab.
 */
export const communityKeys = {
  all: ["communities"] as const,
  lists: () => ["communities", "list"] as const,
  list: (filters: DirectoryFilters) => ["communities", "list", filters] as const,
  detail: (slug: string) => ["communities", "detail", slug] as const,
  members: (slug: string, filter: { role?: CommunityRole; status?: MembershipStatus }) =>
    ["communities", "detail", slug, "members", filter] as const,
  nominations: (slug: string) => ["communities", "detail", slug, "nominations"] as const,
  invitations: (slug: string) => ["communities", "detail", slug, "invitations"] as const,
  stats: (slug: string) => ["communities", "detail", slug, "stats"] as const,
  audit: (slug: string) => ["communities", "detail", slug, "audit"] as const,
};

export function communityQueryOptions(slug: string) {
  return queryOptions({
    queryKey: communityKeys.detail(slug),
    queryFn: ({ signal }) => getCommunity(slug, signal),
  });
}

export const invitationsQueryKey = ["me", "invitations"] as const;

export function directoryQueryOptions(filters: DirectoryFilters) {
  return infiniteQueryOptions({
    queryKey: communityKeys.list(filters),
    queryFn: ({ pageParam, signal }) =>
      listCommunities({ q: filters.q, mine: filters.mine, sort: filters.sort, cursor: pageParam }, signal),
    initialPageParam: null as string | null,
    getNextPageParam: (lastPage) => lastPage.next_cursor ?? undefined,
    // Keep showing the previous results while a new search loads.
    placeholderData: keepPreviousData,
  });
}

export function membersQueryOptions(slug: string, filter: { role?: CommunityRole; status?: MembershipStatus }) {
  return infiniteQueryOptions({
    queryKey: communityKeys.members(slug, filter),
    queryFn: ({ pageParam, signal }) => listMembers(slug, { ...filter, cursor: pageParam, limit: 50 }, signal),
    initialPageParam: null as string | null,
    getNextPageParam: (lastPage) => lastPage.next_cursor ?? undefined,
  });
}

/** The community's open invitations (stewards). */
export function communityInvitationsQueryOptions(slug: string) {
  return infiniteQueryOptions({
    queryKey: communityKeys.invitations(slug),
    queryFn: ({ pageParam, signal }) => listCommunityInvitations(slug, { cursor: pageParam, limit: 50 }, signal),
    initialPageParam: null as string | null,
    getNextPageParam: (lastPage) => lastPage.next_cursor ?? undefined,
  });
}

export function pendingNominationsQueryOptions(slug: string) {
  return infiniteQueryOptions({
    queryKey: communityKeys.nominations(slug),
    queryFn: ({ pageParam, signal }) => listNominations(slug, { status: "pending", cursor: pageParam }, signal),
    initialPageParam: null as string | null,
    getNextPageParam: (lastPage) => lastPage.next_cursor ?? undefined,
  });
}

export function statsQueryOptions(slug: string) {
  return queryOptions({
    queryKey: communityKeys.stats(slug),
    queryFn: ({ signal }) => getCommunityStats(slug, signal),
  });
}

export function auditQueryOptions(slug: string) {
  return infiniteQueryOptions({
    queryKey: communityKeys.audit(slug),
    queryFn: ({ pageParam, signal }) => getAuditLog(slug, { cursor: pageParam }, signal),
    initialPageParam: null as string | null,
    getNextPageParam: (lastPage) => lastPage.next_cursor ?? undefined,
  });
}

export function invitationsQueryOptions() {
  return infiniteQueryOptions({
    queryKey: invitationsQueryKey,
    queryFn: ({ pageParam, signal }) => listMyInvitations({ cursor: pageParam, limit: 50 }, signal),
    initialPageParam: null as string | null,
    getNextPageParam: (lastPage) => lastPage.next_cursor ?? undefined,
  });
}

/** At most this many pages of invitations are read to find one for a given community. */
const INVITATION_PAGES = 5;

/**
 * Whether the caller holds a pending invitation to `slug`. The community object does not say,
 * so this reads GET /me/invitations until it finds one.
 */
export function invitedQueryOptions(slug: string) {
  return queryOptions({
    queryKey: [...invitationsQueryKey, "to", slug] as const,
    queryFn: async ({ signal }) => {
      let cursor: string | null = null;
      for (let page = 0; page < INVITATION_PAGES; page += 1) {
        const result = await listMyInvitations({ cursor, limit: 100 }, signal);
        if (result.items.some((invitation) => invitation.community.slug === slug)) return true;
        cursor = result.next_cursor;
        if (!cursor) break;
      }
      return false;
    },
  });
}

// --- mutations: each owns its request and the cache entries it changes ---------------------------

/**
 * A new community. One key per distinct request body: resubmitting the same body after a
 * network error cannot create the community twice, while a corrected body is a new request.
 */
export function useCreateCommunity(callbacks: MutationCallbacks<Community, CommunityCreate> = {}) {
  const queryClient = useQueryClient();
  const lastAttempt = useRef<{ body: string; key: string } | null>(null);
  return useMutation({
    mutationFn: (body: CommunityCreate) => {
      const serialized = JSON.stringify(body);
      if (lastAttempt.current?.body !== serialized) {
        lastAttempt.current = { body: serialized, key: newIdempotencyKey() };
      }
      return createCommunity(body, lastAttempt.current.key);
    },
    ...aroundSuccess(callbacks, {
      before: async (community) => {
        queryClient.setQueryData(communityKeys.detail(community.slug), { data: community, etag: null });
        await queryClient.invalidateQueries({ queryKey: communityKeys.lists() });
      },
    }),
  });
}

/** A steward's edit, sent with `If-Match: etag` (a 412 reaches the page's onError). */
export function useUpdateCommunity<TAttempt extends { changes: CommunityUpdate; etag: string | null }>(
  slug: string,
  callbacks: MutationCallbacks<Versioned<Community>, TAttempt> = {},
) {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: ({ changes, etag }: TAttempt) => updateCommunity(slug, changes, etag),
    ...aroundSuccess(callbacks, {
      before: async (updated) => {
        queryClient.setQueryData(communityKeys.detail(slug), updated);
        await queryClient.invalidateQueries({ queryKey: communityKeys.lists() });
      },
    }),
  });
}

export function useArchiveCommunity(slug: string, callbacks: MutationCallbacks<void, void> = {}) {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: () => archiveCommunity(slug),
    ...aroundSuccess(callbacks, { before: () => queryClient.invalidateQueries({ queryKey: communityKeys.all }) }),
  });
}

/** Shows the caller's new membership (and member count) on the cached community at once. */
function useSetMembership(slug: string) {
  const queryClient = useQueryClient();
  return (membership: MyMembership | null, countChange: number) => {
    queryClient.setQueryData<Versioned<Community>>(communityKeys.detail(slug), (current) =>
      current
        ? {
            ...current,
            data: {
              ...current.data,
              my_membership: membership && {
                role: membership.role,
                status: membership.status,
                notify_level: membership.notify_level,
                term_ends_at: membership.term_ends_at,
              },
              member_count: Math.max(0, current.data.member_count + countChange),
            },
          }
        : current,
    );
  };
}

/** Everything a join or leave may change: the community, the lists, the caller's invitations. */
function useRefreshAround(slug: string) {
  const queryClient = useQueryClient();
  return () =>
    Promise.all([
      queryClient.invalidateQueries({ queryKey: communityKeys.detail(slug) }),
      queryClient.invalidateQueries({ queryKey: communityKeys.lists() }),
      queryClient.invalidateQueries({ queryKey: invitationsQueryKey }),
    ]);
}

/** Join (or ask to, or accept an invitation to) `community`. */
export function useJoinCommunity(community: Community, callbacks: MutationCallbacks<MyMembership, void> = {}) {
  const setMembership = useSetMembership(community.slug);
  const refreshAround = useRefreshAround(community.slug);
  return useMutation({
    mutationFn: () => joinCommunity(community.slug),
    ...aroundSuccess(callbacks, {
      before: (membership) => {
        const wasMember = community.my_membership?.status === "active";
        setMembership(membership, membership.status === "active" && !wasMember ? 1 : 0);
      },
      after: refreshAround,
    }),
  });
}

/** Whether leaving makes `community` disappear for the caller: a private one they were active in. */
export function leavingHides(community: Community): boolean {
  return community.visibility === "private" && community.my_membership?.status === "active";
}

/**
 * Leave `community` (or withdraw a request). A private community disappears for people who
 * leave it: its entry goes and the lists are refreshed before the page moves on.
 */
export function useLeaveCommunity(community: Community, callbacks: MutationCallbacks<void, void> = {}) {
  const queryClient = useQueryClient();
  const setMembership = useSetMembership(community.slug);
  const refreshAround = useRefreshAround(community.slug);
  return useMutation({
    mutationFn: () => leaveCommunity(community.slug),
    ...aroundSuccess(callbacks, {
      before: async () => {
        if (leavingHides(community)) {
          queryClient.removeQueries({ queryKey: communityKeys.detail(community.slug) });
          await queryClient.invalidateQueries({ queryKey: communityKeys.lists() });
          return;
        }
        setMembership(null, community.my_membership?.status === "active" ? -1 : 0);
      },
      after: () => (leavingHides(community) ? undefined : refreshAround()),
    }),
  });
}

/** The caller's notification level in `community`: every new post, mentions only, or nothing. */
export function useSetNotifyLevel(community: Community, callbacks: MutationCallbacks<MyMembership, NotifyLevel> = {}) {
  const setMembership = useSetMembership(community.slug);
  return useMutation({
    mutationFn: (level: NotifyLevel) => updateMyMembership(community.slug, level),
    ...aroundSuccess(callbacks, {
      before: (membership) => {
        setMembership(membership, 0);
      },
    }),
  });
}

/** Moderators and stewards change a member (approve a request, change a role); the community refreshes. */
export function useUpdateMember<TVariables>(
  slug: string,
  handle: string,
  changes: (variables: TVariables) => Parameters<typeof updateMember>[2],
  callbacks: MutationCallbacks<Member, TVariables> = {},
) {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: (variables: TVariables) => updateMember(slug, handle, changes(variables)),
    ...aroundSuccess(callbacks, { after: () => queryClient.invalidateQueries({ queryKey: communityKeys.detail(slug) }) }),
  });
}

/** Removes a member, or declines a request to join. */
export function useRemoveMember(slug: string, handle: string, callbacks: MutationCallbacks<void, void> = {}) {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: () => removeMember(slug, handle),
    ...aroundSuccess(callbacks, { after: () => queryClient.invalidateQueries({ queryKey: communityKeys.detail(slug) }) }),
  });
}

/** Invites the person with a handle. */
export function useInvite(slug: string, callbacks: MutationCallbacks<unknown, string> = {}) {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: (handle: string) => createInvitation(slug, handle),
    ...aroundSuccess(callbacks, {
      after: () => queryClient.invalidateQueries({ queryKey: communityKeys.invitations(slug) }),
    }),
  });
}

/** Withdraws an invitation; one accepted or withdrawn meanwhile (404) refreshes the out-of-date list. */
export function useRevokeInvitation(slug: string, handle: string, callbacks: MutationCallbacks<void, void> = {}) {
  const queryClient = useQueryClient();
  const refresh = () => queryClient.invalidateQueries({ queryKey: communityKeys.invitations(slug) });
  return useMutation({
    mutationFn: () => revokeInvitation(slug, handle),
    ...aroundSuccess(callbacks, { after: refresh }),
    onError: async (...args) => {
      if (args[0] instanceof ApiError && args[0].status === 404) await refresh();
      await callbacks.onError?.(...args);
    },
  });
}

export function useNominate(slug: string, callbacks: MutationCallbacks<Nomination, NominationCreate> = {}) {
  return useMutation({
    mutationFn: (input: NominationCreate) => createNomination(slug, input),
    ...callbacks,
  });
}

export function useDecideNomination(
  slug: string,
  nominationId: string,
  callbacks: MutationCallbacks<Nomination, "accept" | "decline"> = {},
) {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: (decision: "accept" | "decline") => decideNomination(slug, nominationId, decision),
    ...aroundSuccess(callbacks, { after: () => queryClient.invalidateQueries({ queryKey: communityKeys.detail(slug) }) }),
  });
}
