import { infiniteQueryOptions, keepPreviousData, queryOptions } from "@tanstack/react-query";
import { getSkill, listLearningGoals, listSkillExperts, listSkills, listUserSkills } from "../api/client";
import type { SkillCategory, SkillSort } from "../api/types";

export interface SkillFilters {
  q: string;
  category: SkillCategory | null;
  sort: SkillSort;
}

/**
 * Skill data lives under `skillKeys.all`: a change to someone's skills or goals moves the counts
 * (experts, teachers, learners), so those mutations invalidate it whole.
 */
export const skillKeys = {
  all: ["skills"] as const,
  lists: () => ["skills", "list"] as const,
  list: (filters: SkillFilters) => ["skills", "list", filters] as const,
  unlisted: () => ["skills", "list", "unlisted"] as const,
  search: (q: string) => ["skills", "search", q] as const,
  detail: (slug: string) => ["skills", "detail", slug] as const,
  experts: (slug: string) => ["skills", "detail", slug, "experts"] as const,
};

/** Everything about one person lives under `personKeys.person(handle)`. */
export const personKeys = {
  person: (handle: string) => ["people", handle.toLowerCase()] as const,
  skills: (handle: string) => ["people", handle.toLowerCase(), "skills"] as const,
  /** The first 100 of someone's skills, to answer "do they (do I) have this one?". */
  skillIndex: (handle: string) => ["people", handle.toLowerCase(), "skills", "index"] as const,
  endorsements: (handle: string, slug: string) => ["people", handle.toLowerCase(), "skills", slug, "endorsements"] as const,
};

export const goalKeys = {
  all: ["me", "learning-goals"] as const,
  index: () => ["me", "learning-goals", "index"] as const,
};

const pageParams = {
  initialPageParam: null as string | null,
  getNextPageParam: (lastPage: { next_cursor: string | null }) => lastPage.next_cursor ?? undefined,
};

export function skillDirectoryQueryOptions(filters: SkillFilters) {
  return infiniteQueryOptions({
    queryKey: skillKeys.list(filters),
    queryFn: ({ pageParam, signal }) => listSkills({ ...filters, cursor: pageParam }, signal),
    ...pageParams,
    placeholderData: keepPreviousData,
  });
}

/** Administrators: the skills waiting for review (first named in a private community). */
export function unlistedSkillsQueryOptions() {
  return infiniteQueryOptions({
    queryKey: skillKeys.unlisted(),
    queryFn: ({ pageParam, signal }) => listSkills({ listed: false, cursor: pageParam, limit: 50 }, signal),
    ...pageParams,
  });
}

/** A handful of skills whose name or alias starts with `q`, for pickers. */
export function skillSearchQueryOptions(q: string) {
  return queryOptions({
    queryKey: skillKeys.search(q),
    queryFn: ({ signal }) => listSkills({ q, sort: "popular", limit: 8 }, signal),
    placeholderData: keepPreviousData,
  });
}

export function skillQueryOptions(slug: string) {
  return queryOptions({
    queryKey: skillKeys.detail(slug),
    queryFn: ({ signal }) => getSkill(slug, signal),
  });
}

export function expertsQueryOptions(slug: string) {
  return infiniteQueryOptions({
    queryKey: skillKeys.experts(slug),
    queryFn: ({ pageParam, signal }) => listSkillExperts(slug, { cursor: pageParam }, signal),
    ...pageParams,
  });
}

export function userSkillsQueryOptions(handle: string) {
  return infiniteQueryOptions({
    queryKey: personKeys.skills(handle),
    queryFn: ({ pageParam, signal }) => listUserSkills(handle, { cursor: pageParam, limit: 50 }, signal),
    ...pageParams,
  });
}

/** Someone's skills by slug (the first 100, which is everyone in practice). */
export function skillIndexQueryOptions(handle: string) {
  return queryOptions({
    queryKey: personKeys.skillIndex(handle),
    queryFn: async ({ signal }) => {
      const page = await listUserSkills(handle, { limit: 100 }, signal);
      return new Map(page.items.map((item) => [item.skill.slug, item]));
    },
  });
}

export function learningGoalsQueryOptions() {
  return infiniteQueryOptions({
    queryKey: goalKeys.all,
    queryFn: ({ pageParam, signal }) => listLearningGoals({ cursor: pageParam, limit: 50 }, signal),
    ...pageParams,
  });
}

/** The caller's goals by skill slug (the first 100). */
export function goalIndexQueryOptions() {
  return queryOptions({
    queryKey: goalKeys.index(),
    queryFn: async ({ signal }) => {
      const page = await listLearningGoals({ limit: 100 }, signal);
      return new Map(page.items.map((goal) => [goal.skill.slug, goal]));
    },
  });
}
