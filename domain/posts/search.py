"""Full-text search over the posts the actor may read."""

from __future__ import annotations

from domain.actor import Actor
from domain.communities.service import load_community
from domain.pagination import PageRequest, PageResult
from domain.ports import UnitOfWork
from domain.posts.model import PostKind
from domain.search import SearchHit, search_query
from domain.skills.model import normalize_skill_name

# A post found, with its safe HTML snippet (escaped text, only <mark> tags) and rank: the search
# reads the post's page row in the same statement that ranks it.
FoundPost = SearchHit


async def search_posts(
    uow: UnitOfWork,
    actor: Actor,
    q: str,
    community: str | None,
    kind: PostKind | None,
    tag: str | None,
    page: PageRequest,
) -> PageResult[FoundPost]:
    """Full text, title above body; visibility is enforced inside the search query itself."""
    query = search_query(q)
    community_id = (await load_community(uow, actor, community)).community.id if community else None
    skill_id = None
    if tag:
        owners = await uow.skills.owners_of([normalize_skill_name(tag)])
        if not owners:
            return PageResult(items=[], next_position=None)
        skill_id = owners[0].skill_id
    return await uow.search.search_posts(
        actor.user_id,
        actor.is_admin,
        query,
        community_id,
        kind.value if kind else None,
        skill_id,
        page,
    )
