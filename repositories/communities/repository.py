"""Communities, memberships, invitations, nominations, audit log and health stats in SQL.

Every list is one JOINed Core select with keyset pagination, so a page costs a constant number of
statements whatever its size.
"""

from __future__ import annotations

import json
from datetime import datetime
from functools import lru_cache
from typing import Any, Literal
from uuid import UUID

from sqlalchemy import (
    Select,
    String,
    and_,
    bindparam,
    delete,
    distinct,
    exists,
    func,
    insert,
    or_,
    select,
    union,
    update,
)
from sqlalchemy.engine import Row
from sqlalchemy.ext.asyncio import AsyncSession
from sqlalchemy.sql.elements import ColumnElement

from domain.communities.model import (
    AuditAction,
    AuditEntry,
    AuditView,
    Community,
    CommunitySort,
    CommunityStats,
    CommunityView,
    Invitation,
    InvitationView,
    JoinPolicy,
    Membership,
    MembershipStatus,
    MemberView,
    Nomination,
    NominationStatus,
    NominationView,
    NotifyLevel,
    PendingInvitationView,
    Role,
    Viewer,
    Visibility,
)
from domain.pagination import PageRequest, PageResult
from repositories.base import (
    SortKey,
    inline,
    insert_or_ignore,
    keyset_bound,
    keyset_page,
    keyset_params,
    keyset_result,
    keyset_shape,
    like_prefix,
    rows_changed,
)
from repositories.communities.tables import (
    CommunityAudit,
    CommunityInvitation,
    CommunityMember,
    CommunityNomination,
    CommunityRow,
)
from repositories.people import ref_columns, ref_from_row, required_ref
from repositories.rows import RowLike, fields
from repositories.users.tables import UserAccount

c = CommunityRow.__table__  # type: ignore[attr-defined]
m = CommunityMember.__table__  # type: ignore[attr-defined]
inv = CommunityInvitation.__table__  # type: ignore[attr-defined]
nom = CommunityNomination.__table__  # type: ignore[attr-defined]
audit = CommunityAudit.__table__  # type: ignore[attr-defined]
users = UserAccount.__table__  # type: ignore[attr-defined]

COMMUNITY_COLUMNS = [col for col in c.c if col.name != "search_name"]
MEMBER_COLUMNS = [
    m.c.role.label("m_role"),
    m.c.status.label("m_status"),
    m.c.joined_at.label("m_joined_at"),
    m.c.notify_level.label("m_notify_level"),
    m.c.term_ends_at.label("m_term_ends_at"),
]
SORTS: dict[CommunitySort, list[SortKey]] = {
    CommunitySort.active: [SortKey(c.c.last_activity_at, True), SortKey(c.c.id, True)],
    CommunitySort.new: [SortKey(c.c.created_at, True), SortKey(c.c.id, True)],
    CommunitySort.members: [SortKey(c.c.member_count, True), SortKey(c.c.id, True)],
}


def community_from_row(row: RowLike) -> Community:
    r = fields(row)
    return Community(
        id=r["id"],
        slug=r["slug"],
        name=r["name"],
        purpose=r["purpose"],
        description=r["description"],
        description_html=r["description_html"],
        visibility=Visibility(r["visibility"]),
        join_policy=JoinPolicy(r["join_policy"]),
        created_by=r["created_by"],
        created_at=r["created_at"],
        updated_at=r["updated_at"],
        last_activity_at=r["last_activity_at"],
        tags=json.loads(r["tags"]),
        steward_term_days=r["steward_term_days"],
        nudge_after_minutes=r["nudge_after_minutes"],
        archived_at=r["archived_at"],
        member_count=r["member_count"],
        post_count=r["post_count"],
        version=r["version"],
        steward_term_ends_at=r["steward_term_ends_at"],
    )


def _community_values(community: Community) -> dict[str, Any]:
    return {
        "id": community.id,
        "slug": community.slug,
        "name": community.name,
        "search_name": community.name.lower(),
        "purpose": community.purpose,
        "description": community.description,
        "description_html": community.description_html,
        "visibility": community.visibility.value,
        "join_policy": community.join_policy.value,
        "tags": json.dumps(community.tags),
        "steward_term_days": community.steward_term_days,
        "nudge_after_minutes": community.nudge_after_minutes,
        "created_by": community.created_by,
        "created_at": community.created_at,
        "updated_at": community.updated_at,
        "last_activity_at": community.last_activity_at,
        "archived_at": community.archived_at,
        "member_count": community.member_count,
        "post_count": community.post_count,
        "version": community.version,
    }


def refresh_steward_term(community_id: UUID | None = None) -> Any:
    """Set the community's `steward_term_ends_at` to its active stewards' earliest term end
    (every community's when `community_id` is None, as after a bulk load)."""
    earliest = (
        select(func.min(m.c.term_ends_at))
        .where(
            m.c.community_id == c.c.id,
            m.c.role == Role.steward.value,
            m.c.status == MembershipStatus.active.value,
        )
        .scalar_subquery()
    )
    stmt = update(c).values(steward_term_ends_at=earliest)
    return stmt if community_id is None else stmt.where(c.c.id == community_id)


def membership_from_row(row: RowLike, community_id: UUID, user_id: UUID) -> Membership | None:
    r = fields(row)
    if r["m_role"] is None:
        return None
    return Membership(
        community_id=community_id,
        user_id=user_id,
        role=Role(r["m_role"]),
        status=MembershipStatus(r["m_status"]),
        joined_at=r["m_joined_at"],
        notify_level=NotifyLevel(r["m_notify_level"]),
        term_ends_at=r["m_term_ends_at"],
    )


def _membership(row: Row[Any]) -> Membership:
    r = fields(row)
    return Membership(
        community_id=r["community_id"],
        user_id=r["user_id"],
        role=Role(r["role"]),
        status=MembershipStatus(r["status"]),
        joined_at=r["joined_at"],
        notify_level=NotifyLevel(r["notify_level"]),
        term_ends_at=r["term_ends_at"],
    )


def _invited(user_id: Any) -> Any:
    return exists(
        select(1).where(
            inv.c.community_id == c.c.id,
            inv.c.invitee_id == user_id,
            inv.c.accepted_at.is_(None),
        )
    )


def viewer_select(viewer: Any) -> Select[Any]:
    """Communities with `viewer`'s membership (if any) and whether they are invited."""
    return (
        select(*COMMUNITY_COLUMNS, *MEMBER_COLUMNS, _invited(viewer).label("invited"))
        .select_from(c)
        .outerjoin(m, and_(m.c.community_id == c.c.id, m.c.user_id == viewer))
    )


@lru_cache(maxsize=2)
def with_viewer_select(by: str) -> Select[Any]:
    """A community (by `slug` or `id`) with the viewer's membership and pending invitation."""
    viewer = bindparam("viewer_id", type_=m.c.user_id.type)
    return viewer_select(viewer).where(c.c[by] == bindparam("key", type_=c.c[by].type))


def viewed_community(
    row: RowLike | None, user_id: UUID
) -> tuple[Community, Membership | None, bool] | None:
    """A row of `with_viewer_select`: the community, the viewer's membership, invited or not."""
    if row is None:
        return None
    community = community_from_row(row)
    invited = bool(fields(row)["invited"])
    return community, membership_from_row(row, community.id, user_id), invited


# Written into the statement rather than bound: a generic plan cannot see a bound 'public'
# and looked dearer than a fresh plan, so PostgreSQL planned the list afresh on every request.
PUBLIC = inline(Visibility.public.value, String())
ACTIVE = inline(MembershipStatus.active.value, String())


ListScope = Literal["all", "visible", "mine"]


@lru_cache(maxsize=256)
def list_page(sort: CommunitySort, scope: ListScope, search: bool, after: bool, limit: int) -> Any:
    """One page of the directory with the viewer's membership and invitation, built once per
    shape. `scope`: "all" (administrators), "visible" (public, mine, or invited to) or "mine"
    (active member). Parameters: `viewer_id`; `name_prefix` and `word_prefix` when searching
    (`like_prefix` patterns); `after_<i>` after a cursor."""
    viewer = bindparam("viewer_id", type_=m.c.user_id.type)
    stmt = viewer_select(viewer).where(c.c.archived_at.is_(None))
    if scope == "mine":
        stmt = stmt.where(m.c.status == ACTIVE)
    elif scope == "visible":
        stmt = stmt.where(or_(c.c.visibility == PUBLIC, m.c.status == ACTIVE, _invited(viewer)))
    if search:
        # A prefix of the name or of any word in it; communities number in the thousands.
        name_prefix = bindparam("name_prefix", type_=String())
        word_prefix = bindparam("word_prefix", type_=String())
        stmt = stmt.where(
            or_(
                c.c.search_name.like(name_prefix, escape="\\"),
                c.c.search_name.like(word_prefix, escape="\\"),
                c.c.slug.like(name_prefix, escape="\\"),
            )
        )
    return keyset_bound(stmt, SORTS[sort], after=after, limit=limit)


class SqlCommunityRepository:
    def __init__(self, session: AsyncSession) -> None:
        self.session = session

    # --- communities ---

    async def add(self, community: Community) -> None:
        await self.session.execute(insert(c).values(**_community_values(community)))

    async def update(self, community: Community) -> None:
        values = _community_values(community)
        for frozen in ("id", "slug", "created_by", "created_at", "member_count", "post_count"):
            del values[frozen]  # counts are only ever changed by atomic increments
        await self.session.execute(update(c).where(c.c.id == community.id).values(**values))

    async def slug_taken(self, slug: str) -> bool:
        return bool((await self.session.execute(select(exists().where(c.c.slug == slug)))).scalar())

    async def get_by_id_with_viewer(
        self, community_id: UUID, user_id: UUID
    ) -> tuple[Community, Membership | None, bool] | None:
        params = {"key": community_id, "viewer_id": user_id}
        row = (await self.session.execute(with_viewer_select("id"), params)).first()
        return viewed_community(row, user_id)

    async def get_with_viewer(
        self, slug: str, user_id: UUID, *, for_update: bool = False
    ) -> tuple[Community, Membership | None, bool] | None:
        # Every request inside a community starts here (the permission check needs the
        # membership).
        stmt = with_viewer_select("slug")
        if for_update:
            stmt = stmt.with_for_update(of=c)
        row = (await self.session.execute(stmt, {"key": slug, "viewer_id": user_id})).first()
        return viewed_community(row, user_id)

    async def lock(self, community_id: UUID) -> Community | None:
        row = (
            await self.session.execute(
                select(*COMMUNITY_COLUMNS).where(c.c.id == community_id).with_for_update()
            )
        ).first()
        return community_from_row(row) if row else None

    async def list_visible(
        self,
        user_id: UUID,
        is_admin: bool,
        q: str | None,
        member_only: bool,
        sort: CommunitySort,
        page: PageRequest,
    ) -> PageResult[CommunityView]:
        scope: ListScope = "mine" if member_only else "all" if is_admin else "visible"
        stmt = list_page(sort, scope, bool(q), *keyset_shape(page))
        params: dict[str, Any] = {"viewer_id": user_id, **keyset_params(page)}
        if q:
            params["name_prefix"] = like_prefix(q)
            params["word_prefix"] = "% " + like_prefix(q)
        rows = (await self.session.execute(stmt, params)).all()
        keys = SORTS[sort]

        def to_view(row: Row[Any]) -> CommunityView:
            community = community_from_row(row)
            membership = membership_from_row(row, community.id, user_id)
            viewer = Viewer(user_id, is_admin, membership, bool(fields(row)["invited"]))
            return CommunityView(community, viewer)

        return keyset_result(
            rows, page, to_view, lambda row: tuple(fields(row)[k.column.name] for k in keys)
        )

    async def adjust_member_count(self, community_id: UUID, delta: int) -> None:
        await self.session.execute(
            update(c).where(c.c.id == community_id).values(member_count=c.c.member_count + delta)
        )

    # --- memberships ---

    async def get_membership(self, community_id: UUID, user_id: UUID) -> Membership | None:
        row = (
            await self.session.execute(
                select(m).where(m.c.community_id == community_id, m.c.user_id == user_id)
            )
        ).first()
        return _membership(row) if row else None

    async def add_membership(self, membership: Membership) -> bool:
        result = await self.session.execute(
            insert_or_ignore(self.session, m, ["community_id", "user_id"]).values(
                community_id=membership.community_id,
                user_id=membership.user_id,
                role=membership.role.value,
                status=membership.status.value,
                notify_level=membership.notify_level.value,
                joined_at=membership.joined_at,
                term_ends_at=membership.term_ends_at,
            )
        )
        added = rows_changed(result) == 1
        if added and membership.term_ends_at is not None:
            await self.session.execute(refresh_steward_term(membership.community_id))
        return added

    async def activate_membership(self, community_id: UUID, user_id: UUID, at: datetime) -> bool:
        result = await self.session.execute(
            update(m)
            .where(
                m.c.community_id == community_id,
                m.c.user_id == user_id,
                m.c.status == MembershipStatus.pending.value,
            )
            .values(status=MembershipStatus.active.value, joined_at=at)
        )
        return rows_changed(result) == 1

    async def update_membership(self, membership: Membership) -> None:
        await self.session.execute(
            update(m)
            .where(m.c.community_id == membership.community_id, m.c.user_id == membership.user_id)
            .values(
                # status and joined_at change only by add/activate/delete, which are conditional
                role=membership.role.value,
                notify_level=membership.notify_level.value,
                term_ends_at=membership.term_ends_at,
            )
        )
        # The role or the term may have changed (stewards come and go, terms end and renew).
        await self.session.execute(refresh_steward_term(membership.community_id))

    async def delete_membership(self, community_id: UUID, user_id: UUID) -> Membership | None:
        row = (
            await self.session.execute(
                delete(m)
                .where(m.c.community_id == community_id, m.c.user_id == user_id)
                .returning(*m.c)
            )
        ).first()
        if row is None:
            return None
        removed = _membership(row)
        if removed.term_ends_at is not None:
            await self.session.execute(refresh_steward_term(community_id))
        return removed

    async def list_members(
        self,
        community_id: UUID,
        role: Role | None,
        status: MembershipStatus | None,
        page: PageRequest,
    ) -> PageResult[MemberView]:
        stmt = (
            select(m, *ref_columns(users, "u"))
            .join(users, users.c.id == m.c.user_id)
            .where(m.c.community_id == community_id)
        )
        if role is not None:
            stmt = stmt.where(_role_in(role))
        if status is not None:
            stmt = stmt.where(m.c.status == status.value)
        return await keyset_page(
            self.session,
            stmt,
            [SortKey(m.c.joined_at), SortKey(m.c.user_id)],
            page,
            lambda row: MemberView(_membership(row), required_ref(row, "u")),
            lambda row: (fields(row)["joined_at"], fields(row)["user_id"]),
        )

    async def stewards(self, community_id: UUID) -> list[Membership]:
        rows = await self.session.execute(
            select(m).where(
                m.c.community_id == community_id,
                _role_in(Role.steward),
                m.c.status == MembershipStatus.active.value,
            )
        )
        return [_membership(row) for row in rows]

    async def leader_ids(self, community_id: UUID, min_role: Role) -> list[UUID]:
        roles = [r for r in Role if r.rank >= min_role.rank]
        rows = await self.session.execute(
            select(m.c.user_id).where(
                m.c.community_id == community_id,
                _role_in(*roles),
                m.c.status == MembershipStatus.active.value,
            )
        )
        return [row[0] for row in rows]

    async def active_member_ids(self, community_id: UUID) -> list[UUID]:
        rows = await self.session.execute(
            select(m.c.user_id).where(
                m.c.community_id == community_id, m.c.status == MembershipStatus.active.value
            )
        )
        return [row[0] for row in rows]

    # --- invitations ---

    async def add_invitation(self, invitation: Invitation) -> None:
        await self.session.execute(
            insert(inv).values(
                id=invitation.id,
                community_id=invitation.community_id,
                invitee_id=invitation.invitee_id,
                invited_by=invitation.invited_by,
                created_at=invitation.created_at,
            )
        )

    async def open_invitation(self, community_id: UUID, user_id: UUID) -> Invitation | None:
        row = (
            await self.session.execute(
                select(inv).where(
                    inv.c.community_id == community_id,
                    inv.c.invitee_id == user_id,
                    inv.c.accepted_at.is_(None),
                )
            )
        ).first()
        if row is None:
            return None
        r = fields(row)
        return Invitation(
            r["id"],
            r["community_id"],
            r["invitee_id"],
            r["invited_by"],
            r["created_at"],
            r["accepted_at"],
        )

    async def accept_invitation(self, invitation_id: UUID, at: datetime) -> None:
        await self.session.execute(
            update(inv).where(inv.c.id == invitation_id).values(accepted_at=at)
        )

    async def invitations_for(self, user_id: UUID, page: PageRequest) -> PageResult[InvitationView]:
        stmt = (
            select(
                inv.c.id.label("inv_id"),
                inv.c.community_id.label("inv_community_id"),
                inv.c.invitee_id,
                inv.c.invited_by,
                inv.c.created_at.label("inv_created_at"),
                *COMMUNITY_COLUMNS,
                *ref_columns(users, "by"),
            )
            .join(c, c.c.id == inv.c.community_id)
            .join(users, users.c.id == inv.c.invited_by)
            .where(
                inv.c.invitee_id == user_id,
                inv.c.accepted_at.is_(None),
                c.c.archived_at.is_(None),
            )
        )

        def to_view(row: Row[Any]) -> InvitationView:
            r = fields(row)
            invitation = Invitation(
                r["inv_id"],
                r["inv_community_id"],
                r["invitee_id"],
                r["invited_by"],
                r["inv_created_at"],
            )
            return InvitationView(invitation, community_from_row(row), required_ref(row, "by"))

        return await keyset_page(
            self.session,
            stmt,
            [SortKey(inv.c.created_at, True), SortKey(inv.c.id, True)],
            page,
            to_view,
            lambda row: (fields(row)["inv_created_at"], fields(row)["inv_id"]),
        )

    async def list_invitations(
        self, community_id: UUID, page: PageRequest
    ) -> PageResult[PendingInvitationView]:
        invitee = users.alias("invitee")
        sender = users.alias("sender")
        stmt = (
            select(inv, *ref_columns(invitee, "to"), *ref_columns(sender, "by"))
            .join(invitee, invitee.c.id == inv.c.invitee_id)
            .join(sender, sender.c.id == inv.c.invited_by)
            .where(inv.c.community_id == community_id, inv.c.accepted_at.is_(None))
        )

        def to_view(row: Row[Any]) -> PendingInvitationView:
            r = fields(row)
            invitation = Invitation(
                r["id"], r["community_id"], r["invitee_id"], r["invited_by"], r["created_at"]
            )
            return PendingInvitationView(
                invitation, required_ref(row, "to"), required_ref(row, "by")
            )

        return await keyset_page(
            self.session,
            stmt,
            [SortKey(inv.c.created_at, True), SortKey(inv.c.id, True)],
            page,
            to_view,
            lambda row: (fields(row)["created_at"], fields(row)["id"]),
        )

    async def revoke_invitation(self, community_id: UUID, invitee_id: UUID) -> bool:
        result = await self.session.execute(
            delete(inv).where(
                inv.c.community_id == community_id,
                inv.c.invitee_id == invitee_id,
                inv.c.accepted_at.is_(None),
            )
        )
        return bool(result.rowcount)  # type: ignore[attr-defined]

    # --- nominations ---

    async def add_nomination(self, nomination: Nomination) -> None:
        await self.session.execute(
            insert(nom).values(
                id=nomination.id,
                community_id=nomination.community_id,
                nominee_id=nomination.nominee_id,
                nominated_by=nomination.nominated_by,
                role=nomination.role.value,
                status=nomination.status.value,
                reason=nomination.reason,
                created_at=nomination.created_at,
            )
        )

    async def get_nomination(self, community_id: UUID, nomination_id: UUID) -> Nomination | None:
        row = (
            await self.session.execute(
                select(nom).where(nom.c.id == nomination_id, nom.c.community_id == community_id)
            )
        ).first()
        return _nomination(row) if row else None

    async def update_nomination(self, nomination: Nomination) -> None:
        await self.session.execute(
            update(nom)
            .where(nom.c.id == nomination.id)
            .values(
                status=nomination.status.value,
                decided_by=nomination.decided_by,
                decided_at=nomination.decided_at,
            )
        )

    async def pending_nomination_exists(
        self, community_id: UUID, nominee_id: UUID, role: Role
    ) -> bool:
        stmt = select(
            exists().where(
                nom.c.community_id == community_id,
                nom.c.nominee_id == nominee_id,
                nom.c.role == role.value,
                nom.c.status == NominationStatus.pending.value,
            )
        )
        return bool((await self.session.execute(stmt)).scalar())

    def _nomination_select(self) -> Any:
        nominee = users.alias("nominee")
        by = users.alias("nominator")
        return (
            select(nom, *ref_columns(nominee, "nominee_user"), *ref_columns(by, "nominator_user"))
            .join(nominee, nominee.c.id == nom.c.nominee_id)
            .join(by, by.c.id == nom.c.nominated_by)
        )

    async def list_nominations(
        self, community_id: UUID, status: NominationStatus | None, page: PageRequest
    ) -> PageResult[NominationView]:
        stmt = self._nomination_select().where(nom.c.community_id == community_id)
        if status is not None:
            stmt = stmt.where(nom.c.status == status.value)
        return await keyset_page(
            self.session,
            stmt,
            [SortKey(nom.c.created_at, True), SortKey(nom.c.id, True)],
            page,
            _nomination_view,
            lambda row: (fields(row)["created_at"], fields(row)["id"]),
        )

    async def nomination_view(self, nomination_id: UUID) -> NominationView:
        row = (
            await self.session.execute(self._nomination_select().where(nom.c.id == nomination_id))
        ).one()
        return _nomination_view(row)

    # --- audit log ---

    async def add_audit(self, entry: AuditEntry) -> None:
        await self.session.execute(
            insert(audit).values(
                id=entry.id,
                community_id=entry.community_id,
                actor_id=entry.actor_id,
                subject_user_id=entry.subject_user_id,
                action=entry.action.value,
                note=entry.note,
                created_at=entry.created_at,
            )
        )

    async def audit_log(self, community_id: UUID, page: PageRequest) -> PageResult[AuditView]:
        actor = users.alias("actor")
        subject = users.alias("subject")
        stmt = (
            select(
                audit, *ref_columns(actor, "actor_person"), *ref_columns(subject, "subject_person")
            )
            .outerjoin(actor, actor.c.id == audit.c.actor_id)
            .outerjoin(subject, subject.c.id == audit.c.subject_user_id)
            .where(audit.c.community_id == community_id)
        )

        def to_view(row: Row[Any]) -> AuditView:
            r = fields(row)
            entry = AuditEntry(
                id=r["id"],
                community_id=r["community_id"],
                actor_id=r["actor_id"],
                action=AuditAction(r["action"]),
                created_at=r["created_at"],
                subject_user_id=r["subject_user_id"],
                note=r["note"],
            )
            return AuditView(
                entry, ref_from_row(row, "actor_person"), ref_from_row(row, "subject_person")
            )

        return await keyset_page(
            self.session,
            stmt,
            [SortKey(audit.c.created_at, True), SortKey(audit.c.id, True)],
            page,
            to_view,
            lambda row: (fields(row)["created_at"], fields(row)["id"]),
        )

    # --- health ---

    async def stats(self, community_id: UUID, since: datetime) -> CommunityStats:
        """Membership and leadership from real rows. Content figures are zero until posts exist
        (the posts feature computes them from its own tables)."""
        leaders = union(
            select(m.c.user_id.label("uid")).where(
                m.c.community_id == community_id,
                m.c.status == MembershipStatus.active.value,
                _role_in(Role.moderator, Role.steward),
            ),
            select(audit.c.actor_id.label("uid")).where(
                audit.c.community_id == community_id,
                audit.c.created_at >= since,
                audit.c.actor_id.is_not(None),
            ),
        ).subquery()
        stmt = select(
            select(func.count())
            .select_from(m)
            .where(m.c.community_id == community_id, m.c.status == MembershipStatus.active.value)
            .scalar_subquery()
            .label("members"),
            select(func.count(distinct(leaders.c.uid))).scalar_subquery().label("leaders"),
        )
        row = (await self.session.execute(stmt)).one()
        return CommunityStats(
            members=int(row.members),
            active_members_30d=0,
            posts_30d=0,
            questions_30d=0,
            answered_ratio=0.0,
            median_first_response_minutes=None,
            contributors_30d=0,
            leaders_30d=int(row.leaders),
        )

    # --- leadership terms ---

    async def with_expired_terms(self, now: datetime, limit: int) -> list[UUID]:
        rows = await self.session.execute(
            select(m.c.community_id)
            .distinct()
            .join(c, c.c.id == m.c.community_id)
            .where(
                _role_in(Role.steward),
                m.c.term_ends_at.is_not(None),
                m.c.term_ends_at <= now,
                c.c.archived_at.is_(None),
            )
            .limit(limit)
        )
        return [row[0] for row in rows]


def _role_in(*roles: Role) -> ColumnElement[bool]:
    """The member has one of `roles`, `inline`: the index of a community's leaders is partial
    (stewards and moderators only, see repositories/communities/tables.py), and PostgreSQL
    uses it only
    where it can see the roles."""
    condition: ColumnElement[bool] = m.c.role.in_([inline(role.value, String()) for role in roles])
    return condition


def _nomination(row: Row[Any]) -> Nomination:
    r = fields(row)
    return Nomination(
        id=r["id"],
        community_id=r["community_id"],
        nominee_id=r["nominee_id"],
        nominated_by=r["nominated_by"],
        role=Role(r["role"]),
        status=NominationStatus(r["status"]),
        created_at=r["created_at"],
        decided_by=r["decided_by"],
        decided_at=r["decided_at"],
        reason=r["reason"],
    )


def _nomination_view(row: Row[Any]) -> NominationView:
    return NominationView(
        _nomination(row), required_ref(row, "nominee_user"), required_ref(row, "nominator_user")
    )
