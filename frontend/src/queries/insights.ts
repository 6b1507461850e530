/** Leadership insights: a person's ledger, a community's health over time, the organisation's overview. */
import { infiniteQueryOptions, queryOptions } from "@tanstack/react-query";
import { getCommunityHealth, getLedgerSummary, getOrganisationHealth, listLedger } from "../api/client";

export const insightKeys = {
  ledger: (handle: string) => ["people", handle, "ledger"] as const,
  ledgerSummary: (handle: string) => ["people", handle, "ledger", "summary"] as const,
  communityHealth: (slug: string, weeks: number) => ["communities", "detail", slug, "health", weeks] as const,
  organisation: (weeks: number) => ["insights", "health", weeks] as const,
};

export function ledgerQueryOptions(handle: string) {
  return infiniteQueryOptions({
    queryKey: insightKeys.ledger(handle),
    queryFn: ({ pageParam, signal }) => listLedger(handle, { cursor: pageParam, limit: 10 }, signal),
    initialPageParam: null as string | null,
    getNextPageParam: (lastPage) => lastPage.next_cursor ?? undefined,
  });
}

export function ledgerSummaryQueryOptions(handle: string) {
  return queryOptions({
    queryKey: insightKeys.ledgerSummary(handle),
    queryFn: ({ signal }) => getLedgerSummary(handle, signal),
  });
}

export function communityHealthQueryOptions(slug: string, weeks = 26) {
  return queryOptions({
    queryKey: insightKeys.communityHealth(slug, weeks),
    queryFn: ({ signal }) => getCommunityHealth(slug, weeks, signal),
  });
}

export function organisationHealthQueryOptions(weeks = 26) {
  return queryOptions({
    queryKey: insightKeys.organisation(weeks),
    queryFn: ({ signal }) => getOrganisationHealth(weeks, signal),
  });
}
