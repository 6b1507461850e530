"""The skills feature's tables (SQLModel `table=True` rows: they never leave repositories/)."""

from __future__ import annotations

import uuid
from datetime import date, datetime

from sqlalchemy import (
    Boolean,
    CheckConstraint,
    Column,
    Computed,
    Date,
    Float,
    ForeignKeyConstraint,
    Index,
    String,
    Text,
    false,
    true,
)
from sqlmodel import Field, SQLModel

from domain.mentorship.model import MIN_MENTOR_LEVEL
from repositories.tables import utc

# A holder's rank among the mentors of the skill: the stored expert score plus the points of their
# open places (`mentor_points`), for holders at MIN_MENTOR_LEVEL or above whose offer takes
# requests; NULL for everyone else. Computed by the database from the row itself, so every write
# of the score, the level or the offer's points moves it in the same statement (changing
# MIN_MENTOR_LEVEL needs a migration).
MENTOR_SCORE_SQL = (
    f"CASE WHEN mentor_points IS NOT NULL AND level >= {int(MIN_MENTOR_LEVEL)}"
    " THEN score + mentor_points END"
)


class SkillRow(SQLModel, table=True):
    """A skill of the taxonomy. Its counts are kept on write (repositories/skills/counts.py), in
    the writer's transaction: `holder_count` so sort=popular is an index scan, the others so a
    page of the list reads twenty rows instead of counting every holder and learner."""

    __tablename__ = "skill"
    __table_args__ = (
        Index("ix_skill_by_name", "sort_name", "id"),
        Index("ix_skill_category_by_name", "category", "sort_name", "id"),
    )

    id: uuid.UUID = Field(primary_key=True)
    slug: str = Field(sa_column=Column(String(80), nullable=False, unique=True))
    name: str = Field(sa_column=Column(String(80), nullable=False))
    sort_name: str = Field(sa_column=Column(String(80), nullable=False))  # lower-cased name
    description: str | None = Field(default=None, sa_column=Column(Text))
    category: str | None = Field(default=None, sa_column=Column(String(32)))
    holder_count: int = Field(default=0, nullable=False)
    # Holders at EXPERT_LEVEL or above, holders who want to teach, active learning goals.
    expert_count: int = Field(default=0, nullable=False, sa_column_kwargs={"server_default": "0"})
    teacher_count: int = Field(default=0, nullable=False, sa_column_kwargs={"server_default": "0"})
    learner_count: int = Field(default=0, nullable=False, sa_column_kwargs={"server_default": "0"})
    created_at: datetime = Field(sa_column=utc())
    updated_at: datetime = Field(sa_column=utc())
    # False for a skill first named by a tag in a private community (domain.skills.model).
    listed: bool = Field(sa_column=Column(Boolean, nullable=False, server_default=true()))


_skill = SkillRow.__table__  # type: ignore[attr-defined]
# The administrators' review list: few rows, in name order.
Index(
    "ix_skill_unlisted",
    _skill.c.sort_name,
    _skill.c.id,
    postgresql_where=_skill.c.listed.is_(False),
    sqlite_where=_skill.c.listed.is_(False),
)
# sort=popular is (holder_count DESC, sort_name, id): the indexes match that mixed order exactly.
Index("ix_skill_popular", _skill.c.holder_count.desc(), _skill.c.sort_name, _skill.c.id)
Index(
    "ix_skill_category_popular",
    _skill.c.category,
    _skill.c.holder_count.desc(),
    _skill.c.sort_name,
    _skill.c.id,
)


class SkillAlias(SQLModel, table=True):
    """Every name of a skill, its own included (`is_primary`), keyed by the normalised form.

    The primary key on `normalized` is what refuses "nodejs" next to "Node.js", even when two
    requests race past the service's check.
    """

    __tablename__ = "skill_alias"
    __table_args__ = (
        Index(
            "ix_skill_alias_normalized_pattern",
            "normalized",
            postgresql_ops={"normalized": "varchar_pattern_ops"},
        ),
    )

    normalized: str = Field(sa_column=Column(String(255), primary_key=True))
    skill_id: uuid.UUID = Field(foreign_key="skill.id", ondelete="CASCADE", index=True)
    name: str = Field(sa_column=Column(String(80), nullable=False))
    is_primary: bool = Field(sa_column=Column(Boolean, nullable=False))


class UserSkill(SQLModel, table=True):
    """A skill on a profile, with its expert score stored (repositories/skills/__init__.py: why)."""

    __tablename__ = "user_skill"
    __table_args__ = (
        CheckConstraint("level BETWEEN 1 AND 5", name="level_range"),
        Index("ix_user_skill_experts", "skill_id", "score", "user_id"),
        Index("ix_user_skill_level", "skill_id", "level"),
        Index("ix_user_skill_teachers", "skill_id", "wants_to_teach"),
        Index("ix_user_skill_profile", "user_id", "level"),
    )

    user_id: uuid.UUID = Field(foreign_key="user_account.id", ondelete="CASCADE", primary_key=True)
    skill_id: uuid.UUID = Field(foreign_key="skill.id", ondelete="CASCADE", primary_key=True)
    level: int = Field(nullable=False)
    wants_to_teach: bool = Field(sa_column=Column(Boolean, nullable=False))
    endorsement_count: int = Field(default=0, nullable=False)
    endorsement_points: float = Field(default=0.0, sa_column=Column(Float, nullable=False))
    # Sums of skill_evidence over public communities: what the stored, indexed score counts.
    accepted_answers: int = Field(
        default=0, nullable=False, sa_column_kwargs={"server_default": "0"}
    )
    helpful_reactions: int = Field(
        default=0, nullable=False, sa_column_kwargs={"server_default": "0"}
    )
    score: float = Field(default=0.0, sa_column=Column(Float, nullable=False))
    # Put here by peers (an endorsement, an accepted answer), not yet claimed by the person: its
    # level earns no points and the skill's holder counts leave it out (domain.skills.model).
    proposed: bool = Field(
        default=False,
        sa_column=Column(Boolean, nullable=False, server_default=false()),
    )
    # The holder's mentor offer, copied from mentor_profile by every write that changes it
    # (repositories/mentorship/offers.py): domain.mentorship.model.capacity_points of the open
    # places while the offer takes requests, NULL without one or when it takes none.
    mentor_points: float | None = Field(default=None, sa_column=Column(Float, nullable=True))
    mentor_score: float | None = Field(
        default=None,
        sa_column=Column(Float, Computed(MENTOR_SCORE_SQL, persisted=True), nullable=True),
    )
    # Whether any evidence lies outside public communities (evidence rows there, or an
    # endorsement citing a live post there): only then can a viewer's page row gain private
    # parts, so the experts read looks them up for the flagged rows alone. Recomputed with the
    # score (repositories/skills/scores.py refresh_rows): whether the person has a
    # skill_private_evidence row for the skill.
    private_evidence: bool = Field(
        default=False,
        sa_column=Column(Boolean, nullable=False, server_default=false()),
    )
    created_at: datetime = Field(sa_column=utc())
    updated_at: datetime = Field(sa_column=utc())


_user_skill = UserSkill.__table__  # type: ignore[attr-defined]
# Mentor recommendations read the best few mentors of one skill from this range (only holders
# who could mentor are in it), whatever the number of holders.
Index(
    "ix_user_skill_mentors",
    _user_skill.c.skill_id,
    _user_skill.c.mentor_score,
    _user_skill.c.user_id,
    postgresql_where=_user_skill.c.mentor_score.is_not(None),
    sqlite_where=_user_skill.c.mentor_score.is_not(None),
)


class SkillEvidenceRow(SQLModel, table=True):
    """A person's content on a listed skill, per community: their live posts tagged with it,
    their accepted answers to live questions tagged with it, and the helpful reactions on both
    (a comment through its post's tags). Recomputed from the content by every write that changes
    it (repositories/skills/scores.py), never incremented. Split by community so that what a viewer
    is shown sums only the communities they can see: a key lookup per person, not a content scan.
    Rows exist only while the person lists the skill (the composite key cascades)."""

    __tablename__ = "skill_evidence"
    __table_args__ = (
        ForeignKeyConstraint(
            ["user_id", "skill_id"],
            ["user_skill.user_id", "user_skill.skill_id"],
            ondelete="CASCADE",
            onupdate="CASCADE",
        ),
        Index("ix_skill_evidence_community", "community_id"),
    )

    user_id: uuid.UUID = Field(primary_key=True)
    skill_id: uuid.UUID = Field(primary_key=True)
    community_id: uuid.UUID = Field(
        foreign_key="community.id", ondelete="CASCADE", primary_key=True
    )
    posts: int = Field(default=0, nullable=False)
    accepted_answers: int = Field(default=0, nullable=False)
    helpful_reactions: int = Field(default=0, nullable=False)


class SkillPrivateEvidenceRow(SQLModel, table=True):
    """A person's evidence for a listed skill in one private community: the skill_evidence row
    there, and what endorsements citing a live post there add beyond their plain weight
    (x EVIDENCE_MULTIPLIER - 1). Only private communities have rows. Recomputed with the stored
    score (repositories/skills/scores.py refresh_rows, which every write moving evidence or a
    community's visibility runs), never incremented. The experts read adds a viewer's private
    part from it by key: the page's holders' rows, each checked against the viewer's membership,
    however much public content or how many communities lie behind them."""

    __tablename__ = "skill_private_evidence"
    __table_args__ = (
        ForeignKeyConstraint(
            ["user_id", "skill_id"],
            ["user_skill.user_id", "user_skill.skill_id"],
            ondelete="CASCADE",
            onupdate="CASCADE",
        ),
        Index("ix_skill_private_evidence_community", "community_id"),
    )

    user_id: uuid.UUID = Field(primary_key=True)
    skill_id: uuid.UUID = Field(primary_key=True)
    community_id: uuid.UUID = Field(
        foreign_key="community.id", ondelete="CASCADE", primary_key=True
    )
    accepted_answers: int = Field(nullable=False)
    helpful_reactions: int = Field(nullable=False)
    bonus: float = Field(sa_column=Column(Float, nullable=False))


class EndorsementRow(SQLModel, table=True):
    """One per endorser x person x skill. The composite foreign key makes "the person lists the
    skill" a database fact: removing the skill removes its endorsements, and a merge that moves
    the user skill carries them along (ON UPDATE CASCADE)."""

    __tablename__ = "endorsement"
    __table_args__ = (
        ForeignKeyConstraint(
            ["user_id", "skill_id"],
            ["user_skill.user_id", "user_skill.skill_id"],
            ondelete="CASCADE",
            onupdate="CASCADE",
        ),
        Index("uq_endorsement_endorser", "endorser_id", "skill_id", "user_id", unique=True),
        Index("ix_endorsement_received", "user_id", "skill_id", "created_at", "id"),
        Index("ix_endorsement_evidence", "evidence_post_id"),
    )

    id: uuid.UUID = Field(primary_key=True)
    endorser_id: uuid.UUID = Field(foreign_key="user_account.id", ondelete="CASCADE")
    user_id: uuid.UUID
    skill_id: uuid.UUID
    note: str | None = Field(default=None, sa_column=Column(Text))
    # A post of the endorsed person, or a question they answered (checked when linked).
    evidence_post_id: uuid.UUID | None = Field(
        default=None, foreign_key="post.id", ondelete="SET NULL"
    )
    created_at: datetime = Field(sa_column=utc())
    updated_at: datetime = Field(sa_column=utc())


class LearningGoalRow(SQLModel, table=True):
    """One goal per person and skill: a new ambition for the same skill updates the goal."""

    __tablename__ = "learning_goal"
    __table_args__ = (
        CheckConstraint("target_level BETWEEN 1 AND 5", name="target_level_range"),
        Index("uq_learning_goal_user_skill", "user_id", "skill_id", unique=True),
        Index("ix_learning_goal_list", "user_id", "created_at", "id"),
        Index("ix_learning_goal_learners", "skill_id", "status"),
    )

    id: uuid.UUID = Field(primary_key=True)
    user_id: uuid.UUID = Field(foreign_key="user_account.id", ondelete="CASCADE")
    skill_id: uuid.UUID = Field(foreign_key="skill.id", ondelete="CASCADE")
    target_level: int = Field(nullable=False)
    status: str = Field(sa_column=Column(String(16), nullable=False))
    note: str | None = Field(default=None, sa_column=Column(Text))
    due_on: date | None = Field(default=None, sa_column=Column(Date))
    created_at: datetime = Field(sa_column=utc())
    updated_at: datetime = Field(sa_column=utc())


# --- mentorship ---
