"""Wire models for webhooks: subscriptions, deliveries, and the payload of each catalog event
(documented in the OpenAPI document's `webhooks` section, one versioned schema per type)."""

from __future__ import annotations

from datetime import datetime
from typing import Annotated, Literal
from uuid import UUID

from pydantic import BaseModel, Field

from api.schemas.common import InputModel, OutputModel, Text, unchanged
from domain.webhooks.model import Attempt, Delivery, Webhook

EventTypeName = Literal[
    "post.created",
    "comment.created",
    "answer.accepted",
    "reaction.added",
    "membership.approved",
]
WebhookUrl = Annotated[
    Text,
    Field(
        min_length=1,
        max_length=2000,
        description="Where deliveries are POSTed: https, on a public address (http and private "
        "addresses only where the instance sets LEADERFUL_WEBHOOK_ALLOW_PRIVATE=true).",
    ),
]
EventTypes = Annotated[
    list[EventTypeName],
    Field(min_length=1, max_length=20, description="Event types from the catalog."),
]
Description = Annotated[Text, Field(max_length=500)]
INCLUDE_PRIVATE = (
    "Organisation webhooks only: also deliver events of private communities (an "
    "administrator's explicit choice; off by default)."
)


class WebhookCreate(InputModel):
    url: WebhookUrl
    event_types: EventTypes
    description: Description = ""
    enabled: bool = True
    include_private_communities: bool = Field(default=False, description=INCLUDE_PRIVATE)


class WebhookUpdate(InputModel):
    url: WebhookUrl = unchanged()
    event_types: EventTypes = unchanged()
    description: Description = unchanged()
    enabled: bool = unchanged("false pauses deliveries; true resumes them.")
    include_private_communities: bool = unchanged(INCLUDE_PRIVATE)


class CommunityBrief(OutputModel):
    id: UUID
    slug: str
    name: str


class WebhookPublic(OutputModel):
    id: UUID
    url: str
    event_types: list[str]
    description: str
    enabled: bool
    include_private_communities: bool
    community: CommunityBrief | None = Field(description="null: an organisation webhook.")
    created_at: datetime
    updated_at: datetime
    failing_since: datetime | None = Field(
        description="Since when every try failed (null after a success); after 3 days the "
        "webhook is disabled and its owners notified."
    )
    disabled_reason: str | None
    previous_secret_expires_at: datetime | None = Field(
        description="After a rotation: until when the previous secret still signs too."
    )
    version: int

    @classmethod
    def of(cls, webhook: Webhook) -> WebhookPublic:
        c = webhook.community
        return cls(
            id=webhook.id,
            url=webhook.url,
            event_types=list(webhook.event_types),
            description=webhook.description,
            enabled=webhook.enabled,
            include_private_communities=webhook.include_private_communities,
            community=CommunityBrief(id=c.id, slug=c.slug, name=c.name) if c else None,
            created_at=webhook.created_at,
            updated_at=webhook.updated_at,
            failing_since=webhook.failing_since,
            disabled_reason=webhook.disabled_reason,
            previous_secret_expires_at=webhook.previous_secret_expires_at,
            version=webhook.version,
        )


class WebhookWithSecret(WebhookPublic):
    secret: str = Field(
        description="The signing secret (whsec_…), shown only in this response: keep it to "
        "verify the webhook-signature header."
    )

    @classmethod
    def with_secret(cls, webhook: Webhook, secret: str) -> WebhookWithSecret:
        return cls(**WebhookPublic.of(webhook).model_dump(), secret=secret)


class AttemptPublic(OutputModel):
    id: UUID
    attempted_at: datetime
    status_code: int | None = Field(description="null: no HTTP answer (see error).")
    duration_ms: int
    ok: bool
    error: str | None
    response_excerpt: str = Field(description="The first kilobyte of the answer's body.")

    @classmethod
    def of(cls, attempt: Attempt) -> AttemptPublic:
        return cls.model_validate(attempt)


class DeliveryPublic(OutputModel):
    id: UUID = Field(description="Also the webhook-id header of every try.")
    event_id: UUID | None
    event_type: str
    status: Literal["pending", "succeeded", "failed"]
    attempt_count: int
    next_attempt_at: datetime | None
    created_at: datetime
    last_status_code: int | None
    attempts: list[AttemptPublic]

    @classmethod
    def of(cls, delivery: Delivery) -> DeliveryPublic:
        return cls(
            id=delivery.id,
            event_id=delivery.event_id,
            event_type=delivery.event_type,
            status=delivery.status.value,
            attempt_count=delivery.attempts,
            next_attempt_at=delivery.next_attempt_at,
            created_at=delivery.created_at,
            last_status_code=delivery.last_status_code,
            attempts=[AttemptPublic.of(a) for a in delivery.tries],
        )


# --- the payloads (what receivers get) ------------------------------------------------------


class CommunityRefV1(BaseModel):
    id: UUID
    slug: str
    name: str


class PersonRefV1(BaseModel):
    id: UUID
    display_name: str | None = None


class PostRefV1(BaseModel):
    id: UUID
    kind: Literal["discussion", "question", "best_practice", "resource"] | None = None
    title: str | None = None
    url: str | None = Field(default=None, description="The post in this API (GET, bearer).")


class PostCreatedDataV1(BaseModel):
    post: PostRefV1
    author: PersonRefV1
    community: CommunityRefV1


class CommentRefV1(BaseModel):
    id: UUID
    post_id: UUID | None = None
    url: str | None = None


class CommentCreatedDataV1(BaseModel):
    comment: CommentRefV1
    post: PostRefV1
    author: PersonRefV1
    community: CommunityRefV1


class AnswerAcceptedDataV1(BaseModel):
    post: PostRefV1
    comment: CommentRefV1
    answer_author: PersonRefV1
    accepted_by: PersonRefV1
    community: CommunityRefV1


class ReactionTargetV1(BaseModel):
    type: Literal["post", "comment"]
    id: UUID


class ReactionAddedDataV1(BaseModel):
    target: ReactionTargetV1
    post: PostRefV1
    kind: Literal["like", "helpful", "insightful"]
    reacted_by: PersonRefV1
    community: CommunityRefV1


class MembershipApprovedDataV1(BaseModel):
    member: PersonRefV1
    approved_by: PersonRefV1
    community: CommunityRefV1


class WebhookRefV1(BaseModel):
    id: UUID


class PingDataV1(BaseModel):
    webhook: WebhookRefV1


class _Envelope(BaseModel):
    version: Literal[1] = Field(
        description="The payload's version: a new version of a type is announced, never a "
        "silent change."
    )
    timestamp: datetime = Field(description="When the event happened.")


class PostCreatedV1(_Envelope):
    type: Literal["post.created"]
    data: PostCreatedDataV1


class CommentCreatedV1(_Envelope):
    type: Literal["comment.created"]
    data: CommentCreatedDataV1


class AnswerAcceptedV1(_Envelope):
    type: Literal["answer.accepted"]
    data: AnswerAcceptedDataV1


class ReactionAddedV1(_Envelope):
    type: Literal["reaction.added"]
    data: ReactionAddedDataV1


class MembershipApprovedV1(_Envelope):
    type: Literal["membership.approved"]
    data: MembershipApprovedDataV1


class PingV1(_Envelope):
    type: Literal["webhook.ping"]
    data: PingDataV1


PAYLOADS: dict[str, type[_Envelope]] = {
    "post.created": PostCreatedV1,
    "comment.created": CommentCreatedV1,
    "answer.accepted": AnswerAcceptedV1,
    "reaction.added": ReactionAddedV1,
    "membership.approved": MembershipApprovedV1,
    "webhook.ping": PingV1,
}
