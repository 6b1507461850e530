"""Community health over time and the organisation's leadership overview, read from the weekly
rollups that the health job keeps (never recomputed from every row on a request)."""

from __future__ import annotations

from typing import Annotated

from fastapi import Path, Query

from api.deps import ClockDep, CurrentPrincipal, UowDep
from api.problems import problem_responses
from api.routing import ApiRouter
from api.schemas.common import Text
from api.schemas.insights_health import (
    CommunityHealthPublic,
    HealthQuery,
    OrganisationHealthPublic,
)
from domain.insights import service as insights

router = ApiRouter(tags=["insights"])

Slug = Annotated[Text, Path(min_length=1, max_length=60)]


@router.get("/communities/{slug}/health", responses=problem_responses(401, 403, 404, 422, 429))
async def get_community_health(
    slug: Slug,
    uow: UowDep,
    clock: ClockDep,
    principal: CurrentPrincipal,
    query: Annotated[HealthQuery, Query()],
) -> CommunityHealthPublic:
    """The community's weekly series with its leaderful index beside each week: to anyone who
    can see the community (a private one is 404 to non-members)."""
    health = await insights.community_health(uow, clock, principal, slug, query.weeks)
    return CommunityHealthPublic.of(health)


@router.get("/insights/health", responses=problem_responses(401, 403, 422, 429))
async def get_organisation_health(
    uow: UowDep,
    clock: ClockDep,
    principal: CurrentPrincipal,
    query: Annotated[HealthQuery, Query()],
) -> OrganisationHealthPublic:
    """The organisation's weekly series and its communities ranked by index and by change.
    Administrators see every community (`scope: all`); anyone else sees the same figures over
    the public communities only (`scope: public`), so no private number reaches them."""
    overview = await insights.organisation_health(uow, clock, principal, query.weeks)
    return OrganisationHealthPublic.of(overview)
