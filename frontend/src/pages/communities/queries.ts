import { infiniteQueryOptions, keepPreviousData, queryOptions } from "@tanstack/react-query";
import {
  getAuditLog,
  getCommunityStats,
  listCommunities,
  listCommunityInvitations,
  listMembers,
  listMyInvitations,
  listNominations,
} from "../../api/client";
import type { CommunityRole, MembershipStatus } from "../../api/types";
import { communityKeys, type DirectoryFilters } from "../../queries/communities";

export { communityKeys, communityQueryOptions, type DirectoryFilters } from "../../queries/communities";


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
