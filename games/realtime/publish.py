"""Delivery of (group, message) pairs over the channel layer, in one batch: the plumbing that knows no
game. For the pub/sub layer on Redis the batch is one pipeline of PUBLISHes; for any other layer (the
in-memory one of embedded mode and tests) it is the layer's own `group_send`.

Delivery is at most once, so a failure is logged, not raised: the database holds the truth and clients
resync (`sync`) after a reconnect or a `seq` gap.
"""

from __future__ import annotations

import logging
import os
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from contextvars import ContextVar
from typing import Any

import redis
from asgiref.sync import async_to_sync
from channels import DEFAULT_CHANNEL_LAYER
from channels.layers import get_channel_layer
from channels_redis.pubsub import RedisPubSubChannelLayer
from django.conf import settings

logger = logging.getLogger(__name__)

SEND_TIMEOUT = 10.0  # seconds a batch may take to reach the channel layer before we give up (and log)
# After a Redis restart a kept connection fails once ("Connection closed by server") and then reconnects:
# without another attempt that push was lost, and a student waited for an update that never came
# (tests/drills). Against a Redis that is really down the attempts fail at once.
SEND_ATTEMPTS = 3


class _PubSubPublisher:
    """Publishes a batch of group messages in ONE Redis round trip, for the pub/sub channel layer.

    What `RedisPubSubChannelLayer.group_send` does one message at a time (a PUBLISH of the layer's own
    serialization to the channel `<prefix>__group__<group>`, each behind a lock and an event-loop hop),
    pipelined on a plain redis-py client: a fraction of the CPU, and one round trip instead of hundreds
    for a round start (docs/performance.md). The subscribers are the layer's
    own (`group_add` in the consumers), so what arrives is exactly what group_send would deliver. One
    client per process, made lazily and again after a fork."""

    def __init__(self) -> None:
        self.lock = threading.Lock()
        self.client: redis.Redis | None = None
        self.pid = 0

    @staticmethod
    def config(layer: Any) -> tuple[str, str] | None:
        """(Redis URL, channel prefix) when `layer` is the pub/sub layer on one Redis given by URL."""
        if not isinstance(layer, RedisPubSubChannelLayer):
            return None
        options = settings.CHANNEL_LAYERS[DEFAULT_CHANNEL_LAYER].get("CONFIG", {})
        hosts = options.get("hosts") or []
        if len(hosts) != 1 or not isinstance(hosts[0], dict) or "address" not in hosts[0]:
            return None
        return hosts[0]["address"], options.get("prefix", "asgi")

    def _client(self, url: str) -> redis.Redis:
        with self.lock:
            if self.client is None or self.pid != os.getpid():
                self.client = redis.Redis.from_url(
                    url, socket_connect_timeout=2, socket_timeout=SEND_TIMEOUT, health_check_interval=30
                )
                self.pid = os.getpid()
            return self.client

    def publish(self, layer: Any, url: str, prefix: str, messages: list[tuple[str, dict[str, Any]]]) -> None:
        payloads = [(f"{prefix}__group__{group}", layer.serialize(message)) for group, message in messages]
        for attempt in range(1, SEND_ATTEMPTS + 1):
            try:
                pipe = self._client(url).pipeline(transaction=False)
                for channel, payload in payloads:
                    pipe.publish(channel, payload)
                pipe.execute()
                return
            except redis.RedisError:
                if attempt == SEND_ATTEMPTS:
                    raise


_PUBLISHER = _PubSubPublisher()
# The messages of an open `batch()` in this context (None outside one).
_BATCH: ContextVar[list[tuple[str, dict[str, Any]]] | None] = ContextVar("publish_batch", default=None)


@contextmanager
def batch() -> Iterator[None]:
    """Every `send`/`send_all` inside the block is held and delivered as ONE batch when it ends (one Redis
    pipeline for a whole batch of moves, docs/performance.md), also when the block raises: what was sent
    inside came from transactions that had committed. Nested blocks join the outermost one."""
    if _BATCH.get() is not None:
        yield
        return
    held: list[tuple[str, dict[str, Any]]] = []
    token = _BATCH.set(held)
    try:
        yield
    finally:
        _BATCH.reset(token)
        send_all(held)


def flush() -> None:
    """Inside `batch()`, deliver what it holds now (it goes on holding what comes after): before a push
    that takes long to build, so that what is ready does not wait for it (docs/performance.md)."""
    held = _BATCH.get()
    if held:
        ready = held[:]
        held.clear()
        _deliver(ready)


def send(group: str, message: dict[str, Any]) -> None:
    send_all([(group, message)])


def send_all(messages: list[tuple[str, dict[str, Any]]]) -> None:
    """Deliver (group, message) pairs in ONE batch: pipelined to Redis for the pub/sub layer (from a
    Celery worker and an ASGI server's sync threads alike), else through the layer's own `group_send`
    (the in-memory layer of embedded mode and tests). Inside `batch()`, held until the block ends."""
    held = _BATCH.get()
    if held is not None:
        held.extend(messages)
        return
    _deliver(messages)


def _deliver(messages: list[tuple[str, dict[str, Any]]]) -> None:
    layer = get_channel_layer()
    if layer is None or not messages:
        return
    try:
        if config := _PUBLISHER.config(layer):
            _PUBLISHER.publish(layer, *config, messages)
        else:
            async_to_sync(_group_send_all)(layer, messages)
    except Exception:  # the channel layer is down: the database holds the truth, and clients resync
        logger.warning("could not deliver %d message(s)", len(messages), exc_info=True)


async def _group_send_all(layer: Any, messages: list[tuple[str, dict[str, Any]]]) -> None:
    for group, message in messages:
        for attempt in range(1, SEND_ATTEMPTS + 1):
            try:
                await layer.group_send(group, message)
                break
            except Exception:  # a layer on a Redis that restarted: clients resync when it is back
                if attempt == SEND_ATTEMPTS:
                    logger.warning("could not deliver to %s", group, exc_info=True)
