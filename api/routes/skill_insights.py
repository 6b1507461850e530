"""Skill insights: per skill, demand against supply (the gap) and the bus factor."""

from __future__ import annotations

from typing import Annotated

from fastapi import Query, Request
from pydantic import Field

from api.deps import CurrentPrincipal, UowDep, paginator_for
from api.pagination import Page
from api.problems import problem_responses
from api.routing import ApiRouter
from api.schemas.common import PageCursor, PageLimit, QueryModel
from api.schemas.skill_insights import SkillInsightPublic
from domain.skill_insights import service as insights
from domain.skill_insights.model import InsightSort

router = ApiRouter(tags=["insights"])


class SkillInsightsQuery(QueryModel):
    sort: InsightSort = Field(
        InsightSort.gap,
        description="gap: largest gap first. risk: bus factor 1, then 2, then the rest, each "
        "by gap.",
    )
    community: Annotated[
        str | None,
        Field(
            min_length=1,
            max_length=60,
            pattern=r"^[A-Za-z0-9][A-Za-z0-9-]*$",
            description="A community's slug; without it, the organisation (administrators).",
        ),
    ] = None
    limit: PageLimit = 20
    cursor: PageCursor = None


@router.get("/insights/skills", responses=problem_responses(400, 401, 403, 404, 422, 429))
async def list_skill_insights(
    request: Request,
    uow: UowDep,
    principal: CurrentPrincipal,
    query: Annotated[SkillInsightsQuery, Query()],
) -> Page[SkillInsightPublic]:
    """Skills by gap (demand minus supply, with its parts) or by risk (bus factor), as of the
    last refresh of the rollups (every jobs interval, five minutes by default).

    Without `community`: the whole organisation, for administrators (others get 403). With it:
    that community's own questions, answers and members only; its stewards (and administrators)
    may always read it, and everyone who can see it when it is public. A private community you
    do not belong to is a 404; one you belong to without being a steward, a 403.

    A keyset page: `next_cursor` continues the same sort and scope."""
    scope = f"skill-insights:{query.sort.value}:{(query.community or '').lower()}"
    paginator = paginator_for(request, query.limit, query.cursor)
    result = await insights.list_skill_insights(
        uow, principal, query.sort, query.community, paginator.request(scope)
    )
    return paginator.page(scope, result, SkillInsightPublic.of)
