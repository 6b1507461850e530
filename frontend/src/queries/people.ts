import { infiniteQueryOptions, keepPreviousData, queryOptions, useMutation, useQueryClient } from "@tanstack/react-query";
import { endorseSkill, getUser, listSkillEndorsements, listUsers, withdrawEndorsement } from "../api/client";
import type { Endorsement, EndorsementPut } from "../api/types";
import { aroundSuccess, type MutationCallbacks } from "./mutations";
import { personKeys, skillKeys } from "./skills";

export function profileQueryOptions(handle: string) {
  return queryOptions({
    queryKey: [...personKeys.person(handle), "profile"] as const,
    queryFn: ({ signal }) => getUser(handle, signal),
  });
}

export function endorsementsQueryOptions(handle: string, slug: string) {
  return infiniteQueryOptions({
    queryKey: personKeys.endorsements(handle, slug),
    queryFn: ({ pageParam, signal }) => listSkillEndorsements(handle, slug, { cursor: pageParam, limit: 50 }, signal),
    initialPageParam: null as string | null,
    getNextPageParam: (lastPage) => lastPage.next_cursor ?? undefined,
  });
}

// --- mutations: each owns its request and the cache entries it changes ---------------------------

/** An endorsement moves the person's skills and the skill's expert ranking. */
function refreshEndorsed(queryClient: ReturnType<typeof useQueryClient>, handle: string, slug: string) {
  return Promise.all([
    queryClient.invalidateQueries({ queryKey: personKeys.person(handle) }),
    queryClient.invalidateQueries({ queryKey: skillKeys.experts(slug) }),
  ]);
}

/** Endorses (or edits the caller's endorsement of) someone's skill. */
export function useEndorse(handle: string, slug: string, callbacks: MutationCallbacks<Endorsement, EndorsementPut> = {}) {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: (body: EndorsementPut) => endorseSkill(handle, slug, body),
    ...aroundSuccess(callbacks, { after: () => refreshEndorsed(queryClient, handle, slug) }),
  });
}

export function useWithdrawEndorsement(handle: string, slug: string, callbacks: MutationCallbacks<void, void> = {}) {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: () => withdrawEndorsement(handle, slug),
    ...aroundSuccess(callbacks, { after: () => refreshEndorsed(queryClient, handle, slug) }),
  });
}

/** People whose name or handle starts with `q`, for @mention suggestions (the first six). */
export function mentionSearchQueryOptions(q: string) {
  return queryOptions({
    queryKey: ["people", "mention", q] as const,
    queryFn: ({ signal }) => listUsers({ q, limit: 6 }, signal),
    enabled: q.length > 0,
    staleTime: 30_000,
    placeholderData: keepPreviousData,
  });
}

/** The people directory: everyone, or those whose name or handle starts with `q`, by handle. */
export function peopleDirectoryQueryOptions(q: string) {
  return infiniteQueryOptions({
    queryKey: ["people", "directory", q] as const,
    queryFn: ({ pageParam, signal }) => listUsers({ q: q || null, cursor: pageParam, limit: 24 }, signal),
    initialPageParam: null as string | null,
    getNextPageParam: (lastPage) => lastPage.next_cursor ?? undefined,
    placeholderData: keepPreviousData,
  });
}
