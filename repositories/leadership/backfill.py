"""The ledger of what happened before it existed: set-based INSERT ... SELECT statements that
derive leadership acts from the rows that prove them (the audit log, nominations, posts,
accepted answers, endorsements, mentorships, sessions and nudges). Run by the migration that
creates the ledger and by the demo-data loader, which writes rows without the services.

Each statement skips acts already in the ledger (same kind, person and subject; sessions also by
time), so running it again adds only what is missing."""

from __future__ import annotations

from typing import Any

from sqlalchemy import (
    ColumnElement,
    Executable,
    and_,
    exists,
    func,
    insert,
    literal,
    or_,
    select,
    type_coerce,
)
from sqlalchemy.types import String, Uuid

from domain.leadership.model import ActKind, SubjectType
from domain.leadership.service import MODERATION_ACTIONS
from domain.mentorship.model import MentorshipStatus
from domain.posts.model import PostKind
from repositories.communities.tables import CommunityAudit, CommunityNomination
from repositories.leadership.tables import LeadershipActRow
from repositories.mentorship.tables import MentorshipRow, MentorshipSessionRow
from repositories.posts.tables import CommentRow, PostNudgeRow, PostRow
from repositories.skills.tables import EndorsementRow

act = LeadershipActRow.__table__  # type: ignore[attr-defined]
audit = CommunityAudit.__table__  # type: ignore[attr-defined]
nom = CommunityNomination.__table__  # type: ignore[attr-defined]
post = PostRow.__table__  # type: ignore[attr-defined]
comment = CommentRow.__table__  # type: ignore[attr-defined]
endorsement = EndorsementRow.__table__  # type: ignore[attr-defined]
mentorship = MentorshipRow.__table__  # type: ignore[attr-defined]
session = MentorshipSessionRow.__table__  # type: ignore[attr-defined]
nudge = PostNudgeRow.__table__  # type: ignore[attr-defined]

COLUMNS = ["id", "person_id", "community_id", "kind", "occurred_at", "subject_type", "subject_id"]


def _new_id(dialect: str) -> ColumnElement[Any]:
    """A random UUID made by the database (SQLite stores UUIDs as 32 hex digits)."""
    if dialect == "postgresql":
        return type_coerce(func.gen_random_uuid(), Uuid())
    return type_coerce(func.lower(func.hex(func.randomblob(16))), Uuid())


def _acts(
    dialect: str,
    source: Any,
    kind: ActKind,
    person: ColumnElement[Any],
    community: ColumnElement[Any] | None,
    at: ColumnElement[Any],
    subject_type: SubjectType,
    subject: ColumnElement[Any],
    *where: ColumnElement[bool],
    same_time: bool = False,
) -> Executable:
    already = exists().where(
        act.c.kind == kind.value,
        act.c.person_id == person,
        act.c.subject_id == subject,
        *((act.c.occurred_at == at,) if same_time else ()),
    )
    rows = (
        select(
            _new_id(dialect),
            person,
            community if community is not None else type_coerce(literal(None), Uuid()),
            literal(kind.value, String()),
            at,
            literal(subject_type.value, String()),
            subject,
        )
        .select_from(source)
        .where(*where, ~already)
    )
    return insert(act).from_select(COLUMNS, rows)


def backfill_statements(dialect: str) -> list[Executable]:
    """The statements, in order; run them in one transaction."""
    a = audit.c
    answer = comment.alias("answer")
    first_answer = (
        select(
            nudge.c.post_id,
            nudge.c.user_id,
            post.c.community_id,
            func.min(comment.c.created_at).label("at"),
        )
        .select_from(
            nudge.join(post, post.c.id == nudge.c.post_id).join(
                comment,
                and_(
                    comment.c.post_id == nudge.c.post_id,
                    comment.c.author_id == nudge.c.user_id,
                    comment.c.parent_id.is_(None),
                    comment.c.deleted_at.is_(None),
                ),
            )
        )
        .where(nudge.c.nudged_at.is_not(None), post.c.deleted_at.is_(None))
        .group_by(nudge.c.post_id, nudge.c.user_id, post.c.community_id)
        .subquery()
    )
    return [
        _acts(
            dialect,
            audit,
            ActKind.community_started,
            a.actor_id,
            a.community_id,
            a.created_at,
            SubjectType.community,
            a.community_id,
            a.action == "created",
            a.actor_id.is_not(None),
        ),
        _acts(
            dialect,
            audit,
            ActKind.steward_term,
            a.actor_id,
            a.community_id,
            a.created_at,
            SubjectType.audit,
            a.id,
            a.action == "created",
            a.actor_id.is_not(None),
        ),
        _acts(
            dialect,
            audit,
            ActKind.steward_term,
            a.subject_user_id,
            a.community_id,
            a.created_at,
            SubjectType.audit,
            a.id,
            a.subject_user_id.is_not(None),
            or_(
                a.action == "term_renewed",
                and_(
                    a.action == "role_changed",
                    or_(a.note.like("%→ steward"), a.note == "nominated as steward"),
                ),
            ),
        ),
        _acts(
            dialect,
            audit,
            ActKind.moderation_decision,
            a.actor_id,
            a.community_id,
            a.created_at,
            SubjectType.audit,
            a.id,
            a.action.in_(sorted(MODERATION_ACTIONS)),
            a.actor_id.is_not(None),
        ),
        _acts(
            dialect,
            nom,
            ActKind.nomination_given,
            nom.c.nominated_by,
            nom.c.community_id,
            nom.c.created_at,
            SubjectType.nomination,
            nom.c.id,
        ),
        _acts(
            dialect,
            nom,
            ActKind.nomination_received,
            nom.c.nominee_id,
            nom.c.community_id,
            nom.c.created_at,
            SubjectType.nomination,
            nom.c.id,
        ),
        _acts(
            dialect,
            nom,
            ActKind.nomination_accepted,
            nom.c.nominee_id,
            nom.c.community_id,
            nom.c.decided_at,
            SubjectType.nomination,
            nom.c.id,
            nom.c.status == "accepted",
            nom.c.decided_at.is_not(None),
        ),
        _acts(
            dialect,
            post,
            ActKind.best_practice_published,
            post.c.author_id,
            post.c.community_id,
            post.c.created_at,
            SubjectType.post,
            post.c.id,
            post.c.kind == PostKind.best_practice.value,
            post.c.deleted_at.is_(None),
        ),
        _acts(
            dialect,
            post.join(answer, answer.c.id == post.c.accepted_comment_id),
            ActKind.answer_accepted,
            answer.c.author_id,
            post.c.community_id,
            answer.c.created_at,
            SubjectType.post,
            post.c.id,
            post.c.kind == PostKind.question.value,
            post.c.deleted_at.is_(None),
            answer.c.deleted_at.is_(None),
            answer.c.author_id != post.c.author_id,
        ),
        _acts(
            dialect,
            endorsement.join(post, post.c.id == endorsement.c.evidence_post_id),
            ActKind.endorsement_with_evidence,
            endorsement.c.endorser_id,
            post.c.community_id,
            endorsement.c.created_at,
            SubjectType.post,
            post.c.id,
        ),
        _acts(
            dialect,
            mentorship,
            ActKind.mentorship_completed,
            mentorship.c.mentor_id,
            None,
            mentorship.c.completed_at,
            SubjectType.mentorship,
            mentorship.c.id,
            mentorship.c.status == MentorshipStatus.completed.value,
            mentorship.c.completed_at.is_not(None),
        ),
        _acts(
            dialect,
            session.join(mentorship, mentorship.c.id == session.c.mentorship_id),
            ActKind.mentoring_session_held,
            mentorship.c.mentor_id,
            None,
            session.c.created_at,
            SubjectType.mentorship,
            mentorship.c.id,
            same_time=True,
        ),
        _acts(
            dialect,
            first_answer,
            ActKind.nudged_question_answered,
            first_answer.c.user_id,
            first_answer.c.community_id,
            first_answer.c.at,
            SubjectType.post,
            first_answer.c.post_id,
        ),
    ]
