"""Reports: members flag content, the community's moderators resolve them."""

from __future__ import annotations

import uuid
from uuid import UUID

from domain.actor import Actor
from domain.clock import Clock
from domain.communities.model import Action, AuditAction
from domain.communities.service import context_of, load_community, require
from domain.errors import Conflict, NotFound
from domain.events.model import EventType
from domain.events.service import record
from domain.pagination import PageRequest, PageResult
from domain.ports import UnitOfWork
from domain.posts.context import audit, comment_context, post_context
from domain.posts.model import Report, ReportAction, ReportReason, ReportStatus, TargetType

ALREADY_RESOLVED = "This report is already resolved."


async def report(
    uow: UnitOfWork,
    clock: Clock,
    actor: Actor,
    target: TargetType,
    target_id: UUID,
    reason: ReportReason,
    detail: str | None,
) -> tuple[Report, bool]:
    """File a report; True when it is new. One open report per reporter and target: a repeat
    answers with the open one and notifies nobody again."""
    if target is TargetType.post:
        found, ctx = await post_context(uow, actor, target_id)
        excerpt = found.post.title
    else:
        comment_found, ctx = await comment_context(uow, actor, target_id)
        excerpt = comment_found.comment.body[:200]
    require(Action.post, ctx)
    existing = await uow.posts.open_report(actor.user_id, target, target_id)
    if existing is not None:
        return existing, False
    item = Report(
        id=uuid.uuid4(),
        community_id=ctx.community.id,
        target_type=target,
        target_id=target_id,
        reporter_id=actor.user_id,
        reason=reason,
        detail=detail,
        status=ReportStatus.open,
        created_at=clock.now(),
        excerpt=excerpt,
    )
    if not await uow.posts.add_report(item):
        # A concurrent duplicate won the unique index; answer with its report.
        existing = await uow.posts.open_report(actor.user_id, target, target_id)
        if existing is None:  # and a moderator resolved it meanwhile
            raise Conflict("Your report was filed and resolved meanwhile; report again if needed.")
        return existing, False
    # The community's moderators are told by the event's consumer.
    await record(
        uow,
        clock,
        EventType.report_filed,
        actor_id=actor.user_id,
        community_id=ctx.community.id,
        payload={
            "report_id": item.id,
            "target_type": target,
            "target_id": target_id,
            "community_name": ctx.community.name,
            "community_slug": ctx.community.slug,
        },
    )
    await uow.commit()
    return item, True


async def list_reports(
    uow: UnitOfWork, actor: Actor, slug: str, status: ReportStatus | None, page: PageRequest
) -> PageResult[Report]:
    ctx = await load_community(uow, actor, slug)
    require(Action.moderate, ctx)
    return await uow.posts.list_reports(ctx.community.id, status, page)


async def resolve_report(
    uow: UnitOfWork,
    clock: Clock,
    actor: Actor,
    report_id: UUID,
    action: ReportAction,
    note: str | None,
) -> Report:
    item = await uow.posts.get_report(report_id)
    if item is None:
        raise NotFound("Report not found.")
    found = await uow.communities.get_by_id_with_viewer(item.community_id, actor.user_id)
    if found is None:
        raise NotFound("Report not found.")
    try:
        ctx = context_of(actor, *found)
    except NotFound:
        raise NotFound("Report not found.") from None
    require(Action.moderate, ctx)
    if item.status is ReportStatus.resolved:
        raise Conflict(ALREADY_RESOLVED)
    now = clock.now()
    item.status = ReportStatus.resolved
    item.resolved_by = actor.user_id
    item.resolved_at = now
    item.action = action
    item.note = note
    # Resolved first, by a conditional write: of concurrent resolutions one acts.
    if not await uow.posts.resolve_report(item):
        raise Conflict(ALREADY_RESOLVED)
    if action is ReportAction.remove_content:
        if item.target_type is TargetType.post:
            await uow.posts.soft_delete(item.target_id, now)
            await uow.user_skills.refresh_evidence([item.target_id])
        else:
            comment = await uow.posts.comment_context(item.target_id, actor.user_id)
            if comment is not None and await uow.posts.soft_delete_comment(item.target_id, now):
                await uow.user_skills.refresh_evidence(
                    [comment.comment.post_id], people=[comment.comment.author.id]
                )
    # The log names the moderator and the decision, never the reporter.
    await audit(
        uow,
        ctx,
        actor,
        AuditAction.report_resolved,
        None,
        f"{item.target_type.value} report ({item.reason.value}): {action.value}"
        + (f" - {note}" if note else ""),
        now,
    )
    await uow.commit()
    return item
