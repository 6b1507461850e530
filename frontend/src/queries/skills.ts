import { infiniteQueryOptions, keepPreviousData, queryOptions, useMutation, useQueryClient } from "@tanstack/react-query";
import {
  createLearningGoal,
  createSkill,
  deleteLearningGoal,
  getSkill,
  listLearningGoals,
  listSkillExperts,
  getSkillLevels,
  listSkills,
  listUserSkills,
  removeMySkill,
  setMySkill,
  updateLearningGoal,
  updateSkill,
} from "../api/client";
import type {
  LearningGoal,
  LearningGoalCreate,
  LearningGoalUpdate,
  Skill,
  SkillCategory,
  SkillCreate,
  SkillSort,
  UserSkill,
  UserSkillPut,
} from "../api/types";
import { aroundSuccess, type MutationCallbacks } from "./mutations";

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

/**
 * Mentor suggestions are computed from the caller's goals and skills (the mentorship queries
 * live under this key), so a change to either refreshes them at once instead of after the
 * suggestions' stale time.
 */
export const MENTOR_SUGGESTIONS_KEY = ["mentorship", "mentors"] as const;

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

/** "Who knows" a skill: from level 2 up (novices are counted in the histogram, not listed). */
export const KNOWS_MIN_LEVEL = 2;

export function expertsQueryOptions(slug: string) {
  return infiniteQueryOptions({
    queryKey: skillKeys.experts(slug),
    queryFn: ({ pageParam, signal }) => listSkillExperts(slug, { cursor: pageParam, minLevel: KNOWS_MIN_LEVEL }, signal),
    ...pageParams,
  });
}

/** Under the skill's key, so every change to someone's skills refreshes it too. */
export function skillLevelsQueryOptions(slug: string) {
  return queryOptions({
    queryKey: [...skillKeys.detail(slug), "levels"] as const,
    queryFn: ({ signal }) => getSkillLevels(slug, signal),
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

// --- mutations: each owns its request and the cache entries it changes ---------------------------

/** A new skill in the directory; the directory is refreshed before the page moves on. */
export function useCreateSkill(callbacks: MutationCallbacks<Skill, SkillCreate> = {}) {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: createSkill,
    ...aroundSuccess(callbacks, {
      before: async (skill) => {
        queryClient.setQueryData(skillKeys.detail(skill.slug), skill);
        await queryClient.invalidateQueries({ queryKey: skillKeys.lists() });
      },
    }),
  });
}

/** Administrators list a skill that waited for review. */
export function useListSkill(slug: string, callbacks: MutationCallbacks<Skill, void> = {}) {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: () => updateSkill(slug, { listed: true }),
    ...aroundSuccess(callbacks, { after: () => queryClient.invalidateQueries({ queryKey: skillKeys.all }) }),
  });
}

/**
 * Skill counts (experts, teachers, learners), the person's profile and goals (a goal is met
 * by a level) all move when someone's skills change.
 */
function refreshSkillsOf(queryClient: ReturnType<typeof useQueryClient>, handle: string | undefined) {
  return Promise.all([
    handle && queryClient.invalidateQueries({ queryKey: personKeys.person(handle) }),
    queryClient.invalidateQueries({ queryKey: skillKeys.all }),
    queryClient.invalidateQueries({ queryKey: goalKeys.all }),
    queryClient.invalidateQueries({ queryKey: MENTOR_SUGGESTIONS_KEY }),
  ]);
}

/** Adds a skill to the caller's profile, or changes its level; `handle` is the caller's. */
export function useSetMySkill(
  slug: string,
  handle: string | undefined,
  callbacks: MutationCallbacks<UserSkill, UserSkillPut> = {},
) {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: (input: UserSkillPut) => setMySkill(slug, input),
    ...aroundSuccess(callbacks, { after: () => refreshSkillsOf(queryClient, handle) }),
  });
}

/** Takes a skill off the caller's profile; `handle` is the caller's. */
export function useRemoveMySkill(slug: string, handle: string, callbacks: MutationCallbacks<void, void> = {}) {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: () => removeMySkill(slug),
    ...aroundSuccess(callbacks, { after: () => refreshSkillsOf(queryClient, handle) }),
  });
}

/** The caller's goals and the skills' learner counts, after a goal changed. */
function refreshGoals(queryClient: ReturnType<typeof useQueryClient>) {
  return Promise.all([
    queryClient.invalidateQueries({ queryKey: goalKeys.all }),
    queryClient.invalidateQueries({ queryKey: skillKeys.all }),
    queryClient.invalidateQueries({ queryKey: MENTOR_SUGGESTIONS_KEY }),
  ]);
}

export function useCreateGoal(callbacks: MutationCallbacks<LearningGoal, LearningGoalCreate> = {}) {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: createLearningGoal,
    ...aroundSuccess(callbacks, { after: () => refreshGoals(queryClient) }),
  });
}

export function useUpdateGoal(goalId: string, callbacks: MutationCallbacks<LearningGoal, LearningGoalUpdate> = {}) {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: (changes: LearningGoalUpdate) => updateLearningGoal(goalId, changes),
    ...aroundSuccess(callbacks, { after: () => refreshGoals(queryClient) }),
  });
}

export function useDeleteGoal(goalId: string, callbacks: MutationCallbacks<void, void> = {}) {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: () => deleteLearningGoal(goalId),
    ...aroundSuccess(callbacks, { after: () => refreshGoals(queryClient) }),
  });
}
