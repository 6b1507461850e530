"""The skills feature's part of the unit of work (composed in repositories/unit_of_work.py)."""

from __future__ import annotations

from sqlalchemy.ext.asyncio import AsyncSession

from repositories.base import FeatureRepositories
from repositories.skills.goals import SqlLearningGoalRepository
from repositories.skills.holders import SqlEndorsementRepository, SqlUserSkillRepository
from repositories.skills.taxonomy import SqlSkillRepository


class SqlSkillsRepositories(FeatureRepositories):
    skills: SqlSkillRepository
    user_skills: SqlUserSkillRepository
    endorsements: SqlEndorsementRepository
    learning_goals: SqlLearningGoalRepository

    def attach(self, session: AsyncSession) -> None:
        super().attach(session)
        self.skills = SqlSkillRepository(session)
        self.user_skills = SqlUserSkillRepository(session)
        self.endorsements = SqlEndorsementRepository(session)
        self.learning_goals = SqlLearningGoalRepository(session)
