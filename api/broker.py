"""The task broker that jobs and domain events travel on (taskiq).

Without `LEADERFUL_BROKER_URL` the broker is taskiq's in-memory one: tasks run inside the server
process, so `make run` needs nothing more. With it, tasks go to a Redis Stream (acknowledged
after they run) and `leaderful worker` processes take them.
"""

from __future__ import annotations

from taskiq import AsyncBroker, InMemoryBroker
from taskiq_redis import RedisStreamBroker

from api.settings import Settings

QUEUE = "leaderful:tasks"
CONSUMER_GROUP = "leaderful"


def create_broker(settings: Settings) -> AsyncBroker:
    if settings.broker_url:
        return RedisStreamBroker(
            settings.broker_url, queue_name=QUEUE, consumer_group_name=CONSUMER_GROUP
        )
    return InMemoryBroker()
