/**
 * The one community's cache entries, shared by the features that show a community (its own
 * pages, and posts, which need its name and the caller's permissions there).
 */
import { queryOptions } from "@tanstack/react-query";
import { getCommunity } from "../api/client";
import type { CommunityRole, CommunitySort, MembershipStatus } from "../api/types";

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

