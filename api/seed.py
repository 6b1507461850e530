"""Demo data for a first run and for benchmarks: `leaderful seed` (see repositories/seed/).

The skill taxonomy is loaded first (idempotent), then the bulk generator writes people,
communities, posts, threads, reactions and skill profiles in one transaction. The first people
are the named demo accounts below; everyone seeded signs in with DEMO_PASSWORD, hashed once.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import datetime

from api.settings import Settings
from auth.passwords import Argon2PasswordHasher
from domain.clock import SystemClock
from domain.skills.service import load_taxonomy
from domain.skills.taxonomy import STARTER_TAXONOMY
from repositories.db import create_engine, create_session_factory
from repositories.seed import DemoPerson, SeedSizes, seed_bulk
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
DEMO_DOMAIN = "demo.leaderful.dev"
# `make run`: a pleasant small demo, seeded in a few seconds on SQLite.
DEFAULT_USERS, DEFAULT_COMMUNITIES, DEFAULT_POSTS = 40, 8, 300


def demo_email(display_name: str) -> str:
    return f"{display_name.lower().replace(' ', '.')}@{DEMO_DOMAIN}"


DEMO_PEOPLE_EMAILS = [demo_email(name) for name, _ in DEMO_PEOPLE]


@dataclass(frozen=True, slots=True)
class SeedReport:
    created_users: int
    skipped: bool
    created_skills: int = 0
    rows: dict[str, int] = field(default_factory=dict)
    seconds: float = 0.0
    phases: dict[str, float] = field(default_factory=dict)
    admin_email: str | None = None


async def seed_demo(
    settings: Settings,
    *,
    users: int = DEFAULT_USERS,
    communities: int = DEFAULT_COMMUNITIES,
    posts: int = DEFAULT_POSTS,
    if_empty: bool = False,
    seed: int = 1,
    now: datetime | None = None,
    progress: Callable[[str], None] | None = None,
) -> SeedReport:
    """Load the taxonomy, then (unless `if_empty` and people exist) the generated demo world."""
    if posts and not communities:
        raise ValueError("posts need at least one community")
    engine = create_engine(settings.database_url)
    clock = SystemClock()
    try:
        async with SqlUnitOfWork(create_session_factory(engine)) as uow:
            # The taxonomy first, and always: it is idempotent, so an existing instance picks
            # up skills added to the starter set without touching anything else.
            skills = await load_taxonomy(uow, clock, STARTER_TAXONOMY)
            if if_empty and await uow.users.count() > 0:
                return SeedReport(created_users=0, skipped=True, created_skills=skills)
        # One argon2id hash for everyone (hashing is ~50 ms by design; 100k of them would not be).
        password_hash = await Argon2PasswordHasher().hash(DEMO_PASSWORD)
        people = [
            DemoPerson(display_name=name, title=title, email=demo_email(name))
            for name, title in DEMO_PEOPLE
        ]
        result = await seed_bulk(
            engine,
            sizes=SeedSizes(users=users, communities=communities, posts=posts),
            people=people,
            password_hash=password_hash,
            seed=seed,
            if_empty=if_empty,
            now=now,
            progress=progress,
        )
        return SeedReport(
            created_users=result.created_users,
            skipped=result.skipped,
            created_skills=skills,
            rows=result.rows,
            seconds=result.seconds,
            phases=result.phases,
            admin_email=result.admin_email,
        )
    finally:
        await engine.dispose()
