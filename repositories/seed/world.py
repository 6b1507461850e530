"""The demo world generator: people, communities, posts, threads, reactions and skill profiles,
as rows in the column order of `model.COLUMNS`, from one seeded random generator."""

from __future__ import annotations

import json
import math
import random
from bisect import bisect
from collections import defaultdict
from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from itertools import accumulate
from typing import Any, TypeVar
from uuid import UUID

from domain.communities.model import DEFAULT_NUDGE_AFTER_MINUTES
from domain.communities.model import slugify as community_slug
from domain.posts.model import REACTION_WEIGHT, ReactionKind
from domain.users.model import handle_base
from repositories.seed.corpus import (
    ANSWERS,
    BIOS,
    CLOSINGS,
    COMMUNITY_PATTERNS,
    COMMUNITY_QUALIFIERS,
    DEMO_LOCATIONS,
    DESCRIPTIONS,
    ENDORSEMENT_NOTES,
    FIRST_NAMES,
    GOAL_NOTES,
    INTROS,
    JOB_TITLES,
    LAST_NAMES,
    LINK_PARAGRAPHS,
    LINK_TEMPLATES,
    LISTS,
    LOCATIONS,
    MENTIONS,
    MENTOR_ABOUT,
    MIDDLES,
    PURPOSES,
    REPLIES,
    REPORT_DETAILS,
    TITLES,
    WORK_PATTERNS,
    compose,
    fill,
)
from repositories.seed.model import (
    CHUNK_POSTS,
    CONTENT_TABLES,
    Batch,
    DemoPerson,
    Existing,
    Row,
    SeedSizes,
    SkillInfo,
)

T = TypeVar("T")
# version 4, variant RFC 4122: what UUID(int=..., version=4) sets
_UUID_CLEAR = ~((0xC000 << 48) | (0xF000 << 64)) & ((1 << 128) - 1)
_UUID_V4 = (0x8000 << 48) | (4 << 76)
DAY = 86_400.0
POST_WINDOW_DAYS = 180
EMAIL_DOMAIN = "demo.leaderful.dev"


def _cumulative(weights: Sequence[float]) -> list[float]:
    return list(accumulate(weights))


def _json_list(items: Sequence[str]) -> str:
    """json.dumps of a list of slugs (plain ASCII: nothing to escape)."""
    return '["' + '", "'.join(items) + '"]' if items else "[]"


LEVELS = ((1, 0.15), (2, 0.25), (3, 0.3), (4, 0.2), (5, 0.1))
GOAL_STATUSES = (("active", 0.75), ("achieved", 0.15), ("dropped", 0.1))
POLICIES = (("open", 0.84), ("approval", 0.11), ("invite", 0.05))
NOTIFY_LEVELS = (("all", 0.2), ("mentions", 0.7), ("muted", 0.1))
TAG_COUNTS = ((1, 0.3), (2, 0.4), (3, 0.2), (4, 0.1))
KIND_WEIGHTS = (
    ("discussion", 0.33),
    ("question", 0.37),
    ("best_practice", 0.15),
    ("resource", 0.15),
)
COMMENT_MEAN = {"question": 3.0, "discussion": 2.6, "best_practice": 1.6, "resource": 1.0}
POST_REACTIONS = (
    ("like", 0.6),
    ("helpful", 0.22),
    ("insightful", 0.18),
)
ANSWER_REACTIONS = (
    ("helpful", 0.45),
    ("like", 0.4),
    ("insightful", 0.15),
)
LIKE, HELPFUL, INSIGHTFUL = (
    REACTION_WEIGHT[ReactionKind.like],
    REACTION_WEIGHT[ReactionKind.helpful],
    REACTION_WEIGHT[ReactionKind.insightful],
)


@dataclass(slots=True)
class _Community:
    id: UUID
    created: float
    members: list[int]  # active members, leaders first, then by joining weight
    leaders: list[int]
    skills: list[int]
    private: bool
    listed: bool  # public and not archived (post.listed)


class DemoWorld:
    """Generates every row from one seeded RNG. Not thread-safe: one consumer at a time."""

    def __init__(
        self,
        sizes: SeedSizes,
        skills: Sequence[SkillInfo],
        people: Sequence[DemoPerson],
        password_hash: str,
        *,
        seed: int,
        now: datetime,
        existing: Existing | None = None,
    ) -> None:
        self.sizes = sizes
        self.skills = list(skills)
        self.people = list(people)[: sizes.users]
        self.password_hash = password_hash
        self.rng = random.Random(seed)  # noqa: S311 (demo data, reproducible on purpose)
        self.now = now.astimezone(UTC)
        self.now_ts = self.now.timestamp()
        self.window_start = self.now_ts - POST_WINDOW_DAYS * DAY
        self.existing = existing or Existing()
        self.user_ids: list[UUID] = []
        self.handles: list[str] = []
        self.user_created: list[float] = []
        self.user_cum: list[float] = []
        self.user_skills: list[dict[int, int]] = []
        self.communities: list[_Community] = []
        self.post_plan: list[tuple[float, int, bool]] = []
        # skills ordered by popularity (a seeded permutation, well-known ones first)
        order = list(range(len(self.skills)))
        self.rng.shuffle(order)
        popular = {s: i for i, s in enumerate(POPULAR_SLUGS)}
        order.sort(key=lambda i: popular.get(self.skills[i].slug, len(popular)))
        self.skill_rank = order
        self.skill_cum = _cumulative([1.0 / (r + 4) ** 1.1 for r in range(len(order))])
        self.by_category: dict[str | None, list[int]] = defaultdict(list)
        for i in order:
            self.by_category[self.skills[i].category].append(i)

    # -- helpers --

    def _uuid(self) -> UUID:
        """A random version-4 UUID from the seeded generator."""
        return UUID(int=self.rng.getrandbits(128) & _UUID_CLEAR | _UUID_V4)

    def _ts(self, ts: float) -> datetime:
        return datetime.fromtimestamp(min(ts, self.now_ts), UTC)

    def _popular_skill(self) -> int:
        r = self.rng.random() * self.skill_cum[-1]
        return self.skill_rank[min(bisect(self.skill_cum, r), len(self.skill_rank) - 1)]

    def _weighted_user(self) -> int:
        r = self.rng.random() * self.user_cum[-1]
        return min(bisect(self.user_cum, r), len(self.user_cum) - 1)

    # -- people and their skills --

    def people_rows(self) -> Batch:
        rng = self.rng
        rows: Batch = defaultdict(list)
        n = self.sizes.users
        taken_handles = set(self.existing.handles)
        taken_emails = set(self.existing.emails)
        next_suffix: dict[str, int] = defaultdict(lambda: 2)
        for index in range(n):
            if index < len(self.people):
                person = self.people[index]
                name, title, email = person.display_name, person.title, person.email
                created = self.now_ts - (1100 - index) * DAY
            else:
                name = f"{rng.choice(FIRST_NAMES)} {rng.choice(LAST_NAMES)}"
                title = rng.choice(JOB_TITLES)
                email = ""
                created = self.now_ts - POST_WINDOW_DAYS * DAY - 20 * DAY - rng.random() * 900 * DAY
            reused = self.existing.people.get(email) if email else None
            if reused is not None:
                self.user_ids.append(reused)
                self.handles.append("")
                self.user_created.append(created)
                self.user_skills.append({})
                continue
            base = handle_base(name, email or "member@x")
            handle = base
            while handle in taken_handles:
                suffix = next_suffix[base]
                next_suffix[base] = suffix + 1
                handle = f"{base[: 29 - len(str(suffix))]}-{suffix}"
            if not email:
                email = f"{handle.replace('-', '.')}@{EMAIL_DOMAIN}"
                while email in taken_emails:  # only when someone took it by hand
                    email = f"{handle.replace('-', '.')}.{rng.randrange(10**6)}@{EMAIL_DOMAIN}"
            taken_handles.add(handle)
            taken_emails.add(email)
            user_id = self._uuid()
            location, timezone = rng.choice(LOCATIONS)
            if index < len(self.people):
                location, timezone = DEMO_LOCATIONS[index % len(DEMO_LOCATIONS)]
            role = "admin" if index == 0 and self.existing.empty else "member"
            at = self._ts(created)
            rows["user_account"].append(
                (
                    user_id,
                    email,
                    handle,
                    name,
                    name.lower(),
                    title,
                    rng.choice(BIOS) if rng.random() < 0.5 else None,
                    location if rng.random() < 0.8 else None,
                    timezone,
                    None,
                    WORK_PATTERNS[index % len(WORK_PATTERNS)],
                    role,
                    self.password_hash,
                    True,
                    0,
                    1,
                    at,
                    at,
                    at,  # demo addresses count as verified
                    None,
                    None,
                )
            )
            self.user_ids.append(user_id)
            self.handles.append(handle)
            self.user_created.append(created)
            self.user_skills.append(self._profile(index, created, rows))
            self._mentor_profile(at, rows)
        # Activity weights: demo people and early accounts a little busier, a long flat tail.
        self.user_cum = _cumulative(
            [(3.0 if i < len(self.people) else 1.0) / math.sqrt(i + 20) for i in range(n)]
        )
        self._endorsements_and_goals(rows)
        return rows

    def _profile(self, index: int, created: float, rows: Batch) -> dict[int, int]:
        """Skill levels of one new person (Dreyfus 1-5), popular skills most often."""
        rng = self.rng
        held: dict[int, int] = {}
        wanted = 2 + min(int(rng.expovariate(1 / 3.5)), 12)
        if self.skills:
            for _ in range(wanted * 2):
                if len(held) >= min(wanted, len(self.skills)):
                    break
                skill = self._popular_skill()
                if skill not in held:
                    held[skill] = _pick(rng, LEVELS)
        user_id = self.user_ids[-1]
        for skill, level in held.items():
            at = self._ts(created + rng.random() * (self.now_ts - created))
            teach = (level >= 4 and rng.random() < 0.5) or (level == 3 and rng.random() < 0.1)
            rows["user_skill"].append(
                (user_id, self.skills[skill].id, level, teach, 0, 0.0, 0.0, at, at)
            )
        return held

    def _mentor_profile(self, at: datetime, rows: Batch) -> None:
        """Most people who hold a skill at level 4+ and want to teach it offer to mentor."""
        rng = self.rng
        teaches = any(level >= 4 for level in self.user_skills[-1].values())
        if not teaches or rng.random() >= 0.6:
            return
        rows["mentor_profile"].append(
            (
                self.user_ids[-1],
                rng.random() < 0.85,
                rng.randint(1, 5),
                0,
                rng.choice(MENTOR_ABOUT) if rng.random() < 0.7 else None,
                at,
                at,
            )
        )

    def _endorsements_and_goals(self, rows: Batch) -> None:
        rng = self.rng
        holders: dict[int, list[int]] = defaultdict(list)
        for user, held in enumerate(self.user_skills):
            for skill in held:
                holders[skill].append(user)
        n = len(self.user_ids)
        for user, held in enumerate(self.user_skills):
            for skill, level in held.items():
                if level < 3 or rng.random() >= 0.35 or n < 2:
                    continue
                peers = holders[skill]
                endorsers: set[int] = set()
                for _ in range(1 + min(int(rng.expovariate(1 / 2.0)), 8)):
                    other = rng.choice(peers) if rng.random() < 0.7 else self._weighted_user()
                    if other != user and self.handles[other]:
                        endorsers.add(other)
                for endorser in sorted(endorsers):
                    created = max(self.user_created[user], self.user_created[endorser])
                    at = self._ts(created + rng.random() * (self.now_ts - created))
                    rows["endorsement"].append(
                        (
                            self._uuid(),
                            self.user_ids[endorser],
                            self.user_ids[user],
                            self.skills[skill].id,
                            rng.choice(ENDORSEMENT_NOTES) if rng.random() < 0.3 else None,
                            None,
                            at,
                            at,
                        )
                    )
            if not self.handles[user] or rng.random() >= 0.5 or not self.skills:
                continue
            goals: set[int] = set()
            for _ in range(1 + int(rng.random() * 3)):
                skill = self._popular_skill()
                if held.get(skill, 0) >= 4 or skill in goals:
                    continue
                goals.add(skill)
                target = rng.randint(max(held.get(skill, 0) + 1, 2), 5)
                status = _pick(rng, GOAL_STATUSES)
                created = self.user_created[user] + rng.random() * (
                    self.now_ts - self.user_created[user]
                )
                at = self._ts(created)
                due = None
                if rng.random() < 0.4:
                    due = (self.now + timedelta(days=rng.randint(14, 200))).date()
                rows["learning_goal"].append(
                    (
                        self._uuid(),
                        self.user_ids[user],
                        self.skills[skill].id,
                        target,
                        status,
                        rng.choice(GOAL_NOTES) if rng.random() < 0.3 else None,
                        due,
                        at,
                        at,
                    )
                )

    # -- communities --

    def community_rows(self) -> Batch:
        """Communities with their members and audit log, and the plan of every post (which
        community, when) so that post_count and last_activity_at are written exact at once."""
        rng = self.rng
        rows: Batch = defaultdict(list)
        n_users, n = len(self.user_ids), self.sizes.communities
        if n == 0 or n_users == 0:
            return rows
        taken = set(self.existing.slugs)
        sizes = [
            min(n_users, min(3, n_users) + round(0.35 * n_users / (rank + 1) ** 0.9))
            for rank in range(n)
        ]
        # The plan: a community for every post (more posts in bigger communities), a moment in
        # the last 180 days (denser recently), deleted or not; in chronological order.
        cum = _cumulative([size**1.1 for size in sizes])
        posts = self.sizes.posts
        places = rng.choices(range(n), cum_weights=cum, k=posts)
        moments = sorted(
            self.now_ts - POST_WINDOW_DAYS * DAY * rng.random() ** 1.4 for _ in range(posts)
        )
        deleted = [rng.random() < 0.005 for _ in range(posts)]
        self.post_plan = list(zip(moments, places, deleted, strict=True))
        post_count = [0] * n
        last_post = [0.0] * n
        for moment, place, gone in self.post_plan:
            if not gone:
                post_count[place] += 1
            last_post[place] = moment  # chronological: the last one wins
        for rank in range(n):
            self._community(rank, sizes[rank], post_count[rank], last_post[rank], taken, rows)
        return rows

    def _community_name(self, rank: int, taken: set[str]) -> tuple[str, str, int]:
        rng = self.rng
        for attempt in range(200):
            if not self.skills:
                skill, topic = -1, "Learning"
            else:
                skill = (
                    self.skill_rank[rank]
                    if rank < len(self.skills) and attempt == 0
                    else (self._popular_skill())
                )
                topic = self.skills[skill].name
            qualifier = (
                rng.choice(COMMUNITY_QUALIFIERS) if attempt or rank >= len(self.skills) else ""
            )
            name = rng.choice(COMMUNITY_PATTERNS).format(skill=topic) + qualifier
            slug = community_slug(name)
            if slug not in taken:
                taken.add(slug)
                return name, slug, skill
        number = rng.randrange(10**6)
        name = f"Learning Circle {number}"
        slug = community_slug(name)
        while slug in taken:
            number += 1
            name, slug = f"Learning Circle {number}", community_slug(f"Learning Circle {number}")
        taken.add(slug)
        return name, slug, -1

    def _community(
        self, rank: int, size: int, post_count: int, last_post: float, taken: set[str], rows: Batch
    ) -> None:
        rng = self.rng
        n_users = len(self.user_ids)
        community_id = self._uuid()
        name, slug, skill = self._community_name(rank, taken)
        topic = self.skills[skill].name if skill >= 0 else "learning"
        skills = [skill] if skill >= 0 else []
        if skill >= 0:
            related = self.by_category[self.skills[skill].category]
            for _ in range(rng.randint(1, 4)):
                other = rng.choice(related)
                if other not in skills:
                    skills.append(other)
        # Members: the creator first; demo people lead the first communities and join the top
        # three; then weighted draws without replacement (uniform for the very big ones).
        creator = rank if rank < len(self.people) else self._weighted_user()
        created = self.window_start - 10 * DAY - rng.random() * 900 * DAY
        created = max(created, self.user_created[creator] + DAY)
        chosen = [creator]
        seen = {creator}
        if rank < 3:
            for person in range(min(len(self.people), n_users)):
                if person not in seen and len(chosen) < size:
                    chosen.append(person)
                    seen.add(person)
        if size > n_users // 3:
            pool = rng.sample(range(n_users), min(n_users, size + len(chosen)))
            for user in pool:
                if len(chosen) >= size:
                    break
                if user not in seen:
                    chosen.append(user)
                    seen.add(user)
        attempts = 0
        while len(chosen) < size and attempts < size * 20:
            attempts += 1
            user = self._weighted_user()
            if user not in seen:
                chosen.append(user)
                seen.add(user)
        stewards = min(len(chosen), 1 + (size >= 8) + (size >= 60) + (size >= 400))
        moderators = min(len(chosen) - stewards, max(1, size // 40), 12)
        leaders = chosen[: stewards + moderators]
        private = rank >= 3 and rng.random() < 0.05
        if private:
            visibility, policy = "private", "invite"
        elif rank < 3:
            visibility, policy = "public", "open"
        else:
            visibility = "public"
            policy = _pick(rng, POLICIES)
        term_days = rng.choice((180, 365)) if rng.random() < 0.2 else None
        last_activity = max(created, last_post)
        archived = None
        if rank >= 10 and rng.random() < 0.01:
            archived = self._ts(max(last_activity, self.now_ts - 20 * DAY) + DAY)
        creator_id = self.user_ids[creator]
        purpose = rng.choice(PURPOSES).format(skill=topic)
        description, description_html = fill(rng.choice(DESCRIPTIONS), topic)
        rows["community"].append(
            (
                community_id,
                slug,
                name,
                name.lower(),
                purpose,
                description,
                description_html,
                visibility,
                policy,
                _json_list([self.skills[s].slug for s in skills]),
                term_days,
                DEFAULT_NUDGE_AFTER_MINUTES,
                creator_id,
                self._ts(created),
                self._ts(created),
                self._ts(last_activity),
                archived,
                len(chosen),
                post_count,
                1,
            )
        )
        rows["community_audit"].append(
            (self._uuid(), community_id, creator_id, creator_id, "created", None, self._ts(created))
        )
        for position, user in enumerate(chosen):
            role = (
                "steward"
                if position < stewards
                else ("moderator" if position < stewards + moderators else "member")
            )
            start = max(created, self.user_created[user])
            joined = (
                created if position == 0 else start + rng.random() * (self.window_start - start)
            )
            term_ends = None
            if role == "steward" and term_days:
                term_ends = self._ts(self.now_ts + (1 + rng.random() * (term_days - 1)) * DAY)
            notify = "all" if position == 0 else _pick(rng, NOTIFY_LEVELS)
            rows["community_member"].append(
                (
                    community_id,
                    self.user_ids[user],
                    role,
                    "active",
                    notify,
                    self._ts(joined),
                    term_ends,
                )
            )
            if position and role != "member":
                at = joined + rng.random() * (self.now_ts - joined)
                rows["community_audit"].append(
                    (
                        self._uuid(),
                        community_id,
                        creator_id,
                        self.user_ids[user],
                        "role_changed",
                        f"member → {role}",
                        self._ts(at),
                    )
                )
        if policy == "approval":
            for _ in range(rng.randint(0, 3)):
                user = self._weighted_user()
                if user in seen:
                    continue
                seen.add(user)
                asked = self.now_ts - rng.random() * 14 * DAY
                rows["community_member"].append(
                    (
                        community_id,
                        self.user_ids[user],
                        "member",
                        "pending",
                        "mentions",
                        self._ts(asked),
                        None,
                    )
                )
        listed = not private and archived is None
        self.communities.append(
            _Community(community_id, created, chosen, leaders, skills, private, listed)
        )

    # -- posts, threads, reactions --

    def content_chunks(self, chunk: int = CHUNK_POSTS) -> Iterator[Batch]:
        for start in range(0, len(self.post_plan), chunk):
            rows: Batch = {table: [] for table in CONTENT_TABLES}
            post = self._post
            for moment, place, gone in self.post_plan[start : start + chunk]:
                post(moment, self.communities[place], gone, rows)
            yield rows

    def _tags(self, community: _Community, author: int) -> list[int]:
        rand = self.rng.random
        tags: list[int] = []
        for _ in range(_pick(self.rng, TAG_COUNTS)):
            roll = rand()
            held = self.user_skills[author]
            if roll < 0.7 and community.skills:
                skill = community.skills[int(rand() * len(community.skills))]
            elif roll < 0.85 and held:
                skill = list(held)[int(rand() * len(held))]
            elif self.skills:
                skill = self._popular_skill()
            else:
                continue
            if skill not in tags:
                tags.append(skill)
        return tags

    def _reactions(
        self,
        target_id: UUID,
        target_type: str,
        author: int,
        members: list[int],
        at: float,
        mean: float,
        kinds: tuple[tuple[str, float], ...],
        reaction_rows: list[Row],
        boost: int = 0,
    ) -> tuple[int, int, int]:
        """Distinct (person, kind) reactions from members other than the author."""
        rng = self.rng
        turns = int(rng.expovariate(1 / mean)) + boost
        if not turns:
            return 0, 0, 0
        rand, size, user_ids, ts = rng.random, len(members), self.user_ids, self._ts
        done: set[tuple[int, str]] = set()
        like = helpful = insightful = 0
        for turn in range(turns):
            user = members[int(size * rand() ** 1.3)]
            if user == author:
                continue
            kind = "helpful" if turn < boost else _pick(rng, kinds)
            if (user, kind) in done:
                continue
            done.add((user, kind))
            if kind == "like":
                like += 1
            elif kind == "helpful":
                helpful += 1
            else:
                insightful += 1
            when = ts(at + rng.expovariate(1 / (1.5 * DAY)))
            reaction_rows.append((user_ids[user], target_id, kind, target_type, when))
        return like, helpful, insightful

    def _body(
        self, kind: str, main: str, names: list[str], slug: str, mention: str, links: bool
    ) -> tuple[str, str]:
        rand = self.rng.random
        parts = [fill(_one(INTROS[kind], rand), main)]
        for _ in range(1 + (rand() < 0.5)):
            parts.append(fill(_one(MIDDLES, rand), _one(names, rand)))
        if rand() < 0.3:
            parts.append(fill(_one(LISTS, rand), main))
        if links:
            parts.append(fill(_one(LINK_PARAGRAPHS, rand), main, slug=slug))
        if mention:
            parts.append(fill(_one(MENTIONS, rand), main, handle=mention))
        if rand() < 0.7:
            parts.append(fill(_one(CLOSINGS[kind], rand), main))
        return compose(parts)

    def _post(self, moment: float, community: _Community, gone: bool, rows: Batch) -> None:
        rng, ts, user_ids, now = self.rng, self._ts, self.user_ids, self.now_ts
        rand, expovariate, new_id = rng.random, rng.expovariate, self._uuid
        members = community.members
        size = len(members)
        author = members[int(size * rand() ** 2.5)]
        kind = _pick(rng, KIND_WEIGHTS)
        tags = self._tags(community, author)
        skills = self.skills
        names = [skills[s].name for s in tags] or ["teamwork"]
        slugs = [skills[s].slug for s in tags]
        main = names[0]
        if len(names) > 1:
            other = names[1]
        else:
            other = skills[self._popular_skill()].name if skills else "mentoring"
        title = _one(TITLES[kind], rand).format(skill=main, other=other, n=3 + int(rand() * 10))
        post_id = new_id()
        main_slug = slugs[0] if slugs else "teamwork"
        links = "[]"
        if kind == "resource":
            chosen = rng.sample(LINK_TEMPLATES, 1 + (rand() < 0.5))
            links = json.dumps(
                [
                    {"url": u.format(slug=main_slug), "title": t.format(skill=main)}
                    for u, t in chosen
                ]
            )
        mention = ""
        if rand() < 0.04 and size > 1:
            mentioned = members[int(size * rand())]
            if mentioned != author and self.handles[mentioned]:
                mention = self.handles[mentioned]
                rows["post_mention"].append((post_id, user_ids[mentioned]))
        body, body_html = self._body(kind, main, names, main_slug, mention, kind == "resource")

        # The thread: comments in time order, one level of replies, a few deleted.
        mean = COMMENT_MEAN[kind] * (0.6 + 0.15 * math.log10(size + 1))
        count = int(expovariate(1 / mean))
        if rand() < 0.01:
            count += 15 + int(rand() * 46)  # a hot thread
        thread: list[tuple[UUID, UUID | None, int, float, float | None]] = []
        top_level: list[int] = []
        when = moment + expovariate(1 / (0.25 * DAY))
        last_activity = moment
        for _ in range(count):
            if when > now:
                break
            commenter = members[int(size * rand() ** 1.8)]
            parent: UUID | None = None
            if top_level and rand() < 0.3:
                parent_index = top_level[int(rand() * len(top_level))]
                parent = thread[parent_index][0]
                if commenter == thread[parent_index][2]:
                    commenter = author  # the question's author answers back
            deleted_at = None
            if rand() < 0.01:
                deleted_at = when + rand() * (now - when)
            elif parent is None:
                top_level.append(len(thread))
            thread.append((new_id(), parent, commenter, when, deleted_at))
            last_activity = when
            when += expovariate(1 / (0.6 * DAY))
        accepted: UUID | None = None
        if kind == "question":
            candidates = [i for i in top_level if thread[i][2] != author]
            if candidates and rand() < 0.78:
                answer = thread[candidates[int(rand() * len(candidates))]]
                accepted = answer[0]
                last_activity = max(last_activity, min(answer[3] + expovariate(1 / DAY), now))
        comment_rows, reaction_rows = rows["comment"], rows["reaction"]
        live_comments = 0
        reaction_mean = (0.5 + 0.3 * math.log10(size + 1)) * (1.5 if kind == "question" else 1.0)
        comment_kinds = ANSWER_REACTIONS if kind == "question" else POST_REACTIONS
        for comment_id, parent, commenter, at, deleted_at in thread:
            if parent is None:
                text, html = fill(_one(ANSWERS, rand), _one(names, rand))
                if rand() < 0.15:
                    text, html = compose([(text, html), fill(_one(MIDDLES, rand), main)])
            else:
                text, html = fill(_one(REPLIES, rand), main)
            likes, helpful, insightful = self._reactions(
                comment_id,
                "comment",
                commenter,
                members,
                at,
                reaction_mean,
                comment_kinds,
                reaction_rows,
                2 if comment_id == accepted else 0,
            )
            created = ts(at)
            edited = ts(at + DAY * rand()) if rand() < 0.03 else created
            comment_rows.append(
                (
                    comment_id,
                    post_id,
                    parent,
                    user_ids[commenter],
                    text,
                    html,
                    created,
                    edited,
                    likes + 3 * helpful + 2 * insightful,
                    likes,
                    helpful,
                    insightful,
                    None if deleted_at is None else ts(deleted_at),
                    1 if edited is created else 2,
                    "[]",  # attachments
                )
            )
            if deleted_at is None:
                live_comments += 1

        log_size = math.log10(size + 1)
        likes, helpful, insightful = self._reactions(
            post_id,
            "post",
            author,
            members,
            moment,
            0.8 + 0.9 * log_size * (1.3 if kind == "best_practice" else 1.0),
            POST_REACTIONS,
            reaction_rows,
        )
        created = ts(moment)
        edited = ts(moment + rand() * DAY) if rand() < 0.05 else created
        rows["post"].append(
            (
                post_id,
                community.id,
                user_ids[author],
                kind,
                title,
                body,
                body_html,
                links,
                _json_list(slugs),
                created,
                edited,
                ts(last_activity),
                likes * LIKE + helpful * HELPFUL + insightful * INSIGHTFUL,
                likes,
                helpful,
                insightful,
                live_comments,
                accepted,
                rand() < (0.01 if kind == "best_practice" else 0.002),
                rand() < 0.002,
                ts(moment + rand() * (now - moment)) if gone else None,
                1 if edited is created else 2,
                "[]",  # attachments
                community.listed,
            )
        )
        post_tags = rows["post_tag"]
        for skill in tags:
            post_tags.append((post_id, skills[skill].id))
        if rand() < 0.001 and size > 1:
            self._report(community, post_id, author, moment, rows)

    def _report(
        self, community: _Community, post_id: UUID, author: int, moment: float, rows: Batch
    ) -> None:
        rng = self.rng
        reporter = rng.choice(community.members)
        if reporter == author:
            return
        at = moment + rng.random() * (self.now_ts - moment)
        resolved = rng.random() < 0.3
        resolver = rng.choice(community.leaders)
        rows["report"].append(
            (
                self._uuid(),
                community.id,
                "post",
                post_id,
                self.user_ids[reporter],
                rng.choice(("spam", "off_topic", "abuse", "other")),
                rng.choice(REPORT_DETAILS) if rng.random() < 0.5 else None,
                "resolved" if resolved else "open",
                self._ts(at),
                self.user_ids[resolver] if resolved else None,
                self._ts(at + rng.random() * (self.now_ts - at)) if resolved else None,
                "dismiss" if resolved else None,
                "Looks fine to us." if resolved else None,
            )
        )


POPULAR_SLUGS = (
    "python",
    "sql",
    "javascript",
    "typescript",
    "communication",
    "git",
    "docker",
    "public-speaking",
    "kubernetes",
    "java",
    "product-management",
    "agile-coaching",
    "react",
    "data-analysis",
    "mentoring",
)


def _pick(rng: random.Random, weighted: Sequence[tuple[Any, float]]) -> Any:
    """One value of (value, probability) pairs whose probabilities add up to 1."""
    roll = rng.random()
    for value, weight in weighted:
        roll -= weight
        if roll < 0:
            return value
    return weighted[-1][0]


def _one(items: Sequence[T], rand: Callable[[], float]) -> T:
    """random.choice without its bookkeeping (this runs millions of times)."""
    return items[int(rand() * len(items))]
