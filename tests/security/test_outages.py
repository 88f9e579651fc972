"""What the sockets and the broadcaster do when the database or Redis fails under them, in-process (the
real-stack drills are in tests/drills): a clear `unavailable` and a 1013 close, never an exception out
of the ASGI application; a push retried over a connection that broke; and the channel-layer watch
(games.realtime.layer_watch) that tells every socket when Redis is down and resyncs them when it is back.
"""

from __future__ import annotations

import asyncio
from typing import Any

import pytest
from channels.db import database_sync_to_async
from channels.layers import InMemoryChannelLayer
from django.contrib.auth import get_user_model
from django.contrib.sessions.backends import db as session_db
from django.db import OperationalError
from django.test import Client

from games.models import Participant
from games.play import broadcast, consumers, protocol, services
from games.realtime import layer_watch
from tests.security.conftest import TIMEOUT, api_join, check_error, close_code, new_class, socket_for

pytestmark = [
    pytest.mark.django_db(transaction=True),
    pytest.mark.usefixtures("in_memory_channel_layer", "eager_celery"),
]


def _staff_key() -> str:
    user = get_user_model().objects.create_user("teacher", password=None, is_staff=True)
    client = Client()
    client.force_login(user)
    return client.cookies["sessionid"].value


def _class_and_student() -> tuple[str, str, str]:
    code = new_class()
    pid, key = api_join(code, "Aiko")
    return code, pid, key


async def test_a_database_outage_while_authenticating_is_a_1013_not_a_crash(monkeypatch: Any) -> None:
    """channels' AuthMiddleware reads the session before any consumer runs: a database error there used
    to escape the ASGI application (uvicorn answers 500, a browser sees 1006). Now: accepted, told
    `unavailable`, closed with 1013, on both sockets."""
    code, _, student = await database_sync_to_async(_class_and_student)()
    staff = await database_sync_to_async(_staff_key)()

    def down(self: Any, *args: Any, **kwargs: Any) -> None:
        raise OperationalError("the database is down")

    monkeypatch.setattr(session_db.SessionStore, "load", down)
    for key, path in ((student, "/ws/play/"), (staff, f"/ws/instructor/{code}/")):
        socket = socket_for(key, path=path)
        assert (await socket.connect(timeout=TIMEOUT))[0]
        error = await socket.receive_json_from(timeout=TIMEOUT)
        check_error(error)
        assert error["code"] == "unavailable"
        assert await close_code(socket) == protocol.CLOSE_TRY_LATER
    monkeypatch.undo()
    socket = socket_for(student)  # and once the database is back, the same cookie works
    assert (await socket.connect(timeout=TIMEOUT))[0]
    assert (await socket.receive_json_from(timeout=TIMEOUT))["type"] == "state"
    await socket.disconnect()


async def test_a_channel_layer_outage_while_connecting_is_a_1013(
    in_memory_channel_layer: InMemoryChannelLayer, monkeypatch: Any
) -> None:
    code, _, student = await database_sync_to_async(_class_and_student)()
    staff = await database_sync_to_async(_staff_key)()

    async def down(*args: Any) -> None:
        raise ConnectionError("Redis is down")

    monkeypatch.setattr(in_memory_channel_layer, "group_add", down)
    for key, path in ((student, "/ws/play/"), (staff, f"/ws/instructor/{code}/")):
        socket = socket_for(key, path=path)
        assert (await socket.connect(timeout=TIMEOUT))[0]
        error = await socket.receive_json_from(timeout=TIMEOUT)
        assert (error["type"], error["code"]) == ("error", "unavailable")
        assert await close_code(socket) == protocol.CLOSE_TRY_LATER


async def test_a_channel_layer_outage_while_disconnecting_still_counts_the_student_gone(
    in_memory_channel_layer: InMemoryChannelLayer, monkeypatch: Any
) -> None:
    _, pid, key = await database_sync_to_async(_class_and_student)()
    socket = socket_for(key)
    assert (await socket.connect(timeout=TIMEOUT))[0]
    await socket.receive_json_from(timeout=TIMEOUT)

    async def down(*args: Any) -> None:
        raise ConnectionError("Redis is down")

    monkeypatch.setattr(in_memory_channel_layer, "group_discard", down)
    await socket.disconnect()
    gone = await database_sync_to_async(lambda: Participant.objects.get(pk=pid).disconnected_at)()
    assert gone is not None


# ----- pushes -----------------------------------------------------------------------------------------


class FlakyLayer(InMemoryChannelLayer):
    """Fails the first `failures` group sends (a kept connection to a Redis that restarted)."""

    failures = 0

    async def group_send(self, group: str, message: dict[str, Any]) -> None:
        if FlakyLayer.failures > 0:
            FlakyLayer.failures -= 1
            raise ConnectionError("Connection closed by server.")
        await super().group_send(group, message)


@pytest.mark.parametrize(("failures", "delivered"), [(0, True), (1, True), (2, True), (3, False)])
def test_a_push_survives_a_connection_that_broke(settings: Any, failures: int, delivered: bool) -> None:
    from asgiref.sync import async_to_sync
    from channels.layers import channel_layers, get_channel_layer

    settings.CHANNEL_LAYERS = {"default": {"BACKEND": f"{__name__}.FlakyLayer"}}
    channel_layers.backends.clear()
    try:
        layer = get_channel_layer()
        channel = async_to_sync(layer.new_channel)()
        async_to_sync(layer.group_add)("participant.x", channel)
        FlakyLayer.failures = failures
        broadcast.push_error("x", "stale", "m", None)  # never raises, whatever happens

        async def receive() -> Any:
            return await asyncio.wait_for(layer.receive(channel), 0.2)

        if delivered:
            assert async_to_sync(receive)()["type"] == "error.push"
        else:
            with pytest.raises(TimeoutError):
                async_to_sync(receive)()
    finally:
        FlakyLayer.failures = 0
        channel_layers.backends.clear()


# ----- the channel-layer watch -------------------------------------------------------------------------


class FakeRedis:
    def __init__(self) -> None:
        self.run_id: str | None = "one"

    async def info(self, section: str) -> dict[str, Any]:
        if self.run_id is None:
            raise ConnectionError("Connection refused")
        return {"run_id": self.run_id}


async def test_the_watch_tells_every_socket_when_redis_is_down_and_resyncs_it_when_back(
    in_memory_channel_layer: InMemoryChannelLayer, monkeypatch: Any
) -> None:
    """Driven by hand (`check()`), with a fake Redis: down -> `unavailable` to every socket; back (after a
    round trip through the layer) -> each socket gets its state again; a restart between two checks
    (a new run_id) counts as an outage too; a failed round trip waits for the next check."""
    code, _, key = await database_sync_to_async(_class_and_student)()
    await database_sync_to_async(services.start_class)(code)
    monkeypatch.setattr(layer_watch, "WATCH", watch := layer_watch.LayerWatch())
    monkeypatch.setattr(consumers, "WATCH", watch)
    monkeypatch.setattr(layer_watch, "get_channel_layer", lambda: in_memory_channel_layer)
    trips = [True]

    async def round_trip() -> bool:
        return trips[-1]

    monkeypatch.setattr(watch, "round_trip", round_trip)
    monkeypatch.setattr(watch, "run", lambda: asyncio.sleep(0))  # no timer: checks by hand
    monkeypatch.setattr(watch, "enabled", lambda: True)  # as with the Redis layer of stack mode

    socket = socket_for(key)
    assert (await socket.connect(timeout=TIMEOUT))[0]
    first = await socket.receive_json_from(timeout=TIMEOUT)
    assert len(watch.consumers) == 1
    redis = FakeRedis()
    await watch.check(redis)  # healthy: nothing to say
    assert await socket.receive_nothing(timeout=0.05)

    redis.run_id = None  # down
    await watch.check(redis)
    error = await socket.receive_json_from(timeout=TIMEOUT)
    assert (error["code"], error["ref"]) == ("unavailable", None)
    await watch.check(redis)  # still down: said once
    assert await socket.receive_nothing(timeout=0.05)

    redis.run_id, trips[-1] = "two", False  # back, but the layer's subscriptions are not yet
    await watch.check(redis)
    assert await socket.receive_nothing(timeout=0.05)
    trips[-1] = True
    await watch.check(redis)
    assert await socket.receive_json_from(timeout=TIMEOUT) == first  # the whole state again

    redis.run_id = "three"  # restarted between two checks
    await watch.check(redis)
    assert await socket.receive_json_from(timeout=TIMEOUT) == first
    assert watch.outages == 2

    await socket.disconnect()
    assert not layer_watch.LayerWatch.enabled()  # the in-memory layer of embedded mode cannot fail
    assert not watch.consumers


@pytest.mark.integration("redis")
def test_a_worker_survives_losing_redis_while_it_holds_tasks(settings: Any) -> None:
    """kombu 5.7 crashed the whole worker when Redis went away while it held unacknowledged tasks (found
    by the Redis drill): putting them back went through the connection that was already released.
    wargame.celery makes that step give up instead (the tasks come back after the visibility timeout)."""
    from kombu import Connection

    import wargame.celery  # noqa: F401 (applies the guard, as every worker does)

    connection = Connection(settings.REDIS_URL)
    channel = connection.channel()
    transport, client = channel.connection, channel.connection.client
    try:
        channel.qos._delivered["held"] = object()
        transport.client = None  # what a lost connection looks like when the worker closes it
        assert channel.qos.restore_unacked() is None  # kombu alone: AttributeError, and the worker dies
        assert not channel.qos._delivered
    finally:
        transport.client = client
        connection.release()


@pytest.mark.integration("redis")
@pytest.mark.parametrize("step", ["ack", "reject"])
def test_a_worker_survives_a_task_that_finishes_after_redis_was_lost(settings: Any, step: str) -> None:
    """The same crash one step later (found by the Redis drill once resolve tasks linger on their shard):
    a task that finished after the broker connection it came on was lost was acknowledged through that
    closed channel, and the worker died. The acknowledgement gives up instead; the task stays unacked."""
    from kombu import Connection

    import wargame.celery  # noqa: F401 (applies the guard, as every worker does)

    connection = Connection(settings.REDIS_URL)
    channel = connection.channel()
    transport = channel.connection
    try:
        channel.qos._delivered["held"] = object()
        channel.connection = None  # what a channel looks like once its lost connection was closed
        assert getattr(channel.qos, step)("held") is None  # kombu alone: AttributeError, the worker dies
        assert "held" not in channel.qos._delivered
    finally:
        channel.connection = transport
        connection.release()
