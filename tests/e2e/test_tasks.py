"""The three tasks a new person does most, done in the browser, counting what they click.

Each counted action is a click, an Enter key press or a choice from a list: what a person has to
decide and do. Typing into fields is not counted (the fields are listed in each story). The
targets come from the product's review: task 1 in at most 5, each half of task 2 (the expert
who is not a member answering, the asker accepting and endorsing) in at most 3, task 3 in at most
4 and without reloading the page.
"""

from __future__ import annotations

import asyncio
import re
import uuid
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field
from datetime import timedelta

from playwright.sync_api import Locator, Page, expect
from sqlalchemy import update

from domain.clock import SystemClock
from domain.posts.nudges import nudge_questions
from repositories.db import create_engine, create_session_factory
from repositories.posts.tables import PostRow
from repositories.unit_of_work import SqlUnitOfWork
from tests.e2e.conftest import ContextFactory
from tests.e2e.pages import (
    Account,
    LiveServer,
    assert_accessible,
    create_account,
    create_community_via_api,
    shoot,
    sign_in_as,
    unique,
    unique_email,
)


@dataclass
class Actions:
    """Does what a person does, and keeps count of the actions that are decisions."""

    page: Page
    done: list[str] = field(default_factory=list)

    def click(self, target: Locator, what: str) -> None:
        target.click()
        self.done.append(f"click {what}")

    def choose(self, target: Locator, value: str, what: str) -> None:
        target.select_option(value)
        self.done.append(f"choose {what}")

    def enter(self, target: Locator, what: str) -> None:
        target.press("Enter")
        self.done.append(f"Enter {what}")

    def assert_at_most(self, target: int, task: str) -> None:
        print(f"{task}: {len(self.done)} actions: {self.done}")
        assert len(self.done) <= target, f"{task} took {len(self.done)} actions: {self.done}"


def _kubernetes(server: LiveServer, who: Account) -> None:
    """Kubernetes, also known as K8s (the starter taxonomy's entry), once per database."""
    response = server.api(
        "POST",
        "/skills",
        token=who.access_token,
        json={"name": "Kubernetes", "aliases": ["K8s", "kube"], "category": "cloud-infrastructure"},
    )
    assert response.status_code in (201, 409), response.text


def _run_nudges_for(server: LiveServer, post_id: str, waited: timedelta) -> int:
    """The question has waited `waited` for an answer; the follow-the-sun job then runs once,
    as its schedule would, against the live server's database (its own event loop, in a thread:
    Playwright's sync API holds this one)."""

    async def run() -> int:
        engine = create_engine(server.database_url, pool_size=1, max_overflow=0)
        try:
            posts = PostRow.__table__  # type: ignore[attr-defined]
            asked = SystemClock().now() - waited
            async with engine.begin() as connection:
                await connection.execute(
                    update(posts)
                    .where(posts.c.id == uuid.UUID(post_id))
                    .values(
                        created_at=asked,
                        updated_at=asked,
                        last_activity_at=asked,
                    )
                )
            async with SqlUnitOfWork(create_session_factory(engine)) as uow:
                return await nudge_questions(uow, SystemClock())
        finally:
            await engine.dispose()

    with ThreadPoolExecutor(max_workers=1) as pool:
        return pool.submit(asyncio.run, run()).result()


@dataclass
class Nudged:
    asker: Account
    expert: Account
    community: dict[str, str]
    post_id: str
    title: str
    skill: str


def _an_expert_is_nudged(server: LiveServer, token: str) -> Nudged:
    """A question on a skill only an outside expert holds waits two hours; the expert, at work
    around the clock, is nudged about it."""
    asker = create_account(server.base_url, f"Ann {token}")
    expert = create_account(server.base_url, f"Aiko {token}")
    skill = f"Helm {token}"
    created = server.api("POST", "/skills", token=asker.access_token, json={"name": skill})
    assert created.status_code == 201, created.text
    slug = created.json()["slug"]
    assert server.api(
        "PUT", f"/me/skills/{slug}", token=expert.access_token, json={"level": 4}
    ).status_code in (200, 201)
    hours = {"days": [1, 2, 3, 4, 5, 6, 7], "start": "00:00", "end": "23:59"}
    me = server.api(
        "PATCH",
        "/me",
        token=expert.access_token,
        json={"time_zone": "UTC", "working_hours": hours},
    )
    assert me.status_code == 200, me.text
    community = create_community_via_api(server, asker, f"Charts {token}")
    title = f"How do I template a secret {token}?"
    post = server.api(
        "POST",
        f"/communities/{community['slug']}/posts",
        token=asker.access_token,
        json={"kind": "question", "title": title, "body": "Values or a lookup?", "tags": [slug]},
    )
    assert post.status_code == 201, post.text
    post_id = post.json()["id"]
    assert _run_nudges_for(server, post_id, timedelta(hours=2)) >= 1
    return Nudged(asker, expert, community, post_id, title, skill)


def test_task_1_register_join_and_ask_a_tagged_question(
    page: Page, live_server: LiveServer
) -> None:
    """A colleague shares the community's address; the newcomer signs up, joins and asks."""
    server = live_server
    token = unique("t1")
    owner = create_account(server.base_url, f"Olga {token}")
    _kubernetes(server, owner)
    community = create_community_via_api(server, owner, f"Platform {token}")
    name = f"Nia {token}"
    title = f"How do I roll back a deployment {token}?"

    page.goto(f"/communities/{community['slug']}")
    act = Actions(page)
    # Fields: full name, email, password; title, details, tags.
    act.click(page.get_by_role("link", name="Create an account"), "Create an account")
    page.get_by_label("Full name").fill(name)
    page.get_by_label("Email", exact=True).fill(unique_email("nia"))
    page.get_by_label("Password", exact=True).fill("sturdy-e2e-passphrase-42")
    act.click(page.get_by_role("button", name="Create account"), "Create account")
    expect(page.get_by_role("heading", level=1, name=community["name"])).to_be_visible()
    act.click(page.get_by_role("button", name="Join and ask a question"), "Join and ask")
    form = page.get_by_role("form", name="New post")
    expect(form).to_be_visible()
    form.get_by_label("Title").fill(title)
    form.get_by_label("Details").fill(
        "The new release fails its health checks. What is the safe way back?"
    )
    form.get_by_role("combobox", name="Tags").fill("k8s")
    suggestion = form.get_by_role("option", name=re.compile("Kubernetes"))
    expect(suggestion).to_contain_text("also “K8s”")
    act.click(suggestion, "the Kubernetes suggestion")
    expect(form.get_by_role("combobox", name="Tags")).to_have_value("Kubernetes, ")
    act.click(form.get_by_role("button", name="Post question"), "Post question")
    expect(page.get_by_role("link", name="View your post")).to_be_visible()
    act.assert_at_most(5, "task 1")

    posts = server.api(
        "GET", f"/communities/{community['slug']}/posts", token=owner.access_token
    ).json()["items"]
    asked = [post for post in posts if post["title"] == title]
    assert len(asked) == 1 and asked[0]["tags"] == ["kubernetes"], posts
    assert asked[0]["author"]["display_name"] == name


def test_task_2_accept_and_endorse_with_the_answer(
    new_context: ContextFactory, live_server: LiveServer
) -> None:
    """The asker accepts an answer and endorses its author, who never listed the skill."""
    server = live_server
    token = unique("t2")
    asker = create_account(server.base_url, f"Ann {token}")
    expert = create_account(server.base_url, f"Aiko {token}")
    _kubernetes(server, asker)
    community = create_community_via_api(server, asker, f"Ops {token}")
    assert server.api(
        "POST", f"/communities/{community['slug']}/members", token=expert.access_token
    ).status_code in (200, 201)
    post = server.api(
        "POST",
        f"/communities/{community['slug']}/posts",
        token=asker.access_token,
        json={
            "kind": "question",
            "title": f"Why does my pod restart {token}?",
            "body": "It restarts every few minutes.",
            "tags": ["kubernetes"],
        },
    ).json()
    answer = server.api(
        "POST",
        f"/posts/{post['id']}/comments",
        token=expert.access_token,
        json={"body": "Its liveness probe times out: give it a longer `timeoutSeconds`."},
    )
    assert answer.status_code == 201, answer.text

    page = new_context().new_page()
    sign_in_as(page, asker, f"/posts/{post['id']}")
    act = Actions(page)
    article = page.get_by_role("article", name=f"answer by {expert.name}")
    # The answerer's name leads to their profile.
    expect(article.get_by_role("link", name=expert.name)).to_have_attribute(
        "href", f"/people/{expert.handle}"
    )
    act.click(article.get_by_role("button", name="Accept this answer"), "Accept this answer")
    accepted = page.get_by_role("article", name=f"Accepted answer by {expert.name}")
    prompt = accepted.get_by_role(
        "form", name=f"Endorse {expert.name} for Kubernetes with this answer?"
    )
    expect(prompt).to_be_visible()
    expect(prompt.get_by_role("link", name=re.compile("accepted answer"))).to_have_attribute(
        "href", f"/posts/{post['id']}#comment-{answer.json()['id']}"
    )
    shoot(page, "task endorse prompt")
    assert_accessible(page, "the endorsement prompt")
    act.click(prompt.get_by_role("button", name=f"Endorse {expert.first_name}"), "Endorse")
    expect(page.get_by_text(f"You endorsed {expert.name} for Kubernetes")).to_be_visible()
    act.assert_at_most(3, "task 2, the asker")

    # The endorsement cites the question and proposed Kubernetes to Aiko, who never listed it.
    skills = server.api("GET", f"/users/{expert.handle}/skills", token=asker.access_token).json()
    kubernetes = [item for item in skills["items"] if item["skill"]["slug"] == "kubernetes"]
    assert kubernetes and kubernetes[0]["proposed"] is True, skills
    assert kubernetes[0]["endorsement_count"] == 1
    endorsements = server.api(
        "GET", f"/users/{expert.handle}/skills/kubernetes/endorsements", token=asker.access_token
    ).json()["items"]
    assert [item["evidence_post_id"] for item in endorsements] == [post["id"]]
    experts = server.api("GET", "/skills/kubernetes/experts", token=asker.access_token).json()
    assert expert.handle in [item["user"]["handle"] for item in experts["items"]]


def test_task_2_an_expert_outside_the_community_answers(
    new_context: ContextFactory, live_server: LiveServer
) -> None:
    """The expert half of task 2: nudged about a question in a community they have not joined,
    the expert opens it from the nudge, joins inline and answers."""
    server = live_server
    nudged = _an_expert_is_nudged(server, unique("t2e"))
    expert = nudged.expert

    page = new_context().new_page()
    # The nudge's link (in-app notification or e-mail) opens the question.
    sign_in_as(page, expert, f"/posts/{nudged.post_id}")
    expect(page.get_by_role("heading", level=1, name=nudged.title)).to_be_visible()
    act = Actions(page)
    # Fields: the answer.
    act.click(page.get_by_role("button", name="Join and answer"), "Join and answer")
    answer = page.get_by_role("form", name="Your answer")
    expect(answer.get_by_label("Your answer")).to_be_focused()
    answer.get_by_label("Your answer").fill("Use `lookup` so the secret survives upgrades.")
    act.click(answer.get_by_role("button", name="Post answer"), "Post answer")
    expect(page.get_by_text("Your answer is posted.")).to_be_visible()
    act.assert_at_most(3, "task 2, the expert")

    comments = server.api(
        "GET", f"/posts/{nudged.post_id}/comments", token=nudged.asker.access_token
    ).json()["items"]
    assert [c["author"]["handle"] for c in comments] == [expert.handle], comments
    membership = server.api(
        "GET", f"/communities/{nudged.community['slug']}", token=expert.access_token
    ).json()["my_membership"]
    assert membership is not None and membership["status"] == "active"


def test_the_follow_the_sun_callout(new_context: ContextFactory, live_server: LiveServer) -> None:
    """A nudged expert sees why they were asked, on the question itself; "Not for me" puts the
    callout away and the server remembers it."""
    server = live_server
    nudged = _an_expert_is_nudged(server, unique("sun"))
    expert = nudged.expert

    page = new_context().new_page()
    sign_in_as(page, expert, "/notifications")
    item = page.get_by_role("link", name=re.compile(re.escape(nudged.title)))
    expect(item).to_be_visible()
    item.click()
    expect(page.get_by_role("heading", level=1, name=nudged.title)).to_be_visible()
    callout = page.get_by_role("complementary", name="You were asked to help with this question")
    expect(callout).to_be_visible()
    # Why: the skill (Aiko is its only holder, so among its top experts) and her local time.
    expect(callout).to_contain_text(
        re.compile(
            rf"Because you're among the top experts in {re.escape(nudged.skill)} "
            r"and it's \d\d:\d\d for you"
        )
    )
    # The inline join is right there for an expert who is not a member.
    expect(page.get_by_role("button", name="Join and answer")).to_be_visible()
    shoot(page, "nudge callout")
    assert_accessible(page, "the follow-the-sun callout")

    callout.get_by_role("button", name="Not for me").click()
    expect(page.get_by_text(re.compile("won.t ask you about this question again"))).to_be_visible()
    expect(callout).to_be_hidden()
    page.reload()
    expect(page.get_by_role("heading", level=1, name=nudged.title)).to_be_visible()
    expect(callout).to_be_hidden()
    nudge = server.api("GET", f"/posts/{nudged.post_id}", token=expert.access_token).json()["nudge"]
    assert nudge["dismissed"] is True, nudge


def test_task_3_set_a_goal_and_request_a_mentor_without_reloading(
    page: Page, live_server: LiveServer
) -> None:
    server = live_server
    token = unique("t3")
    learner = create_account(server.base_url, f"Lea {token}")
    mentor = create_account(server.base_url, f"Mo {token}")
    _kubernetes(server, mentor)
    assert server.api(
        "PUT", "/me/skills/kubernetes", token=mentor.access_token, json={"level": 5}
    ).status_code in (200, 201)
    assert server.api(
        "PUT",
        "/me/mentor-profile",
        token=mentor.access_token,
        json={"accepting_mentees": True, "capacity": 3, "timezone": "Europe/London"},
    ).status_code in (200, 201)

    sign_in_as(page, learner, "/mentorship")
    navigations: list[str] = []
    page.on(
        "framenavigated",
        lambda frame: navigations.append(frame.url) if frame == page.main_frame else None,
    )
    act = Actions(page)
    expect(page.get_by_text("No suggestions yet")).to_be_visible()
    goal = page.get_by_role("form", name="New learning goal")
    goal.get_by_label("Skill to learn").fill("kube")
    act.click(goal.get_by_role("radio", name=re.compile("Kubernetes")), "Kubernetes")
    expect(goal.get_by_label("Target level")).to_have_value("3")
    act.click(goal.get_by_role("button", name="Set goal"), "Set goal")
    suggestions = page.get_by_role("listitem").filter(has_text=mentor.name)
    expect(suggestions.get_by_text("Can mentor you in")).to_be_visible()
    act.click(
        suggestions.get_by_role("button", name=f"Ask {mentor.name} to mentor you"),
        "Request mentorship",
    )
    request = page.get_by_role("form", name=f"Ask {mentor.name} to mentor you")
    expect(request.get_by_label("What do you want to learn?")).to_have_value(
        "Reach competent in Kubernetes."
    )
    act.click(request.get_by_role("button", name="Send request"), "Send request")
    expect(page.get_by_text(f"Request sent to {mentor.name}.")).to_be_visible()
    act.assert_at_most(4, "task 3")
    # Same document throughout: the suggestions refreshed without a reload.
    assert not [url for url in navigations if "/mentorship" not in url], navigations
    assert page.evaluate("() => performance.getEntriesByType('navigation').length") == 1

    mine = server.api("GET", "/mentorships?role=mentee", token=learner.access_token).json()["items"]
    assert [(m["mentor"]["handle"], m["skill"]["slug"]) for m in mine] == [
        (mentor.handle, "kubernetes")
    ]
