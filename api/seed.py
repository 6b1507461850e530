"""Demo data for a first run and for benchmarks. Grows with each feature."""

from __future__ import annotations

from dataclasses import dataclass

from api.settings import Settings
from auth.passwords import Argon2PasswordHasher
from domain.clock import SystemClock
from domain.skills.service import load_taxonomy
from domain.skills.taxonomy import STARTER_TAXONOMY
from domain.users.service import Registration, register_user
from repositories.db import create_engine, create_session_factory
from repositories.unit_of_work import SqlUnitOfWork

DEMO_PASSWORD = "leaderful-demo-pass"  # noqa: S105 (published demo sign-in)
DEMO_PEOPLE = [
    ("Amara Okafor", "Platform Engineering Lead"),
    ("Bruno Costa", "Data Scientist"),
    ("Chen Wei", "Site Reliability Engineer"),
    ("Dana Levi", "Product Designer"),
    ("Elif Yilmaz", "Engineering Manager"),
    ("Farah Haddad", "Security Engineer"),
    ("Gustav Nilsson", "Backend Engineer"),
    ("Hana Sato", "Learning & Development Partner"),
]


@dataclass(frozen=True, slots=True)
class SeedReport:
    created_users: int
    skipped: bool
    created_skills: int = 0


async def seed_demo(settings: Settings, *, users: int, if_empty: bool) -> SeedReport:
    engine = create_engine(settings.database_url)
    hasher = Argon2PasswordHasher()
    clock = SystemClock()
    try:
        async with SqlUnitOfWork(create_session_factory(engine)) as uow:
            # The taxonomy first, and always: it is idempotent, so an existing instance picks
            # up skills added to the starter set without touching anything else.
            skills = await load_taxonomy(uow, clock, STARTER_TAXONOMY)
            if if_empty and await uow.users.count() > 0:
                return SeedReport(created_users=0, skipped=True, created_skills=skills)
            for index in range(users):
                name, title = DEMO_PEOPLE[index % len(DEMO_PEOPLE)]
                suffix = "" if index < len(DEMO_PEOPLE) else f" {index // len(DEMO_PEOPLE) + 1}"
                local = name.lower().replace(" ", ".") + suffix.strip()
                user = await register_user(
                    uow,
                    hasher,
                    clock,
                    Registration(
                        email=f"{local}@demo.leaderful.dev",
                        password=DEMO_PASSWORD,
                        display_name=name + suffix,
                    ),
                )
                user.title = title
                await uow.users.update(user)
            await uow.commit()
            return SeedReport(created_users=users, skipped=False, created_skills=skills)
    finally:
        await engine.dispose()
