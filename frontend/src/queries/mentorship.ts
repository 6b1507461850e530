import { infiniteQueryOptions, keepPreviousData, queryOptions, useMutation, useQueryClient } from "@tanstack/react-query";
import {
  acceptMentorship,
  cancelMentorship,
  completeMentorship,
  createMentorship,
  declineMentorship,
  getMyMentorProfile,
  giveMentorshipFeedback,
  listMentors,
  listMentorships,
  listMentorshipSessions,
  listUsers,
  logMentorshipSession,
  putMyMentorProfile,
} from "../api/client";
import type {
  Feedback,
  FeedbackCreate,
  Mentorship,
  MentorshipCreate,
  MentorshipSession,
  MentorshipStatus,
  MentorProfile,
  MentorProfilePut,
  SessionCreate,
} from "../api/types";
import { aroundSuccess, type MutationCallbacks } from "./mutations";
import { MENTOR_SUGGESTIONS_KEY, goalKeys, personKeys, skillKeys } from "./skills";

/** Everything here lives under `mentorshipKeys.all`; a request, answer or completion invalidates it whole. */
export const mentorshipKeys = {
  all: ["mentorship"] as const,
  allMentors: () => MENTOR_SUGGESTIONS_KEY,
  mentors: (skill: string | null) => ["mentorship", "mentors", skill] as const,
  list: (status: MentorshipStatus) => ["mentorship", "list", status] as const,
  sessions: (id: string) => ["mentorship", "sessions", id] as const,
  profile: () => ["mentorship", "profile"] as const,
  people: (q: string) => ["mentorship", "people", q] as const,
};

const pageParams = {
  initialPageParam: null as string | null,
  getNextPageParam: (lastPage: { next_cursor: string | null }) => lastPage.next_cursor ?? undefined,
};

export function mentorsQueryOptions(skill: string | null) {
  return infiniteQueryOptions({
    queryKey: mentorshipKeys.mentors(skill),
    queryFn: ({ pageParam, signal }) => listMentors({ skill, cursor: pageParam, limit: 10 }, signal),
    ...pageParams,
    placeholderData: keepPreviousData,
  });
}

export function mentorshipsQueryOptions(status: MentorshipStatus) {
  return infiniteQueryOptions({
    queryKey: mentorshipKeys.list(status),
    queryFn: ({ pageParam, signal }) => listMentorships({ status, cursor: pageParam, limit: 20 }, signal),
    ...pageParams,
  });
}

export function sessionsQueryOptions(id: string) {
  return infiniteQueryOptions({
    queryKey: mentorshipKeys.sessions(id),
    queryFn: ({ pageParam, signal }) => listMentorshipSessions(id, { cursor: pageParam, limit: 20 }, signal),
    ...pageParams,
  });
}

export function myMentorProfileQueryOptions() {
  return queryOptions({
    queryKey: mentorshipKeys.profile(),
    queryFn: ({ signal }) => getMyMentorProfile(signal),
  });
}

export function peopleSearchQueryOptions(q: string) {
  return queryOptions({
    queryKey: mentorshipKeys.people(q),
    queryFn: ({ signal }) => listUsers({ q, limit: 8 }, signal),
    placeholderData: keepPreviousData,
  });
}

// --- mutations: each owns its request and the cache entries it changes ---------------------------

/** Asks someone to mentor the caller in one skill. */
export function useRequestMentorship(callbacks: MutationCallbacks<Mentorship, MentorshipCreate> = {}) {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: createMentorship,
    ...aroundSuccess(callbacks, { after: () => queryClient.invalidateQueries({ queryKey: mentorshipKeys.all }) }),
  });
}

/** The caller's mentor profile; `handle` is theirs (their public profile shows it). */
export function useSaveMentorProfile(handle: string, callbacks: MutationCallbacks<MentorProfile, MentorProfilePut> = {}) {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: putMyMentorProfile,
    ...aroundSuccess(callbacks, {
      before: (saved) => {
        queryClient.setQueryData(mentorshipKeys.profile(), saved);
      },
      after: () =>
        Promise.all([
          queryClient.invalidateQueries({ queryKey: personKeys.person(handle) }),
          queryClient.invalidateQueries({ queryKey: mentorshipKeys.allMentors() }),
        ]),
    }),
  });
}

/** A mentorship's state changes (accept, decline, cancel): every mentorship list may move. */
function useMentorshipChange<TVariables>(
  request: (variables: TVariables) => Promise<Mentorship>,
  callbacks: MutationCallbacks<Mentorship, TVariables>,
) {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: request,
    ...aroundSuccess(callbacks, { after: () => queryClient.invalidateQueries({ queryKey: mentorshipKeys.all }) }),
  });
}

export function useAcceptMentorship(id: string, callbacks: MutationCallbacks<Mentorship, void> = {}) {
  return useMentorshipChange(() => acceptMentorship(id), callbacks);
}

export function useCancelMentorship(id: string, callbacks: MutationCallbacks<Mentorship, void> = {}) {
  return useMentorshipChange(() => cancelMentorship(id), callbacks);
}

/** Declines a request, with an optional reason. */
export function useDeclineMentorship(id: string, callbacks: MutationCallbacks<Mentorship, string | null> = {}) {
  return useMentorshipChange((reason: string | null) => declineMentorship(id, reason), callbacks);
}

/**
 * Completes a mentorship; a mentor may confirm the mentee's level, which moves the mentee's
 * skills, the skill counts and the mentee's goals.
 */
export function useCompleteMentorship(
  mentorship: Mentorship,
  callbacks: MutationCallbacks<Mentorship, number | null> = {},
) {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: (confirmedLevel: number | null) => completeMentorship(mentorship.id, confirmedLevel),
    ...aroundSuccess(callbacks, {
      after: () =>
        Promise.all([
          queryClient.invalidateQueries({ queryKey: mentorshipKeys.all }),
          queryClient.invalidateQueries({ queryKey: personKeys.person(mentorship.mentee.handle) }),
          queryClient.invalidateQueries({ queryKey: skillKeys.all }),
          queryClient.invalidateQueries({ queryKey: goalKeys.all }),
        ]),
    }),
  });
}

export function useLogSession(id: string, callbacks: MutationCallbacks<MentorshipSession, SessionCreate> = {}) {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: (body: SessionCreate) => logMentorshipSession(id, body),
    ...aroundSuccess(callbacks, { after: () => queryClient.invalidateQueries({ queryKey: mentorshipKeys.sessions(id) }) }),
  });
}

export function useGiveFeedback(id: string, callbacks: MutationCallbacks<Feedback, FeedbackCreate> = {}) {
  return useMutation({
    mutationFn: (body: FeedbackCreate) => giveMentorshipFeedback(id, body),
    ...callbacks,
  });
}
