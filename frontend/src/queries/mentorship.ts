import { infiniteQueryOptions, keepPreviousData, queryOptions } from "@tanstack/react-query";
import { getMyMentorProfile, listMentors, listMentorships, listMentorshipSessions, listUsers } from "../api/client";
import type { MentorshipStatus } from "../api/types";

/** Everything here lives under `mentorshipKeys.all`; a request, answer or completion invalidates it whole. */
export const mentorshipKeys = {
  all: ["mentorship"] as const,
  allMentors: () => ["mentorship", "mentors"] as const,
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
