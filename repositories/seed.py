"""Demo data in bulk: realistic communities of practice, fast, with every counter exact.

`seed_bulk()` generates people, communities, posts, threads, reactions and skill profiles in Python
from one seeded `random.Random` (the same seed and the same `now` give the same rows), and writes
them in one transaction: COPY through asyncpg's `copy_records_to_table` on PostgreSQL, executemany
on SQLite. Generation runs in a worker thread one chunk ahead of the writer, so Python builds the
next chunk of posts while the database ingests the previous one.

What makes the data realistic:
- community sizes follow a Zipf-like law (a few big communities, a long tail); people join with
  skewed activity weights; every community has stewards and moderators, open/approval/invite
  policies, some private ones, pending requests, an audit log, a few term-limited stewardships;
- posts of the four kinds spread over the last 180 days (denser recently), more posts in bigger
  communities, skewed authorship (a few members write most), tags drawn from the skill taxonomy
  (mostly the community's own topics), links on resources, @mentions;
- threads with comments and one level of replies, reactions (like/helpful/insightful, never on
  one's own content), accepted answers on about half the questions, a few pinned, locked, edited
  or deleted posts and comments, a few reports;
- skill profiles with Dreyfus levels (popular skills held by many), endorsements, learning goals.

Counters are computed while generating and written with the rows (community member_count,
post_count, last_activity_at; post comment_count, reaction counts, score, last_activity_at,
accepted_comment_id, tags; comment reaction counts and score). `skill.holder_count` is recomputed
with one set-based UPDATE and the expert scores with `refresh_scores` for every skill at the end,
so they are exact even when the instance had data before.

On PostgreSQL the load also: skips the per-row foreign key triggers when the role is a superuser
(`session_replication_role = replica` for this transaction; the tests check every key), turns
JIT off, and from DEFER_INDEXES_FROM posts into empty content tables drops their secondary
indexes and unreferenced keys and rebuilds them from their own definitions after the COPY. Then
ANALYZE before the score refresh, and VACUUM (ANALYZE) after the commit. Measured on the 2-core
machine with 20,000 people and 10,000 communities: 10,000 posts in ~7 s (SQLite ~6 s), 1,000,000
posts (1.9M comments, 4.2M reactions) in 4.6-6.6 min depending on the machine's other load, of
which ~70 s is PostgreSQL computing the generated tsvector column and ~85 s the score refresh.
"""

from __future__ import annotations

import asyncio
import contextlib
import json
import math
import random
import time
from bisect import bisect
from collections import defaultdict
from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, timedelta
from functools import cache
from html import escape
from itertools import accumulate
from typing import Any, Protocol, TypeVar
from uuid import UUID, SafeUUID

from sqlalchemy import func, select, text, update
from sqlalchemy.ext.asyncio import AsyncConnection, AsyncEngine, AsyncSession

from domain.communities.model import slugify as community_slug
from domain.markdown import render_markdown
from domain.posts.model import REACTION_WEIGHT, ReactionKind
from domain.users.model import handle_base
from repositories.db import timestamps_as_text, timestamps_in_binary
from repositories.skills.scores import refresh_scores
from repositories.tables import SkillRow, UserAccount
from repositories.tables import UserSkill as UserSkillRow

Row = tuple[Any, ...]
T = TypeVar("T")
# version 4, variant RFC 4122: what UUID(int=..., version=4) sets
_UUID_CLEAR = ~((0xC000 << 48) | (0xF000 << 64)) & ((1 << 128) - 1)
_UUID_V4 = (0x8000 << 48) | (4 << 76)
Batch = dict[str, list[Row]]

DAY = 86_400.0
POST_WINDOW_DAYS = 180
CHUNK_POSTS = 5_000
EMAIL_DOMAIN = "demo.leaderful.dev"

# Column order of the rows the generator yields, per table (the generated tsvector column of
# `post` on PostgreSQL is left out: the database computes it).
COLUMNS: dict[str, tuple[str, ...]] = {
    "user_account": (
        "id",
        "email",
        "handle",
        "display_name",
        "search_name",
        "title",
        "bio",
        "location",
        "timezone",
        "avatar_url",
        "role",
        "password_hash",
        "is_active",
        "token_version",
        "version",
        "created_at",
        "updated_at",
    ),
    "user_skill": (
        "user_id",
        "skill_id",
        "level",
        "wants_to_teach",
        "endorsement_count",
        "endorsement_points",
        "score",
        "created_at",
        "updated_at",
    ),
    "mentor_profile": (
        "user_id",
        "accepting_mentees",
        "capacity",
        "active_mentees",
        "about",
        "timezone",
        "created_at",
        "updated_at",
    ),
    "endorsement": (
        "id",
        "endorser_id",
        "user_id",
        "skill_id",
        "note",
        "evidence_post_id",
        "created_at",
        "updated_at",
    ),
    "learning_goal": (
        "id",
        "user_id",
        "skill_id",
        "target_level",
        "status",
        "note",
        "due_on",
        "created_at",
        "updated_at",
    ),
    "community": (
        "id",
        "slug",
        "name",
        "search_name",
        "purpose",
        "description",
        "description_html",
        "visibility",
        "join_policy",
        "tags",
        "steward_term_days",
        "created_by",
        "created_at",
        "updated_at",
        "last_activity_at",
        "archived_at",
        "member_count",
        "post_count",
        "version",
    ),
    "community_member": (
        "community_id",
        "user_id",
        "role",
        "status",
        "notify_level",
        "joined_at",
        "term_ends_at",
    ),
    "community_audit": (
        "id",
        "community_id",
        "actor_id",
        "subject_user_id",
        "action",
        "note",
        "created_at",
    ),
    "post": (
        "id",
        "community_id",
        "author_id",
        "kind",
        "title",
        "body",
        "body_html",
        "links",
        "tags",
        "created_at",
        "updated_at",
        "last_activity_at",
        "score",
        "like_count",
        "helpful_count",
        "insightful_count",
        "comment_count",
        "accepted_comment_id",
        "is_pinned",
        "is_locked",
        "deleted_at",
        "version",
    ),
    "post_tag": ("post_id", "skill_id"),
    "post_mention": ("post_id", "user_id"),
    "comment": (
        "id",
        "post_id",
        "parent_id",
        "author_id",
        "body",
        "body_html",
        "created_at",
        "updated_at",
        "score",
        "like_count",
        "helpful_count",
        "insightful_count",
        "deleted_at",
        "version",
    ),
    "reaction": ("user_id", "target_id", "kind", "target_type", "created_at"),
    "report": (
        "id",
        "community_id",
        "target_type",
        "target_id",
        "reporter_id",
        "reason",
        "detail",
        "status",
        "created_at",
        "resolved_by",
        "resolved_at",
        "action",
        "note",
    ),
}
# Parents before children (SQLite checks foreign keys row by row).
TABLE_ORDER = tuple(COLUMNS)
CONTENT_TABLES = ("post", "post_tag", "post_mention", "comment", "reaction", "report")


# --- inputs and results --------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class SeedSizes:
    users: int
    communities: int
    posts: int


@dataclass(frozen=True, slots=True)
class DemoPerson:
    """A named demo account (the sign-in people of `make run`)."""

    display_name: str
    title: str
    email: str


@dataclass(frozen=True, slots=True)
class SkillInfo:
    id: UUID
    slug: str
    name: str
    category: str | None


@dataclass(slots=True)
class Existing:
    """What the instance already holds that generated rows must not collide with."""

    handles: set[str] = field(default_factory=set)
    emails: set[str] = field(default_factory=set)
    slugs: set[str] = field(default_factory=set)
    people: dict[str, UUID] = field(default_factory=dict)  # demo email -> existing user id
    empty: bool = True


@dataclass(slots=True)
class SeedResult:
    skipped: bool
    rows: dict[str, int] = field(default_factory=dict)
    seconds: float = 0.0
    phases: dict[str, float] = field(default_factory=dict)
    admin_email: str | None = None
    checked_foreign_keys: bool = True

    @property
    def created_users(self) -> int:
        return self.rows.get("user_account", 0)


def _words(text: str) -> tuple[str, ...]:
    return tuple(text.split())


SKILL = "SKILLNAMEZ"  # placeholders that markdown leaves alone (letters only)
SLUG = "SKILLSLUGZ"
HANDLE = "HANDLEZ"


# --- text -------------------------------------------------------------------------------------

FIRST_NAMES = _words(
    "Aaliyah Abebe Adaeze Aditi Ahmed Aiko Alejandro Alex Alice Amir Ana Anders Andrea Anika "
    "Arjun Astrid Aylin Bashir Beatriz Ben Bianca Camila Carlos Chiara Chloe Chidi Daniel Daria "
    "David Deepa Diego Dmitri Elena Emeka Emma Ethan Fatima Felix Fiona Gabriel Grace Hamza Hannah "
    "Hiroshi Ines Ingrid Isaac Ivan Jamal Jana Javier Jia Joao Jonas Jose Julia Kai Kamala Karim "
    "Kate Kenji Khadija Kofi Lars Laura Leila Leo Liam Lina Lucas Lucia Maja Malik Marco Maria "
    "Mateo Maya Mei Mohammed Nadia Naomi Nia Nikhil Nina Noah Olga Omar Oskar Paolo Pedro Priya "
    "Rafael Ravi Rosa Ryo Sahar Samuel Sara Sean Sofia Sven Tariq Thandiwe Tomas Uma Valentina "
    "Viktor Wei Yara Yusuf Zainab Zoe"
)
LAST_NAMES = _words(
    "Abara Adeyemi Ahmed Alvarez Andersson Bakker Banerjee Becker Bianchi Chen Costa Cruz Dubois "
    "Eriksen Fernandes Fischer Garcia Gonzalez Gupta Haddad Hansen Hoffmann Horvat Ibrahim Ito "
    "Jensen Johansson Kaur Khan Kim Kowalski Kruger Larsen Lee Lindqvist Lopez Mahlangu Martin "
    "Mendes Meyer Moreau Muller Murphy Nakamura Ndlovu Nguyen Nielsen Novak Nowak Obi Okeke "
    "Oliveira Osei Park Patel Pereira Petrov Popescu Qureshi Rahman Ramos Reddy Rossi Russo Sato "
    "Schmidt Schneider Shah Silva Singh Smith Suzuki Svensson Tanaka Taylor Torres Tran Visser "
    "Vasquez Wagner Walker Wang Weber Williams Wong Yamamoto Yilmaz Zhang Zimmermann"
)
JOB_TITLES = (
    "Software Engineer",
    "Senior Software Engineer",
    "Staff Engineer",
    "Backend Engineer",
    "Frontend Engineer",
    "Mobile Engineer",
    "Site Reliability Engineer",
    "Data Engineer",
    "Data Scientist",
    "Data Analyst",
    "Machine Learning Engineer",
    "Security Engineer",
    "QA Engineer",
    "Product Manager",
    "Product Designer",
    "UX Researcher",
    "Engineering Manager",
    "Technical Writer",
    "Solutions Architect",
    "Cloud Architect",
    "Scrum Master",
    "Agile Coach",
    "Business Analyst",
    "Programme Manager",
    "Learning & Development Partner",
    "People Partner",
    "Customer Success Manager",
    "Support Engineer",
    "Sales Engineer",
    "Marketing Manager",
    "Finance Analyst",
    "Operations Manager",
    "Head of Platform",
    "Principal Engineer",
    "Developer Advocate",
    "Designer",
    "Researcher",
    "Consultant",
)
LOCATIONS = (
    ("Amsterdam", "Europe/Amsterdam"),
    ("Bangalore", "Asia/Kolkata"),
    ("Berlin", "Europe/Berlin"),
    ("Boston", "America/New_York"),
    ("Cape Town", "Africa/Johannesburg"),
    ("Chicago", "America/Chicago"),
    ("Dublin", "Europe/Dublin"),
    ("Lagos", "Africa/Lagos"),
    ("Lisbon", "Europe/Lisbon"),
    ("London", "Europe/London"),
    ("Madrid", "Europe/Madrid"),
    ("Melbourne", "Australia/Melbourne"),
    ("Mexico City", "America/Mexico_City"),
    ("Montreal", "America/Toronto"),
    ("Nairobi", "Africa/Nairobi"),
    ("New York", "America/New_York"),
    ("Paris", "Europe/Paris"),
    ("Sao Paulo", "America/Sao_Paulo"),
    ("Seoul", "Asia/Seoul"),
    ("Singapore", "Asia/Singapore"),
    ("Stockholm", "Europe/Stockholm"),
    ("Tokyo", "Asia/Tokyo"),
    ("Toronto", "America/Toronto"),
    ("Warsaw", "Europe/Warsaw"),
    ("Remote", "UTC"),
)
BIOS = (
    "I like turning messy problems into simple systems.",
    "Happiest when pairing with someone on a hard problem.",
    "Learning in public, one experiment at a time.",
    "I help teams ship calmly and often.",
    "Curious about how people learn at work.",
    "Ask me about the things I broke in production, and how we fixed them.",
    "Writing things down so the next person does not have to ask.",
    "Mentor, tinkerer, occasional conference speaker.",
    "Interested in the craft and in the people who practise it.",
    "Always up for a whiteboard session.",
)
COMMUNITY_PATTERNS = (
    "{skill} Guild",
    "{skill} Community of Practice",
    "{skill} Practitioners",
    "{skill} Circle",
    "{skill} Chapter",
    "{skill} Learning Group",
    "{skill} Network",
    "{skill} Forum",
    "{skill} Club",
    "{skill} Collective",
    "{skill} Working Group",
    "{skill} Lab",
    "{skill} Study Group",
    "{skill} Exchange",
)
COMMUNITY_QUALIFIERS = (
    "",
    " EMEA",
    " Americas",
    " APAC",
    " Beginners",
    " Leads",
    " Berlin",
    " Lisbon",
    " Nairobi",
    " London",
    " Toronto",
    " Singapore",
    " Bangalore",
    " Sao Paulo",
    " Platform",
    " Payments",
    " Mobile",
    " Research",
    " Newcomers",
    " Deep Dives",
)
PURPOSES = (
    "Practitioners of {skill} share what works, answer each other's questions and help the next "
    "people on the team get good at it.",
    "We meet to get better at {skill} together: show-and-tells, reviews of real work, and honest "
    "answers to hard questions.",
    "A home for everyone who uses {skill} at work, from first steps to deep expertise, so no team "
    "has to learn the same lessons alone.",
    "To grow our {skill} skills across teams and locations by sharing practices, resources and "
    "the stories behind our mistakes.",
    "Anyone curious about {skill} is welcome: we pair newcomers with experienced practitioners "
    "and keep a living list of good practices.",
)
DESCRIPTIONS = (
    f"## What we do\n\nMonthly show-and-tell on {SKILL}, a question thread that never sleeps, and "
    "a shared reading list.\n\n## How to take part\n\n- Introduce yourself in a discussion\n"
    "- Ask anything, however basic\n- Share one thing you learned this month",
    "We are a community of practice: **everyone leads**. Stewards rotate, anyone can propose a "
    f"session, and the best answers get accepted so others find them.\n\nNew to {SKILL}? "
    "Start with the pinned best practices.",
    f"This community collects what our teams know about {SKILL}.\n\n1. Ask questions early\n"
    "2. Answer when you can\n3. Endorse the people who helped you",
)
TITLES: dict[str, tuple[str, ...]] = {
    "question": (
        "How do you get started with {skill} on an existing codebase?",
        "What is your team's approach to {skill} reviews?",
        "{skill}: how do you keep it maintainable over time?",
        "Anyone using {skill} with {other}?",
        "How do we measure whether {skill} is working for us?",
        "Best way to onboard a new team member to {skill}?",
        "Struggling with {skill} at scale: where do we start?",
        "Is {skill} worth it for a small team?",
        "How do you explain {skill} to stakeholders?",
        "Which {skill} habits made the biggest difference for you?",
        "What should we read first about {skill}?",
        "How do you decide between {skill} and {other}?",
    ),
    "discussion": (
        "What we learned moving our team to {skill}",
        "Is {skill} overrated? An honest thread",
        "{skill} and {other}: where do they meet?",
        "Share your {skill} wins (and failures) from this quarter",
        "The state of {skill} in our organisation",
        "Thoughts on the future of {skill}",
        "How does your team run {skill} retrospectives?",
        "Unpopular opinions about {skill}",
        "{skill} in practice: what surprised you?",
        "Pairing sessions on {skill}: who is in?",
    ),
    "best_practice": (
        "Our {skill} checklist, after two years of practice",
        "{n} lessons from running {skill} in production",
        "A lightweight {skill} process that teams actually follow",
        "{skill}: do this before you do anything else",
        "How we review {skill} work without slowing down",
        "Practical guardrails for {skill}",
        "The {skill} playbook for new teams",
        "Getting {skill} right: small steps that compound",
    ),
    "resource": (
        "Great introduction to {skill}",
        "Reading list: {skill} for practitioners",
        "Free course on {skill} worth your time",
        "Talk recording: {skill} at scale",
        "Cheat sheet for {skill}",
        "Podcast episode on {skill} and {other}",
        "Workshop slides: hands-on {skill}",
        "A book on {skill} that changed how our team works",
    ),
}
INTROS: dict[str, tuple[str, ...]] = {
    "question": (
        f"Our team has been using {SKILL} for a few months and we keep running into the same "
        "problems. Before we reinvent the wheel, I would love to hear how others handle it.",
        f"I am fairly new to {SKILL} and my team expects me to own it next quarter. What would "
        "you focus on first?",
        f"We have a disagreement in the team about {SKILL}. Half of us want to go all in, the "
        "other half thinks it adds process for little gain. How did you decide?",
        f"Quick question for the {SKILL} people here: how do you structure the work so that it "
        "survives when the original author moves on?",
        f"Context: a product team of six, a legacy service, and a deadline. Where does {SKILL} "
        "fit, if at all?",
    ),
    "discussion": (
        f"I want to start a thread about {SKILL}, because every team seems to do it differently "
        "and I think we can learn a lot from each other.",
        f"After a year of practising {SKILL} across three teams, here are some observations. "
        "Curious whether they match yours.",
        f"There was a lively debate about {SKILL} at the last meetup. Let's continue it here so "
        "people in other time zones can join.",
        f"{SKILL} keeps coming up in our planning sessions. I would like to hear how other teams "
        "think about it.",
    ),
    "best_practice": (
        f"This is what our team settled on for {SKILL} after a lot of trial and error. It is not "
        "the only way, but it has held up well.",
        f"We wrote down our {SKILL} practices so new joiners can ramp up quickly. Sharing them "
        "here in case they help your team too.",
        f"Every incident review we ran last year pointed at the same {SKILL} gaps. Here is how "
        "we closed them.",
    ),
    "resource": (
        f"Found this while preparing a session on {SKILL} for the team, and it is the clearest "
        "explanation I have seen.",
        f"If you are getting started with {SKILL}, this is a great place to begin. It is short, "
        "practical and free.",
        f"Sharing a resource on {SKILL} that our team keeps coming back to.",
    ),
}
MIDDLES = (
    f"The biggest lesson so far: keep {SKILL} work small and visible. Big-bang changes fail "
    "quietly, small ones fail loudly and early.",
    f"What worked for us was pairing an experienced person with a newcomer on every {SKILL} "
    "task for the first month. Knowledge spread much faster than through documentation.",
    f"We measure {SKILL} by outcomes the team cares about, not by activity. That single change "
    "made the conversations with stakeholders much easier.",
    f"Documentation matters more than we thought. A one-page guide to **{SKILL}** in the "
    "repository answered half of the questions we used to get in chat.",
    f"Automate the boring parts of {SKILL} first. The time you save pays for the harder "
    "improvements later.",
    f"We run a short {SKILL} review every two weeks. Anyone can bring an example, good or bad, "
    "and we discuss what to change.",
    f"Beware of cargo-culting {SKILL}: copy the reasoning from other teams, not the rituals.",
    f"The hardest part of {SKILL} is not technical. It is agreeing as a team on what good "
    "looks like and sticking to it.",
    f"For {SKILL}, we found that a shared checklist beats a long policy document. People "
    "actually read a checklist.",
    f"When something goes wrong with {SKILL}, we write a blameless note and share it here. "
    "The whole organisation learns from it.",
    f"Start with `{SKILL}` on one service, learn, then roll it out. Trying to do everything at "
    "once exhausted the team.",
    f"Our mentors in {SKILL} hold office hours every Thursday. It turned out to be the "
    "cheapest way to raise the level of the whole team.",
)
LISTS = (
    f"What helped most with {SKILL}:\n\n- agree on conventions early\n- review in pairs\n"
    "- keep examples in the repository\n- celebrate small improvements",
    f"Our checklist for {SKILL}:\n\n1. write down the goal\n2. try it on something small\n"
    "3. measure the result\n4. share what you learned",
    f"Things I wish I had known about {SKILL}:\n\n- it takes practice, not just reading\n"
    "- ask for feedback early\n- the team matters more than the tool",
)
MENTIONS = (
    f"Thanks to @{HANDLE} for the pointers on {SKILL}, they saved the team a lot of time.",
    f"@{HANDLE} knows a lot more about {SKILL} than I do, maybe they can weigh in.",
)
LINK_PARAGRAPHS = (
    f"Link: [A practical guide to {SKILL}](https://learn.example.com/{SLUG}/guide)",
    f"Worth reading: [{SKILL} in practice](https://handbook.example.org/{SLUG}) and the "
    "discussion around it.",
)
LINK_TEMPLATES = (
    ("https://learn.example.com/{slug}/guide", "A practical guide to {skill}"),
    ("https://handbook.example.org/{slug}", "{skill} in practice"),
    ("https://video.example.net/talks/{slug}", "Talk: {skill} at scale"),
)
CLOSINGS: dict[str, tuple[str, ...]] = {
    "question": (
        "Any advice from your team is welcome, thanks in advance!",
        "What would your team do in our place?",
        "Happy to summarise the answers for everyone once the team has tried them.",
    ),
    "discussion": (
        "What does your team think?",
        "Looking forward to hearing how other teams approach this.",
        "Let's keep the thread going, every team's experience counts.",
    ),
    "best_practice": (
        "Feedback from other teams is very welcome, this is a living document.",
        "If your team does it differently, please share, we are still learning.",
    ),
    "resource": (
        "Let me know if your team finds it useful.",
        "Share it with anyone on your team who is getting started.",
    ),
}
ANSWERS = (
    f"We had the same problem with {SKILL}. What fixed it for us was writing down a short "
    "decision record and reviewing it with the whole team.",
    f"Start small: pick one service and apply {SKILL} there for a sprint. You will learn more "
    "than from any amount of planning.",
    f"I would not go all in on {SKILL} yet. Run an experiment, agree on what success looks "
    "like, and decide afterwards.",
    f"Pairing is the answer here. Sit with someone who has done {SKILL} before and do one real "
    "task together.",
    f"Have a look at the pinned best practices in this community, the {SKILL} checklist covers "
    "most of this.",
    f"In my experience the tooling for {SKILL} matters less than the habits around it. Agree "
    "on the habits first.",
    f"We measured it: after adopting {SKILL} our lead time went down and nobody wants to go back.",
    f"Ask your stakeholders what problem {SKILL} should solve for them. If nobody can answer, "
    "you have your answer.",
    f"+1 to everything above. One more tip on {SKILL}: keep the examples in the repository, not "
    "in a wiki nobody reads.",
    f"I can walk you through our {SKILL} setup in a call if that helps, just message me.",
    f"Great question. We wrote a short guide on {SKILL} for our newcomers, happy to share it.",
    f"The trick with {SKILL} is consistency. Whatever you choose, make it the default.",
)
REPLIES = (
    "Thanks, this is really helpful!",
    f"Agreed, we saw the same thing with {SKILL}.",
    "Could you share an example? I would love to see it.",
    "That matches our experience too.",
    f"Interesting, we did the opposite with {SKILL} and it also worked. Context matters.",
    "Trying this next sprint, will report back.",
    "Good point, I had not thought about it that way.",
)
ENDORSEMENT_NOTES = (
    "Helped our team a lot.",
    "Explains things clearly and patiently.",
    "Our go-to person for this.",
    "Did a great workshop on it.",
)
GOAL_NOTES = (
    "For the next project.",
    "Want to mentor others on this eventually.",
    "My manager and I agreed on this in my development plan.",
)
MENTOR_ABOUT = (
    "Happy to pair on real problems from your own work.",
    "I like helping people make their first steps into a new area.",
    "Ask me anything; I learned most of this the hard way.",
    "Thirty minutes every other week works best for me.",
)
REPORT_DETAILS = ("Looks like an advert.", "Not related to this community.", "Unkind tone.")


@cache
def _template_html(template: str) -> str:
    """A paragraph template rendered once; the placeholders are plain words markdown keeps."""
    return render_markdown(template)


@cache
def _fill(template: str, skill_name: str, slug: str = "", handle: str = "") -> tuple[str, str]:
    """(markdown, html) of a paragraph: the template's html with the placeholders substituted.

    Skill names are plain text (no markdown syntax), so substituting into the rendered template
    gives exactly what rendering the filled paragraph gives (a test checks every template with
    every awkward name in the taxonomy).
    """
    source = template.replace(SKILL, skill_name)
    html = _template_html(template).replace(SKILL, escape(skill_name, quote=False))
    if slug:
        source = source.replace(SLUG, slug)
        html = html.replace(SLUG, slug)
    if handle:
        source = source.replace(HANDLE, handle)
        html = html.replace(HANDLE, handle)
    return source, html


def _compose(parts: list[tuple[str, str]]) -> tuple[str, str]:
    """Paragraphs joined by blank lines render to the concatenation of their renderings."""
    return "\n\n".join(p[0] for p in parts), "".join(p[1] for p in parts)


# --- the generator ------------------------------------------------------------------------------


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
        """A random version-4 UUID from the seeded generator (UUID(int=..., version=4) without
        its argument checks: this runs millions of times)."""
        value = object.__new__(UUID)
        bits = self.rng.getrandbits(128) & _UUID_CLEAR | _UUID_V4
        object.__setattr__(value, "int", bits)
        object.__setattr__(value, "is_safe", SafeUUID.unknown)
        return value

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
                    role,
                    self.password_hash,
                    True,
                    0,
                    1,
                    at,
                    at,
                )
            )
            self.user_ids.append(user_id)
            self.handles.append(handle)
            self.user_created.append(created)
            self.user_skills.append(self._profile(index, created, rows))
            self._mentor_profile(timezone, at, rows)
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

    def _mentor_profile(self, timezone: str, at: datetime, rows: Batch) -> None:
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
                timezone,
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
        description, description_html = _fill(rng.choice(DESCRIPTIONS), topic)
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
        self.communities.append(_Community(community_id, created, chosen, leaders, skills, private))

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
        parts = [_fill(_one(INTROS[kind], rand), main)]
        for _ in range(1 + (rand() < 0.5)):
            parts.append(_fill(_one(MIDDLES, rand), _one(names, rand)))
        if rand() < 0.3:
            parts.append(_fill(_one(LISTS, rand), main))
        if links:
            parts.append(_fill(_one(LINK_PARAGRAPHS, rand), main, slug=slug))
        if mention:
            parts.append(_fill(_one(MENTIONS, rand), main, handle=mention))
        if rand() < 0.7:
            parts.append(_fill(_one(CLOSINGS[kind], rand), main))
        return _compose(parts)

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
                text, html = _fill(_one(ANSWERS, rand), _one(names, rand))
                if rand() < 0.15:
                    text, html = _compose([(text, html), _fill(_one(MIDDLES, rand), main)])
            else:
                text, html = _fill(_one(REPLIES, rand), main)
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


# --- writers ----------------------------------------------------------------------------------


class _Writer(Protocol):
    async def write(self, table: str, rows: list[Row]) -> None: ...


class _PostgresWriter:
    """COPY (binary) through the asyncpg connection under SQLAlchemy's, in its transaction.

    While it is open, the connection decodes timestamps with asyncpg's binary codec, which COPY
    needs (see `repositories.db.timestamps_as_text`). After a failure the codec is left as it is:
    the transaction refuses statements until it is rolled back, and both codecs give the same
    values.
    """

    def __init__(self, driver: Any) -> None:
        self.driver = driver

    async def __aenter__(self) -> _PostgresWriter:
        await timestamps_in_binary(self.driver)
        return self

    async def __aexit__(self, error_type: type[BaseException] | None, *_: object) -> None:
        if error_type is None:
            await timestamps_as_text(self.driver)

    async def write(self, table: str, rows: list[Row]) -> None:
        await self.driver.copy_records_to_table(table, records=rows, columns=list(COLUMNS[table]))


def _sqlite_value(value: Any) -> Any:
    kind = type(value)
    if kind is UUID:
        return value.hex
    if kind is datetime:
        return value.astimezone(UTC).strftime("%Y-%m-%d %H:%M:%S.%f")
    if kind is date:
        return value.isoformat()
    if kind is bool:
        return int(value)
    return value


class _SqliteWriter:
    """executemany in the surrounding transaction, values stored the way SQLAlchemy stores them
    (UUIDs as 32 hex digits, UTC datetimes as naive ISO text with microseconds)."""

    def __init__(self, connection: AsyncConnection) -> None:
        self.connection = connection

    async def write(self, table: str, rows: list[Row]) -> None:
        columns = COLUMNS[table]
        # Table and column names come from COLUMNS above, never from input.
        sql = (
            f'INSERT INTO "{table}" ({", ".join(columns)}) '  # noqa: S608
            f"VALUES ({', '.join('?' for _ in columns)})"
        )
        values = [tuple(_sqlite_value(v) for v in row) for row in rows]
        await self.connection.exec_driver_sql(sql, values)


async def _write(writer: _Writer, batch: Batch, counts: dict[str, int]) -> None:
    for table in TABLE_ORDER:
        rows = batch.get(table)
        if rows:
            await writer.write(table, rows)
            counts[table] = counts.get(table, 0) + len(rows)


# --- orchestration ----------------------------------------------------------------------------

users_t = UserAccount.__table__  # type: ignore[attr-defined]
skills_t = SkillRow.__table__  # type: ignore[attr-defined]
user_skills_t = UserSkillRow.__table__  # type: ignore[attr-defined]


async def _existing(connection: AsyncConnection, people: Sequence[DemoPerson]) -> Existing:
    found = Existing()
    for handle, email in await connection.execute(select(users_t.c.handle, users_t.c.email)):
        found.handles.add(handle)
        found.emails.add(email)
    found.empty = not found.emails
    wanted = {p.email for p in people}
    if wanted & found.emails:
        rows = await connection.execute(
            select(users_t.c.email, users_t.c.id).where(users_t.c.email.in_(wanted))
        )
        found.people = {email: user_id for email, user_id in rows}
    found.slugs = {row[0] for row in await connection.execute(text("SELECT slug FROM community"))}
    return found


async def _skills(connection: AsyncConnection) -> list[SkillInfo]:
    rows = await connection.execute(
        select(skills_t.c.id, skills_t.c.slug, skills_t.c.name, skills_t.c.category).order_by(
            skills_t.c.slug
        )
    )
    return [SkillInfo(i, slug, name, category) for i, slug, name, category in rows]


DEFER_INDEXES_FROM = 100_000  # posts; below that, maintaining the indexes row by row is cheap
DEFERRED_TABLES = ("post", "post_tag", "post_mention", "comment", "reaction")


async def _drop_secondary_indexes(connection: AsyncConnection) -> list[str]:
    """Drop the secondary indexes of the content tables when they are all empty, and return
    the exact statements that recreate them after the load, in this same transaction.

    Building an index once over a million sorted keys is several times cheaper than inserting
    the keys one row at a time (random UUIDs, a GIN over every tsvector). Keys that foreign keys
    depend on (post, comment) stay. The schema ends as it was (a test compares it), and a
    failure rolls the drops back with everything else.
    """
    for table in DEFERRED_TABLES:
        probe = text(f'SELECT EXISTS (SELECT 1 FROM "{table}")')  # noqa: S608 (our constant)
        if (await connection.execute(probe)).scalar():
            return []
    rows = await connection.execute(
        text(
            "SELECT index.relname, pg_get_indexdef(index.oid) FROM pg_index x"
            " JOIN pg_class index ON index.oid = x.indexrelid"
            " JOIN pg_class owner ON owner.oid = x.indrelid"
            " WHERE owner.relname = ANY(:tables)"
            " AND owner.relnamespace = current_schema()::regnamespace"
            " AND NOT x.indisprimary AND NOT x.indisunique"
            " AND NOT EXISTS (SELECT 1 FROM pg_constraint k WHERE k.conindid = x.indexrelid)"
            " ORDER BY index.relname"
        ),
        {"tables": list(DEFERRED_TABLES)},
    )
    definitions = []
    for name, definition in rows.all():
        await connection.execute(text(f'DROP INDEX "{name}"'))
        definitions.append(definition)
    # Primary keys and unique constraints that no foreign key depends on (reaction, post_tag,
    # post_mention): the reaction key alone outgrows shared_buffers at a million posts.
    constraints = await connection.execute(
        text(
            "SELECT k.conname, owner.relname, pg_get_constraintdef(k.oid) FROM pg_constraint k"
            " JOIN pg_class owner ON owner.oid = k.conrelid"
            " WHERE owner.relname = ANY(:tables)"
            " AND owner.relnamespace = current_schema()::regnamespace"
            " AND k.contype IN ('p', 'u')"
            " AND NOT EXISTS (SELECT 1 FROM pg_constraint f"
            " WHERE f.contype = 'f' AND f.conindid = k.conindid)"
            " ORDER BY k.conname"
        ),
        {"tables": list(DEFERRED_TABLES)},
    )
    for name, table, definition in constraints.all():
        await connection.execute(text(f'ALTER TABLE "{table}" DROP CONSTRAINT "{name}"'))
        definitions.append(f'ALTER TABLE "{table}" ADD CONSTRAINT "{name}" {definition}')
    return definitions


async def _skip_foreign_key_triggers(connection: AsyncConnection) -> bool:
    """Skip per-row foreign key checks for this transaction when the role may (superuser).

    Checking each of millions of generated rows against its parents (one locking lookup per
    row and key) costs more than writing them; the generator only ever references rows it wrote
    before or that exist, like `pg_restore --disable-triggers` trusts its dump (the tests check
    every foreign key of the generated data, and SQLite always checks them). It stays off for
    the score refresh at the end: its UPDATEs change no key, but PostgreSQL re-checks the keys
    of every row updated in the transaction that inserted it.
    """
    superuser = await connection.execute(
        text("SELECT rolsuper FROM pg_roles WHERE rolname = current_user")
    )
    if not superuser.scalar():
        return False
    await connection.execute(text("SET LOCAL session_replication_role = replica"))
    return True


async def _refresh_counters(connection: AsyncConnection) -> None:
    """holder_count for every skill in one statement, then every expert score from its sources."""
    holders = (
        select(func.count())
        .select_from(user_skills_t)
        .where(user_skills_t.c.skill_id == skills_t.c.id)
        .scalar_subquery()
    )
    await connection.execute(update(skills_t).values(holder_count=holders))
    held = (await connection.execute(select(user_skills_t.c.skill_id).distinct())).all()
    # The skills repository's own refresh, in this transaction (a session joined to it).
    session = AsyncSession(bind=connection)
    try:
        for (skill_id,) in held:
            await refresh_scores(session, skill_id)
    finally:
        await session.close()


async def seed_bulk(
    engine: AsyncEngine,
    *,
    sizes: SeedSizes,
    people: Sequence[DemoPerson],
    password_hash: str,
    seed: int = 1,
    if_empty: bool = False,
    now: datetime | None = None,
    progress: Callable[[str], None] | None = None,
) -> SeedResult:
    """Generate and write the demo world in one transaction (nothing is written on failure).

    With `if_empty`, does nothing when the instance already has people. Otherwise adds to what
    is there: generated handles, emails and community slugs avoid existing ones, and demo people
    who already exist are reused as members instead of being created again.
    """
    started = time.perf_counter()
    result = SeedResult(skipped=False)
    say = progress or (lambda _message: None)

    def phase(name: str, since: float) -> float:
        moment = time.perf_counter()
        result.phases[name] = round(moment - since, 3)
        say(f"{name}: {moment - since:.1f} s")
        return moment

    async with engine.connect() as connection, contextlib.AsyncExitStack() as writing_stack:
        count = (await connection.execute(select(func.count()).select_from(users_t))).scalar_one()
        if if_empty and count:
            result.skipped = True
            return result
        existing = await _existing(connection, people)
        world = DemoWorld(
            sizes,
            await _skills(connection),
            people,
            password_hash,
            seed=seed,
            now=now or datetime.now(UTC),
            existing=existing,
        )
        writer: _Writer
        postgres = connection.dialect.name == "postgresql"
        if postgres:
            raw = await connection.get_raw_connection()
            driver = raw.driver_connection
            assert driver is not None and driver.is_in_transaction()  # COPY joins our transaction
            writer = await writing_stack.enter_async_context(_PostgresWriter(driver))
            # The score refresh runs ~1,400 statements whose plans JIT would compile each time.
            await connection.execute(text("SET LOCAL jit = off"))
            result.checked_foreign_keys = not await _skip_foreign_key_triggers(connection)
        else:
            writer = _SqliteWriter(connection)
        mark = time.perf_counter()
        await _write(writer, await asyncio.to_thread(world.people_rows), result.rows)
        mark = phase("people, skills, endorsements, goals", mark)
        await _write(writer, await asyncio.to_thread(world.community_rows), result.rows)
        mark = phase("communities, members, audit log", mark)
        deferred: list[str] = []
        if postgres and sizes.posts >= DEFER_INDEXES_FROM:
            deferred = await _drop_secondary_indexes(connection)
            if deferred:
                mark = phase(f"dropped {len(deferred)} indexes and keys of empty tables", mark)
        chunks = world.content_chunks()
        # One chunk ahead: the thread builds chunk k+1 while the database ingests chunk k.
        pending = asyncio.ensure_future(asyncio.to_thread(next, chunks, None))
        waited = writing = 0.0
        try:
            done = 0
            while True:
                moment = time.perf_counter()
                batch = await pending
                waited += time.perf_counter() - moment
                if batch is None:
                    break
                pending = asyncio.ensure_future(asyncio.to_thread(next, chunks, None))
                moment = time.perf_counter()
                await _write(writer, batch, result.rows)
                writing += time.perf_counter() - moment
                done += len(batch.get("post", ()))
                if done % 100_000 < CHUNK_POSTS:
                    say(f"posts: {done:,} of {sizes.posts:,}")
        finally:
            if not pending.done():
                pending.cancel()
                with contextlib.suppress(BaseException):
                    await pending
        result.phases["content: waiting for the generator"] = round(waited, 3)
        result.phases["content: writing"] = round(writing, 3)
        mark = phase("posts, threads, reactions", mark)
        say(f"(of which waiting for the generator {waited:.1f} s, writing {writing:.1f} s)")
        if deferred:
            await connection.execute(text("SET LOCAL maintenance_work_mem = '512MB'"))
            for definition in deferred:
                await connection.execute(text(definition))
            mark = phase("recreated the indexes and keys", mark)
        if postgres:
            # Statistics of the new rows first: the refresh's correlated subqueries are planned
            # for empty tables otherwise (minutes instead of seconds at 10,000 posts).
            tables = ", ".join(f'"{t}"' for t in (*TABLE_ORDER, "skill") if t != "report")
            await connection.execute(text(f"ANALYZE {tables}"))
            mark = phase("analyze", mark)
        await _refresh_counters(connection)
        mark = phase("skill holder counts and expert scores", mark)
        await connection.commit()
        mark = phase("commit", mark)
    if postgres:
        # Fresh statistics and a visibility map, so the planner and index-only scans see the data.
        async with engine.connect() as connection:
            autocommit = await connection.execution_options(isolation_level="AUTOCOMMIT")
            for table in TABLE_ORDER:
                if result.rows.get(table):
                    await autocommit.exec_driver_sql(f'VACUUM (ANALYZE) "{table}"')
            await autocommit.exec_driver_sql('VACUUM (ANALYZE) "skill"')
        phase("vacuum analyze", mark)
    if world.people and existing.empty:
        result.admin_email = world.people[0].email
    result.seconds = round(time.perf_counter() - started, 3)
    return result
