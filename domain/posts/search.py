"""Full-text search over the posts the actor may read."""

from __future__ import annotations

from dataclasses import dataclass

from domain.actor import Actor
from domain.communities.service import load_community
from domain.pagination import PageRequest, PageResult
from domain.ports import UnitOfWork
from domain.posts.model import Post, PostKind
from domain.search import search_query
from domain.skills.model import normalize_skill_name


@dataclass(frozen=True, slots=True)
class FoundPost:
    post: Post
    snippet: str  # safe HTML: escaped text, only <mark> tags
    rank: float


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
    hits = await uow.search.search_posts(
        actor.user_id,
        actor.is_admin,
        query,
        community_id,
        kind.value if kind else None,
        skill_id,
        page,
    )
    found = {
        post.id: post
        for post in await uow.posts.get_many([h.post_id for h in hits.items], actor.user_id)
    }
    items = [
        FoundPost(found[h.post_id], h.snippet, h.rank) for h in hits.items if h.post_id in found
    ]
    return PageResult(items=items, next_position=hits.next_position)
