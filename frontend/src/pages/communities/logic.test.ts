import { describe, expect, it } from "vitest";
import { changesBetween, mergeNewer, toCreate, validate, valuesOf, withSettings } from "./communityForm";
import { abilitiesFor, canRemoveMember, membershipState } from "./permissions";
import { termEndingSoon } from "./terms";
import { adaSummary, community, grace, member } from "../../test/communityFixtures";

describe("membershipState", () => {
  it.each([
    [community({ join_policy: "open" }), false, "open"],
    [community({ join_policy: "approval" }), false, "approval"],
    [community({ join_policy: "invite" }), false, "invite-only"],
    [community({ join_policy: "invite" }), true, "invited"],
    [community({ join_policy: "approval" }), true, "invited"],
    [community({ my_membership: { role: "member", status: "pending", notify_level: "all", term_ends_at: null } }), false, "pending"],
    [community({ my_membership: { role: "steward", status: "active", notify_level: "all", term_ends_at: null } }), false, "member"],
    [community({ archived_at: "2026-11-28T10:00:00Z" }), true, "archived"],
  ] as const)("%#: %s", (subject, invited, expected) => {
    expect(membershipState(subject, invited)).toBe(expected);
  });
});

describe("abilities", () => {
  it("lets moderators remove members but not leaders; stewards anyone but themselves", () => {
    const moderator = abilitiesFor(community({ my_membership: { role: "moderator", status: "active", notify_level: "all", term_ends_at: null } }), { role: "member" });
    expect(canRemoveMember(moderator, member(grace), "ada")).toBe(true);
    expect(canRemoveMember(moderator, member(grace, { role: "moderator" }), "ada")).toBe(false);
    const steward = abilitiesFor(community({ my_membership: { role: "steward", status: "active", notify_level: "all", term_ends_at: null } }), { role: "member" });
    expect(canRemoveMember(steward, member(grace, { role: "steward" }), "ada")).toBe(true);
    expect(canRemoveMember(steward, member(adaSummary, { role: "steward" }), "ada")).toBe(false);
  });

  it("treats site admins as stewards, and archived communities as read-only", () => {
    expect(abilitiesFor(community(), { role: "admin" }).canEdit).toBe(true);
    expect(abilitiesFor(community({ archived_at: "2026-11-28T10:00:00Z" }), { role: "admin" }).canEdit).toBe(false);
    expect(abilitiesFor(community({ visibility: "private" }), { role: "member" }).canSeeMembers).toBe(false);
  });

  it("shows a private community's inside to members only, and its invitations to stewards", () => {
    const invitee = abilitiesFor(community({ visibility: "private", invited: true }), { role: "member" });
    expect(invitee.canRead).toBe(false);
    expect(abilitiesFor(community({ visibility: "private" }), { role: "admin" }).canRead).toBe(true);
    const moderator = abilitiesFor(community({ my_membership: { role: "moderator", status: "active", notify_level: "all", term_ends_at: null } }), { role: "member" });
    expect(moderator.canRead && moderator.canInvite).toBe(true);
    expect(moderator.canManageInvitations).toBe(false);
    const steward = abilitiesFor(community({ my_membership: { role: "steward", status: "active", notify_level: "all", term_ends_at: null } }), { role: "member" });
    expect(steward.canManageInvitations).toBe(true);
  });
});

describe("community form", () => {
  it("builds a create body without empty optional fields", () => {
    const values = withSettings(valuesOf(community()), { slug: "", tags: " python,  sql ,python,", steward_term_days: "90" });
    expect(toCreate(values)).toEqual({
      name: "Data Science",
      purpose: community().purpose,
      description: "Meet **monthly**.",
      visibility: "public",
      join_policy: "open",
      tags: ["python", "sql"],
      steward_term_days: 90,
    });
  });

  it("sends only changes, and null to end fixed terms", () => {
    const base = valuesOf(community({ steward_term_days: 90 }));
    expect(changesBetween(base, { ...base, tags: "python, statistics" })).toEqual({});
    expect(changesBetween(base, { ...base, steward_term_days: "" })).toEqual({ steward_term_days: null });
  });

  it("sends the nudge delay as a number, 0 to turn nudges off, and checks its range", () => {
    const base = valuesOf(community());
    expect(base.nudge_after_minutes).toBe("60");
    expect(changesBetween(base, { ...base, nudge_after_minutes: "0" })).toEqual({ nudge_after_minutes: 0 });
    expect(changesBetween(base, { ...base, nudge_after_minutes: " 60 " })).toEqual({});
    for (const bad of ["", "-5", "1.5", "10081", "soon"]) {
      expect(validate({ ...base, nudge_after_minutes: bad }, "edit").nudge_after_minutes).toMatch(/0 \(off\) to 10,080/);
    }
    expect(validate({ ...base, nudge_after_minutes: "10080" }, "edit").nudge_after_minutes).toBeUndefined();
  });

  it("validates term length and the private/invite rule", () => {
    const values = valuesOf(community());
    expect(validate({ ...values, steward_term_days: "3" }, "edit").steward_term_days).toMatch(/7 to 730/);
    expect(validate({ ...values, visibility: "private", join_policy: "open" }, "edit").join_policy).toBeDefined();
    expect(withSettings(values, { visibility: "private" }).join_policy).toBe("invite");
  });

  it("merges a newer version: their changes fill untouched fields, both-changed fields are conflicts", () => {
    const base = valuesOf(community());
    const mine = { ...base, name: "Mine" };
    const theirs = { ...base, name: "Theirs", purpose: "A newer purpose that is long enough." };
    const { merged, conflicts, changedByThem } = mergeNewer(base, mine, theirs);
    expect(merged.name).toBe("Mine");
    expect(merged.purpose).toBe(theirs.purpose);
    expect(conflicts).toEqual(["name"]);
    expect(changedByThem).toEqual(["name", "purpose"]);
  });
});

describe("steward terms ending soon", () => {
  const now = Date.parse("2026-12-01T12:00:00Z");
  const steward = { role: "steward" as const, status: "active" as const, notify_level: "all" as const };

  it("tells the steward whose own term ends within two weeks", () => {
    const c = community({
      my_membership: { ...steward, term_ends_at: "2026-12-04T12:00:00Z" },
      steward_term_ends_at: "2026-12-04T12:00:00Z",
    });
    expect(termEndingSoon(c, now)).toBe("Your steward term ends in 3 days");
  });

  it("tells members that a steward's term ends soon, and nobody when it is far off", () => {
    const soon = community({
      my_membership: { ...steward, role: "member", term_ends_at: null },
      steward_term_ends_at: "2026-12-14T12:00:00Z",
    });
    expect(termEndingSoon(soon, now)).toBe("A steward term ends in 13 days");
    expect(termEndingSoon({ ...soon, steward_term_ends_at: "2027-01-30T12:00:00Z" }, now)).toBeNull();
    expect(termEndingSoon({ ...soon, my_membership: null }, now)).toBeNull();
    expect(termEndingSoon({ ...soon, steward_term_ends_at: null }, now)).toBeNull();
  });
});
