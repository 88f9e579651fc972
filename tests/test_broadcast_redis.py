"""`games.realtime.publish` and `games.play.broadcast` on the real pub/sub channel layer: the pipelined
publisher reaches the layer's own subscribers (what the consumers' `group_add` sets up), from a worker-like
thread with no event loop and from an ASGI server's sync thread, in the order given, and survives a dropped
connection."""

from __future__ import annotations

import asyncio
import threading
import uuid
from typing import Any

import pytest
from asgiref.sync import sync_to_async
from channels.layers import get_channel_layer

from games.play import broadcast
from games.realtime import publish

pytestmark = pytest.mark.integration("redis")
TIMEOUT = 5


@pytest.fixture
def pubsub_layer(settings: Any) -> Any:
    """The production channel layer on REDIS_URL, under a prefix of this test's own."""
    settings.CHANNEL_LAYERS = {
        "default": {
            "BACKEND": "channels_redis.pubsub.RedisPubSubChannelLayer",
            "CONFIG": {"hosts": [{"address": settings.REDIS_URL}], "prefix": f"t{uuid.uuid4().hex[:12]}"},
        }
    }
    return get_channel_layer()


async def subscribe(layer: Any, *groups: str) -> str:
    channel = await layer.new_channel()
    for group in groups:
        await layer.group_add(group, channel)
    return channel


async def test_a_batch_from_a_thread_without_a_loop_reaches_the_group_subscribers(pubsub_layer: Any) -> None:
    one, two = await subscribe(pubsub_layer, "participant.one"), await subscribe(pubsub_layer, "staff.x")
    batch = [
        ("participant.one", {"type": "state.push", "seq": 7, "view": {"round": {"node": "challenge"}}}),
        ("participant.one", {"type": "state.push", "seq": 8, "view": {"round": {"node": "response"}}}),
        ("staff.x", {"type": "class.changed", "round": 3}),
    ]
    worker = threading.Thread(target=publish.send_all, args=(batch,))  # a Celery worker has no loop
    worker.start()
    await asyncio.to_thread(worker.join)
    first = await asyncio.wait_for(pubsub_layer.receive(one), TIMEOUT)
    second = await asyncio.wait_for(pubsub_layer.receive(one), TIMEOUT)
    staff = await asyncio.wait_for(pubsub_layer.receive(two), TIMEOUT)
    assert [first["seq"], second["seq"]] == [7, 8] and second["view"] == batch[1][1]["view"]
    assert staff == {"type": "class.changed", "round": 3}


async def test_a_push_from_a_server_sync_thread_arrives(pubsub_layer: Any) -> None:
    channel = await subscribe(pubsub_layer, "participant.two")
    await sync_to_async(broadcast.push_error)("two", "stale", "The crisis has moved on.", "m-1")
    message = await asyncio.wait_for(pubsub_layer.receive(channel), TIMEOUT)
    assert message == {
        "type": "error.push",
        "code": "stale",
        "message": "The crisis has moved on.",
        "ref": "m-1",
    }


async def test_a_dropped_connection_is_replaced_and_the_push_still_arrives(pubsub_layer: Any) -> None:
    channel = await subscribe(pubsub_layer, "participant.three")
    await asyncio.to_thread(publish.send, "participant.three", {"type": "class.changed", "round": 1})
    await asyncio.wait_for(pubsub_layer.receive(channel), TIMEOUT)
    # What a Redis restart does to a kept connection: the server closes it under the client.
    client = publish._PUBLISHER.client
    assert client is not None
    client.client_kill_filter(_id=client.client_id())
    await asyncio.to_thread(publish.send, "participant.three", {"type": "class.changed", "round": 2})
    assert (await asyncio.wait_for(pubsub_layer.receive(channel), TIMEOUT))["round"] == 2
