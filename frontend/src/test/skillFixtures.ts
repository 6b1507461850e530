/** Test data for the skills, people and mentorship pages (wire shapes, as the API sends them). */
import type {
  Endorsement,
  Expert,
  LearningGoal,
  MentorRecommendation,
  Mentorship,
  Skill,
  UserProfile,
  UserSkill,
  UserSummary,
} from "../api/types";

export { adaSummary, grace, page } from "./communityFixtures";

export const alan: UserSummary = {
  id: "5e6f7a8b-1c2d-4e3f-9a0b-1c2d3e4f5a6b",
  handle: "alan",
  display_name: "Alan Turing",
  title: "Mathematician",
  avatar_url: null,
};

export function skill(overrides: Partial<Skill> = {}): Skill {
  return {
    id: "2a3b4c5d-6e7f-4a8b-9c0d-1e2f3a4b5c6d",
    slug: "python",
    name: "Python",
    description: "The programming language, its standard library and ecosystem.",
    category: "languages",
    aliases: ["py", "python3"],
    holder_count: 12,
    expert_count: 4,
    teacher_count: 3,
    learner_count: 7,
    created_at: "2026-11-01T10:00:00Z",
    updated_at: "2026-11-01T10:00:00Z",
    listed: true,
    ...overrides,
  };
}

export function userSkill(overrides: Partial<UserSkill> = {}): UserSkill {
  return {
    skill: { slug: "python", name: "Python", category: "languages" },
    level: 2,
    level_name: "advanced_beginner",
    wants_to_teach: false,
    endorsement_count: 0,
    endorsed_by_me: false,
    evidence: { posts: 0, accepted_answers: 0 },
    updated_at: "2026-11-20T10:00:00Z",
    proposed: false,
    ...overrides,
  };
}

export function expert(user: UserSummary, overrides: Partial<Expert> = {}): Expert {
  return {
    user,
    level: 5,
    endorsement_count: 2,
    score: 16.1,
    ranking_score: 16.1,
    parts: { level: 10, endorsements: 2.6, accepted_answers: 3, helpful_reactions: 0.5 },
    proposed: false,
    ...overrides,
  };
}

export function goal(overrides: Partial<LearningGoal> = {}): LearningGoal {
  return {
    id: "8c9d0e1f-2a3b-4c5d-8e6f-7a8b9c0d1e2f",
    skill: { slug: "python", name: "Python", category: "languages" },
    target_level: 4,
    current_level: 2,
    status: "active",
    note: null,
    due_on: "2027-03-01",
    created_at: "2026-11-20T10:00:00Z",
    updated_at: "2026-11-20T10:00:00Z",
    ...overrides,
  };
}

export function endorsement(endorser: UserSummary, overrides: Partial<Endorsement> = {}): Endorsement {
  return {
    id: "9d0e1f2a-3b4c-4d5e-9f6a-7b8c9d0e1f2a",
    endorser,
    note: null,
    evidence_post_id: null,
    created_at: "2026-11-25T10:00:00Z",
    updated_at: "2026-11-25T10:00:00Z",
    ...overrides,
  };
}

export function profile(user: UserSummary, overrides: Partial<UserProfile> = {}): UserProfile {
  return {
    ...user,
    bio: "I write compilers.",
    location: "Arlington",
    timezone: "America/New_York",
    created_at: "2026-11-01T10:00:00Z",
    skills: [{ slug: "python", name: "Python", level: 4, endorsement_count: 1 }],
    mentor_profile: null,
    stats: { posts: 5, accepted_answers: 2, endorsements_received: 3, mentees: 1 },
    ...overrides,
  };
}

export function recommendation(user: UserSummary, overrides: Partial<MentorRecommendation> = {}): MentorRecommendation {
  return {
    user,
    skill: { slug: "python", name: "Python", category: "languages" },
    score: 12.5,
    reasons: ["Expert (level 5) in Python", "3 accepted answers on Python", "6 working hours overlap"],
    ...overrides,
  };
}

export function mentorship(mentor: UserSummary, mentee: UserSummary, overrides: Partial<Mentorship> = {}): Mentorship {
  return {
    id: "0f1e2d3c-4b5a-4968-8776-5a4b3c2d1e0f",
    mentor,
    mentee,
    skill: { slug: "python", name: "Python", category: "languages" },
    goal: "Write idiomatic Python",
    message: null,
    status: "requested",
    created_at: "2026-11-26T10:00:00Z",
    responded_at: null,
    completed_at: null,
    decline_reason: null,
    confirmed_level: null,
    ...overrides,
  };
}
