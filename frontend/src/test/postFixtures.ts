/** Test data for the posts pages (wire shapes, as the API sends them). */
import type { Post, PostComment, PostSearchHit, Report } from "../api/types";
import { adaSummary, grace } from "./communityFixtures";

export const POST_ID = "5e0b8c1a-2d3f-4a6b-9c8d-7e6f5a4b3c21";

export function post(overrides: Partial<Post> = {}): Post {
  return {
    id: POST_ID,
    community: { slug: "data-science", name: "Data Science" },
    author: grace,
    kind: "question",
    title: "How do you review a data model before it ships?",
    body: "We keep finding **naming** problems late.",
    body_html: "<p>We keep finding <strong>naming</strong> problems late.</p>",
    tags: ["data-modelling"],
    links: [],
    created_at: "2026-11-27T09:00:00Z",
    updated_at: "2026-11-27T09:00:00Z",
    last_activity_at: "2026-11-27T09:00:00Z",
    score: 0,
    reactions: { like: 2, helpful: 0, insightful: 1 },
    my_reactions: [],
    attachments: [],
    comment_count: 0,
    accepted_comment_id: null,
    is_pinned: false,
    is_locked: false,
    version: 1,
    ...overrides,
  };
}

export function comment(overrides: Partial<PostComment> = {}): PostComment {
  return {
    id: "8a7b6c5d-4e3f-4a2b-9c1d-0e9f8a7b6c5d",
    post_id: POST_ID,
    parent_id: null,
    author: adaSummary,
    body: "Walk through it with the people who will query it.",
    body_html: "<p>Walk through it with the people who will query it.</p>",
    created_at: "2026-11-27T10:00:00Z",
    updated_at: "2026-11-27T10:00:00Z",
    score: 0,
    reactions: { like: 0, helpful: 0, insightful: 0 },
    my_reactions: [],
    attachments: [],
    is_accepted: false,
    version: 1,
    ...overrides,
  };
}

export function hit(overrides: Partial<PostSearchHit> = {}): PostSearchHit {
  return { ...post(), snippet: "", ...overrides };
}

export function report(overrides: Partial<Report> = {}): Report {
  return {
    id: "2c3d4e5f-6a7b-4c8d-9e0f-1a2b3c4d5e6f",
    target_type: "post",
    target_id: POST_ID,
    reason: "spam",
    detail: "Same link posted in five communities.",
    excerpt: "Buy our course",
    status: "open",
    created_at: "2026-11-28T08:00:00Z",
    resolved_at: null,
    action: null,
    note: null,
    ...overrides,
  };
}
