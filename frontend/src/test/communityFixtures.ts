/** Test data for the communities pages (wire shapes, as the API sends them). */
import type { AuditEntry, Community, Invitation, Member, Page, PendingInvitation, UserSummary } from "../api/types";
import { ada } from "./fixtures";

export const adaSummary: UserSummary = {
  id: ada.id,
  handle: ada.handle,
  display_name: ada.display_name,
  title: ada.title,
  avatar_url: ada.avatar_url,
};

export const grace: UserSummary = {
  id: "3f0c9a52-5e1b-4f8e-a1c7-8d2e9b6f4a10",
  handle: "grace",
  display_name: "Grace Hopper",
  title: "Rear Admiral",
  avatar_url: null,
};

export function community(overrides: Partial<Community> = {}): Community {
  return {
    id: "9a4f1e2d-6c3b-4a5e-8f70-1b2c3d4e5f60",
    slug: "data-science",
    name: "Data Science",
    purpose: "We help each other turn messy data into decisions, and share notebooks that work.",
    description: "Meet **monthly**.",
    description_html: "<p>Meet <strong>monthly</strong>.</p>",
    visibility: "public",
    join_policy: "open",
    tags: ["python", "statistics"],
    steward_term_days: null,
    nudge_after_minutes: 60,
    created_at: "2026-11-01T10:00:00Z",
    updated_at: "2026-11-01T10:00:00Z",
    last_activity_at: "2026-11-20T10:00:00Z",
    archived_at: null,
    member_count: 12,
    post_count: 0,
    steward_term_ends_at: null,
    my_membership: null,
    // The server always sends these; active members may post unless a test says otherwise.
    my_permissions: overrides.my_membership?.status === "active" ? ["post"] : [],
    invited: false,
    version: 1,
    ...overrides,
  };
}

export function member(user: UserSummary, overrides: Partial<Member> = {}): Member {
  return { user, role: "member", status: "active", joined_at: "2026-11-02T10:00:00Z", term_ends_at: null, ...overrides };
}

export function invitation(to: Community, by: UserSummary = grace): Invitation {
  return {
    id: "1d2c3b4a-5e6f-4a7b-8c9d-0e1f2a3b4c5d",
    community: { slug: to.slug, name: to.name },
    invited_by: by,
    created_at: "2026-11-25T09:00:00Z",
  };
}

/** An open invitation as a steward lists it. */
export function pendingInvitation(invitee: UserSummary, by: UserSummary = adaSummary): PendingInvitation {
  return {
    id: `7c6b5a4d-3e2f-4a1b-8c9d-${invitee.id.slice(-12)}`,
    invitee,
    invited_by: by,
    created_at: "2026-11-25T09:00:00Z",
  };
}

export function auditEntry(overrides: Partial<AuditEntry> = {}): AuditEntry {
  return {
    id: "6b5a4c3d-2e1f-4a0b-9c8d-7e6f5a4b3c2d",
    action: "role_changed",
    actor: adaSummary,
    subject: grace,
    note: "member → moderator",
    created_at: "2026-11-26T15:30:00Z",
    ...overrides,
  };
}

export function page<T>(items: T[], nextCursor: string | null = null): Page<T> {
  return { items, next_cursor: nextCursor };
}
