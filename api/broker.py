"""The task broker that jobs and domain events travel on (taskiq).

Without `LEADERFUL_BROKER_URL` the broker is taskiq's in-memory one: tasks run inside the server
process, so `make run` needs nothing more. With it, tasks go to a Redis Stream (acknowledged
after they run) and `leaderful worker` processes take them.
"""

from __future__ import annotations

from taskiq import AsyncBroker, InMemoryBroker
from taskiq_redis import RedisStreamBroker

from api.settings import Settings

CONSUMER_GROUP = "leaderful"


def create_broker(settings: Settings) -> AsyncBroker:
    if settings.broker_url:
        return RedisStreamBroker(
            settings.broker_url,
            queue_name=settings.broker_queue,
            consumer_group_name=CONSUMER_GROUP,
            # A group created after tasks were queued still reads them (not only newer ones).
            consumer_id="0",
            # Acknowledged entries stay in a stream until trimmed; the outbox is the record.
            maxlen=1_000_000,
        )
    return InMemoryBroker()
