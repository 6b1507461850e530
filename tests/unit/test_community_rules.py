"""The pure community rules: permission table, visibility, removal, term expiry."""

from __future__ import annotations

import uuid
from datetime import UTC, datetime, timedelta

import pytest

from domain.communities.model import (
    REQUIRED_ROLE,
    Action,
    Community,
    JoinPolicy,
    Membership,
    MembershipStatus,
    Role,
    Viewer,
    Visibility,
    can,
    can_read,
    can_remove,
    check_nominee,
    check_settings,
    decide_expired_terms,
    is_visible,
    normalize_tags,
    slugify,
)
from domain.errors import ValidationFailed

NOW = datetime(2026, 11, 28, 12, tzinfo=UTC)


def community(visibility=Visibility.public, policy=JoinPolicy.open) -> Community:
    return Community(
        id=uuid.uuid4(),
        slug="c",
        name="C",
        purpose="p" * 20,
        description="",
        description_html="",
        visibility=visibility,
        join_policy=policy,
        created_by=uuid.uuid4(),
        created_at=NOW,
        updated_at=NOW,
        last_activity_at=NOW,
    )


def viewer(role: Role | None, status=MembershipStatus.active, invited=False, admin=False) -> Viewer:
    membership = None
    if role is not None:
        membership = Membership(uuid.uuid4(), uuid.uuid4(), role, status, NOW)
    return Viewer(uuid.uuid4(), admin, membership, invited)


def test_every_action_has_a_rule():
    assert set(REQUIRED_ROLE) == set(Action)


@pytest.mark.parametrize("action", list(Action))
def test_roles_are_ordered(action):
    """Whatever a role may do, every higher role may do too."""
    c = community(Visibility.private, JoinPolicy.invite)
    allowed = [can(action, c, viewer(role)) for role in (Role.member, Role.moderator, Role.steward)]
    assert allowed == sorted(allowed)


def test_private_is_visible_only_to_members_invitees_and_admins():
    c = community(Visibility.private, JoinPolicy.invite)
    assert not is_visible(c, viewer(None))
    assert not is_visible(c, viewer(Role.member, MembershipStatus.pending))
    assert is_visible(c, viewer(None, invited=True))
    assert is_visible(c, viewer(Role.member))
    assert is_visible(c, viewer(None, admin=True))
    assert is_visible(community(), viewer(None))


def test_an_invitation_shows_the_community_but_not_its_content():
    c = community(Visibility.private, JoinPolicy.invite)
    invitee = viewer(None, invited=True)
    assert is_visible(c, invitee) and not can_read(c, invitee)
    assert [a for a in Action if can(a, c, invitee)] == []
    for reader in (viewer(Role.member), viewer(None, admin=True)):
        assert can_read(c, reader)
    assert not can_read(c, viewer(Role.member, MembershipStatus.pending))
    assert can_read(community(), viewer(None))


def test_nobody_nominates_themself():
    me, peer = uuid.uuid4(), uuid.uuid4()
    check_nominee(peer, me)
    with pytest.raises(ValidationFailed) as refused:
        check_nominee(me, me)
    assert refused.value.field == "handle"


def test_pending_members_have_no_powers():
    c = community()
    assert not can(Action.post, c, viewer(Role.member, MembershipStatus.pending))
    assert not can(Action.nominate, c, viewer(Role.steward, MembershipStatus.pending))


def test_public_communities_relax_audit_members_and_invitations():
    public, private = community(), community(Visibility.private, JoinPolicy.invite)
    assert can(Action.view_audit, public, viewer(None))
    assert not can(Action.view_audit, private, viewer(None, invited=True))
    assert can(Action.invite, public, viewer(Role.moderator))
    assert not can(Action.invite, private, viewer(Role.moderator))


def test_removal_respects_leadership():
    target = Membership(uuid.uuid4(), uuid.uuid4(), Role.moderator, MembershipStatus.active, NOW)
    assert not can_remove(Role.moderator, False, target)
    assert can_remove(Role.steward, False, target)
    pending = Membership(uuid.uuid4(), uuid.uuid4(), Role.member, MembershipStatus.pending, NOW)
    assert can_remove(Role.moderator, False, pending)
    assert not can_remove(Role.member, False, pending)


def test_private_needs_invite_policy():
    with pytest.raises(ValidationFailed):
        check_settings(Visibility.private, JoinPolicy.approval)
    check_settings(Visibility.private, JoinPolicy.invite)


def _steward(ends: datetime | None, joined: datetime = NOW) -> Membership:
    return Membership(
        uuid.uuid4(), uuid.uuid4(), Role.steward, MembershipStatus.active, joined, term_ends_at=ends
    )


def test_expired_stewards_step_down_while_others_remain():
    expired, current = _steward(NOW - timedelta(days=1)), _steward(NOW + timedelta(days=9))
    decision = decide_expired_terms([expired, current], NOW)
    assert decision.demote == [expired.user_id] and decision.renew is None


def test_the_last_steward_stays_when_every_term_has_ended():
    older, newer = _steward(NOW - timedelta(days=3)), _steward(NOW - timedelta(hours=1))
    decision = decide_expired_terms([older, newer], NOW)
    assert decision.demote == [older.user_id] and decision.renew == newer.user_id


def test_no_terms_no_changes():
    decision = decide_expired_terms([_steward(None), _steward(NOW + timedelta(days=1))], NOW)
    assert decision.demote == [] and decision.renew is None


@pytest.mark.parametrize(
    ("name", "slug"),
    [("Data Guild", "data-guild"), ("Ça va?", "ca-va"), ("AI", "ai-cop"), ("!!!", "community-cop")],
)
def test_slugify(name, slug):
    assert slugify(name) == slug


def test_tags_are_normalised_and_bounded():
    assert normalize_tags(["Python", " python ", "Node.js", "C#"]) == ["python", "node.js", "c#"]
    with pytest.raises(ValidationFailed):
        normalize_tags([f"t{i}" for i in range(11)])
