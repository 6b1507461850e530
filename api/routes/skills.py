"""Skills: the taxonomy, profile skills, endorsements, expert rankings and learning goals."""

from __future__ import annotations

from enum import Enum
from typing import Annotated, Any
from uuid import UUID

from fastapi import Path, Query, Request, Response, status
from pydantic import Field

from api.concurrency import (
    CONDITIONAL_WRITE,
    if_match_current,
    if_match_representation,
    representation_tag,
)
from api.deps import AdminPrincipal, ClockDep, CurrentPrincipal, PaginatorDep, UowDep, paginator_for
from api.idempotency import Idempotent
from api.pagination import Page
from api.problems import problem_responses
from api.routing import ApiRouter
from api.schemas.common import PageCursor, PageLimit, QueryModel, Text
from api.schemas.skills import (
    EndorsementPublic,
    EndorsementPut,
    ExpertPublic,
    LearningGoalCreate,
    LearningGoalPublic,
    LearningGoalUpdate,
    LevelCountPublic,
    SkillCreate,
    SkillLevelsPublic,
    SkillMerge,
    SkillPublic,
    SkillUpdate,
    UserSkillPublic,
    UserSkillPut,
)
from domain.skills import service as skills
from domain.skills.model import (
    Endorsement,
    GoalStatus,
    SkillCategory,
    SkillSort,
    UserSkill,
    normalize_skill_name,
)

router = ApiRouter(tags=["skills"])

SlugPath = Annotated[
    str,
    Path(
        min_length=1,
        max_length=80,
        pattern=r"^[A-Za-z0-9][A-Za-z0-9-]*$",
        description="The skill's slug; a former slug or an alias finds the skill too.",
    ),
]
HandlePath = Annotated[str, Path(min_length=1, max_length=30, pattern=r"^[A-Za-z0-9_-]+$")]
GOALS: list[str | Enum] = ["learning-goals"]


# --- taxonomy ----------------------------------------------------------------------------------


class SkillsQuery(QueryModel):
    q: Annotated[
        Text | None,
        Field(
            max_length=100,
            description="Start of a name or alias; case, spaces and punctuation are ignored.",
        ),
    ] = None
    category: SkillCategory | None = None
    sort: SkillSort = SkillSort.name
    listed: bool = Field(
        True,
        description="false: the skills waiting for an administrator's review "
        "(administrators only).",
    )
    limit: PageLimit = 20
    cursor: PageCursor = None


@router.get("/skills", responses=problem_responses(400, 401, 403, 422, 429))
async def list_skills(
    request: Request,
    uow: UowDep,
    principal: CurrentPrincipal,
    query: Annotated[SkillsQuery, Query()],
) -> Page[SkillPublic]:
    """The listed skills. A skill first named by a tag in a private community is unlisted until
    a public community's post uses it or an administrator lists it."""
    q, category, sort, listed = query.q, query.category, query.sort, query.listed
    paginator = paginator_for(request, query.limit, query.cursor)
    key = normalize_skill_name(q) if q else ""
    scope = f"skills:{sort.value}:{category.value if category else ''}:{key}:{int(listed)}"
    result = await skills.list_skills(
        uow, principal, q, category, sort, paginator.request(scope), listed=listed
    )
    return paginator.page(scope, result, SkillPublic.of)


@router.post(
    "/skills",
    status_code=status.HTTP_201_CREATED,
    responses=problem_responses(401, 403, 409, 413, 415, 422, 429),
    dependencies=[Idempotent],
)
async def create_skill(
    body: SkillCreate,
    response: Response,
    uow: UowDep,
    clock: ClockDep,
    principal: CurrentPrincipal,
) -> SkillPublic:
    """Anyone may add a skill. A name or alias that equals an existing one after normalisation
    ("Node.js" = "nodejs" = "node js") is a 409 whose detail names that skill."""
    skill = await skills.create_skill(
        uow,
        clock,
        principal,
        skills.SkillDraft(
            name=body.name,
            description=body.description,
            category=body.category,
            aliases=tuple(body.aliases),
        ),
    )
    response.headers["Location"] = f"/api/v1/skills/{skill.slug}"
    return SkillPublic.of(skill)


@router.get("/skills/{slug}", responses=problem_responses(401, 403, 404, 422, 429))
async def get_skill(slug: SlugPath, uow: UowDep, principal: CurrentPrincipal) -> SkillPublic:
    return SkillPublic.of(await skills.get_skill(uow, principal, slug))


@router.patch(
    "/skills/{slug}",
    responses=problem_responses(401, 403, 404, 409, 412, 413, 415, 422, 429),
    openapi_extra=CONDITIONAL_WRITE,
)
async def update_skill(
    slug: SlugPath,
    body: SkillUpdate,
    request: Request,
    response: Response,
    uow: UowDep,
    clock: ClockDep,
    principal: AdminPrincipal,
) -> SkillPublic:
    """Administrators curate the taxonomy. The slug stays; a rename keeps the old name as an
    alias unless `aliases` is sent too. If-Match takes the ETag of the GET (412 when the skill
    changed since)."""

    async def current() -> SkillPublic:
        return SkillPublic.of(await skills.get_skill(uow, principal, slug))

    await if_match_current(request, current)
    changes: dict[str, Any] = body.model_dump(exclude_unset=True)
    skill = await skills.update_skill(uow, clock, principal, slug, skills.SkillChanges(changes))
    public = SkillPublic.of(skill)
    response.headers["ETag"] = representation_tag(public)
    return public


@router.post(
    "/skills/{slug}/merge", responses=problem_responses(401, 403, 404, 409, 413, 415, 422, 429)
)
async def merge_skill(
    slug: SlugPath, body: SkillMerge, uow: UowDep, clock: ClockDep, principal: AdminPrincipal
) -> SkillPublic:
    """Fold this skill into `into` in one transaction and answer with the skill that stays:
    people keep their higher level, endorsements stay one per endorser and person, and this
    skill's names and slug become aliases of the target."""
    return SkillPublic.of(await skills.merge_skills(uow, clock, principal, slug, body.into))


class ExpertsQuery(QueryModel):
    min_level: Annotated[
        int,
        Field(
            ge=1,
            le=5,
            description="Leave out people who list the skill below this level (people whose "
            "skill peers proposed, for an accepted answer or an endorsement, stay).",
        ),
    ] = 1
    limit: PageLimit = 20
    cursor: PageCursor = None


@router.get("/skills/{slug}/experts", responses=problem_responses(400, 401, 403, 404, 422, 429))
async def list_skill_experts(
    slug: SlugPath,
    request: Request,
    uow: UowDep,
    principal: CurrentPrincipal,
    query: Annotated[ExpertsQuery, Query()],
) -> Page[ExpertPublic]:
    """Holders ranked by score, with the parts it is made of: points for the level, for
    endorsements (weighted by the endorser's own level and by linked evidence), for accepted
    answers and for helpful reactions on content tagged with the skill.

    Only content you can see counts toward what you are shown. The ranking itself follows
    `ranking_score`, computed from public content only and the same for everyone; `score` and
    `parts` add the evidence from private communities you belong to, so on such a page a
    score may exceed the one ranked above it."""
    min_level = query.min_level
    paginator = paginator_for(request, query.limit, query.cursor)
    scope = f"experts:{slug.lower()}:{min_level}"
    result = await skills.list_experts(uow, principal, slug, paginator.request(scope), min_level)
    return paginator.page(scope, result, ExpertPublic.of)


@router.get("/skills/{slug}/levels", responses=problem_responses(401, 403, 404, 422, 429))
async def get_skill_levels(
    slug: SlugPath, uow: UowDep, principal: CurrentPrincipal
) -> SkillLevelsPublic:
    """How many people list the skill at each level, novice to expert (peers' proposals are
    not counted): the skill page's histogram."""
    levels = await skills.level_histogram(uow, principal, slug)
    return SkillLevelsPublic(levels=[LevelCountPublic(level=lv, count=n) for lv, n in levels])


# --- profile skills ----------------------------------------------------------------------------


@router.get("/users/{handle}/skills", responses=problem_responses(400, 401, 403, 404, 422, 429))
async def list_user_skills(
    handle: HandlePath, uow: UowDep, principal: CurrentPrincipal, paginator: PaginatorDep
) -> Page[UserSkillPublic]:
    """Strongest first (level, then name). `evidence` counts the person's posts tagged with
    the skill and their accepted answers to questions tagged with it, among what you can see."""
    scope = f"user-skills:{handle.lower()}"
    result = await skills.list_user_skills(uow, principal, handle, paginator.request(scope))
    return paginator.page(scope, result, UserSkillPublic.of)


@router.put(
    "/me/skills/{slug}",
    responses=problem_responses(401, 403, 404, 409, 412, 413, 415, 422, 429),
    openapi_extra=CONDITIONAL_WRITE,
)
async def set_my_skill(
    slug: SlugPath,
    body: UserSkillPut,
    request: Request,
    response: Response,
    uow: UowDep,
    clock: ClockDep,
    principal: CurrentPrincipal,
) -> UserSkillPublic:
    """If-Match takes the ETag the last PUT answered (412 when the skill on your profile changed
    since, or is not there)."""

    def unchanged(now: UserSkill | None) -> None:
        if_match_representation(request, UserSkillPublic.of(now) if now is not None else None)

    item = await skills.set_my_skill(
        uow, clock, principal, slug, body.level, body.wants_to_teach, unchanged
    )
    public = UserSkillPublic.of(item)
    response.headers["ETag"] = representation_tag(public)
    return public


@router.delete(
    "/me/skills/{slug}",
    status_code=status.HTTP_204_NO_CONTENT,
    responses=problem_responses(401, 403, 404, 422, 429),
)
async def remove_my_skill(slug: SlugPath, uow: UowDep, principal: CurrentPrincipal) -> Response:
    """The endorsements received for the skill go with it."""
    await skills.remove_my_skill(uow, principal, slug)
    return Response(status_code=status.HTTP_204_NO_CONTENT)


# --- endorsements ------------------------------------------------------------------------------


@router.put(
    "/users/{handle}/skills/{slug}/endorsement",
    responses={
        status.HTTP_201_CREATED: {"model": EndorsementPublic, "description": "Created"},
        **problem_responses(401, 403, 404, 409, 412, 413, 415, 422, 429),
    },
    dependencies=[Idempotent],
    openapi_extra=CONDITIONAL_WRITE,
)
async def endorse_user_skill(
    handle: HandlePath,
    slug: SlugPath,
    body: EndorsementPut,
    request: Request,
    response: Response,
    uow: UowDep,
    clock: ClockDep,
    principal: CurrentPrincipal,
) -> EndorsementPublic:
    """201 the first time, 200 when it replaces the note and evidence. Not of yourself (403),
    and only for a skill the person lists (404), unless `propose` is true: then a skill they do
    not list is proposed to them and endorsed. `evidence_post_id` must be a post by the
    person, or a question whose accepted answer is theirs, that you can see and that is tagged
    with the skill (else 422); an endorsement with evidence weighs more in the expert score.
    If-Match takes the ETag the last PUT answered (412 when your endorsement changed or was
    withdrawn since; `*`: only replace one that exists)."""

    def unchanged(now: Endorsement | None) -> None:
        if_match_representation(request, EndorsementPublic.of(now) if now is not None else None)

    endorsement, created = await skills.endorse(
        uow,
        clock,
        principal,
        handle,
        slug,
        body.note,
        body.evidence_post_id,
        body.propose,
        unchanged,
    )
    if created:
        response.status_code = status.HTTP_201_CREATED
        response.headers["Location"] = f"/api/v1/users/{handle.lower()}/skills/{slug}/endorsement"
    public = EndorsementPublic.of(endorsement)
    response.headers["ETag"] = representation_tag(public)
    return public


@router.delete(
    "/users/{handle}/skills/{slug}/endorsement",
    status_code=status.HTTP_204_NO_CONTENT,
    responses=problem_responses(401, 403, 404, 422, 429),
)
async def withdraw_endorsement(
    handle: HandlePath, slug: SlugPath, uow: UowDep, principal: CurrentPrincipal
) -> Response:
    await skills.withdraw_endorsement(uow, principal, handle, slug)
    return Response(status_code=status.HTTP_204_NO_CONTENT)


@router.get(
    "/users/{handle}/skills/{slug}/endorsements",
    responses=problem_responses(400, 401, 403, 404, 422, 429),
)
async def list_skill_endorsements(
    handle: HandlePath,
    slug: SlugPath,
    uow: UowDep,
    principal: CurrentPrincipal,
    paginator: PaginatorDep,
) -> Page[EndorsementPublic]:
    """Who endorsed the person for the skill, newest first, with their notes; an evidence link
    is null when you cannot see the post it names."""
    scope = f"endorsements:{handle.lower()}:{slug.lower()}"
    result = await skills.list_endorsements(uow, principal, handle, slug, paginator.request(scope))
    return paginator.page(scope, result, EndorsementPublic.of)


# --- learning goals ----------------------------------------------------------------------------


class GoalsQuery(QueryModel):
    status: GoalStatus | None = None
    limit: PageLimit = 20
    cursor: PageCursor = None


@router.get("/me/learning-goals", tags=GOALS, responses=problem_responses(400, 401, 403, 422, 429))
async def list_learning_goals(
    request: Request,
    uow: UowDep,
    principal: CurrentPrincipal,
    query: Annotated[GoalsQuery, Query()],
) -> Page[LearningGoalPublic]:
    status_filter = query.status
    paginator = paginator_for(request, query.limit, query.cursor)
    scope = f"goals:{status_filter.value if status_filter else ''}"
    result = await skills.list_goals(uow, principal, status_filter, paginator.request(scope))
    return paginator.page(scope, result, LearningGoalPublic.of)


@router.post(
    "/me/learning-goals",
    tags=GOALS,
    status_code=status.HTTP_201_CREATED,
    responses=problem_responses(401, 403, 409, 413, 415, 422, 429),
    dependencies=[Idempotent],
)
async def create_learning_goal(
    body: LearningGoalCreate,
    response: Response,
    uow: UowDep,
    clock: ClockDep,
    principal: CurrentPrincipal,
) -> LearningGoalPublic:
    """One goal per skill (409 for a second one: change the first instead)."""
    goal = await skills.create_goal(
        uow,
        clock,
        principal,
        skills.GoalDraft(
            skill=body.skill,
            target_level=body.target_level,
            note=body.note,
            due_on=body.due_on,
        ),
    )
    response.headers["Location"] = f"/api/v1/me/learning-goals/{goal.id}"
    return LearningGoalPublic.of(goal)


@router.get(
    "/me/learning-goals/{goal_id}",
    tags=GOALS,
    responses=problem_responses(401, 403, 404, 422, 429),
)
async def get_learning_goal(
    goal_id: UUID, uow: UowDep, principal: CurrentPrincipal
) -> LearningGoalPublic:
    return LearningGoalPublic.of(await skills.get_goal(uow, principal, goal_id))


@router.patch(
    "/me/learning-goals/{goal_id}",
    tags=GOALS,
    responses=problem_responses(401, 403, 404, 412, 413, 415, 422, 429),
    openapi_extra=CONDITIONAL_WRITE,
)
async def update_learning_goal(
    goal_id: UUID,
    body: LearningGoalUpdate,
    request: Request,
    response: Response,
    uow: UowDep,
    clock: ClockDep,
    principal: CurrentPrincipal,
) -> LearningGoalPublic:
    """Status moves freely between active, achieved and dropped. If-Match takes the ETag of
    the GET (412 when the goal changed since)."""

    async def current() -> LearningGoalPublic:
        return LearningGoalPublic.of(await skills.get_goal(uow, principal, goal_id))

    await if_match_current(request, current)
    changes: dict[str, Any] = body.model_dump(exclude_unset=True)
    goal = await skills.update_goal(uow, clock, principal, goal_id, changes)
    public = LearningGoalPublic.of(goal)
    response.headers["ETag"] = representation_tag(public)
    return public


@router.delete(
    "/me/learning-goals/{goal_id}",
    tags=GOALS,
    status_code=status.HTTP_204_NO_CONTENT,
    responses=problem_responses(401, 403, 404, 422, 429),
)
async def delete_learning_goal(goal_id: UUID, uow: UowDep, principal: CurrentPrincipal) -> Response:
    await skills.delete_goal(uow, principal, goal_id)
    return Response(status_code=status.HTTP_204_NO_CONTENT)
