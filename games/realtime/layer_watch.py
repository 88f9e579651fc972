"""Watching the channel layer (Redis) from each ASGI process, so that a Redis outage is neither silent
nor leaves screens stale (docs/operations.md, "Drills").

The pub/sub layer keeps the sockets open through a Redis restart and quietly re-subscribes when Redis is
back, but whatever was published meanwhile is lost, and a restarted Redis forgets everything, so a
student could wait for an update that never comes. One task per ASGI process (started by the first
socket, stopped with the last) checks Redis every `WS_LAYER_WATCH_SECONDS`:

* Redis stops answering: every socket of the process gets an `unavailable` error at once (its moves
  would be refused anyway: the broker is the same Redis).
* Redis answers again (or answers with a new `run_id`: it restarted between two checks) and a message
  makes the round trip through the layer (so the pub/sub connection, and with it every socket's group
  subscription, is back): every socket is told to resync (`layer.resync`): a player's socket sends its
  current state, a staff socket a `class_changed` nudge.

Every change committed before that round trip is in the resynced state, so nothing published during the
outage is missed. Only in stack mode (a Redis layer); the in-memory layer of embedded mode cannot fail.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
import weakref
from typing import Any

from channels.layers import get_channel_layer
from django.conf import settings

logger = logging.getLogger(__name__)

PROBE_TIMEOUT = 2.0
RESYNC = {"type": "layer.resync"}


class LayerWatch:
    """The watcher of one process (one event loop): `watch(consumer)` on connect, `forget` on close."""

    def __init__(self) -> None:
        self.consumers: weakref.WeakSet[Any] = weakref.WeakSet()
        self.task: asyncio.Task[None] | None = None
        self.healthy = True
        self.run_id: str | None = None
        self.outages = 0

    @staticmethod
    def enabled() -> bool:
        backend = settings.CHANNEL_LAYERS.get("default", {}).get("BACKEND", "")
        return backend.startswith("channels_redis.") and float(settings.WS_LAYER_WATCH_SECONDS) > 0

    def watch(self, consumer: Any) -> None:
        if not self.enabled():
            return
        self.consumers.add(consumer)
        loop = asyncio.get_running_loop()
        if self.task is None or self.task.done() or self.task.get_loop() is not loop:
            self.task = loop.create_task(self.run(), name="layer-watch")

    def forget(self, consumer: Any) -> None:
        self.consumers.discard(consumer)

    async def run(self) -> None:
        import redis.asyncio as redis

        client = redis.Redis.from_url(
            settings.REDIS_URL, socket_timeout=PROBE_TIMEOUT, socket_connect_timeout=PROBE_TIMEOUT
        )
        try:
            while self.consumers:
                await asyncio.sleep(float(settings.WS_LAYER_WATCH_SECONDS))
                try:
                    await self.check(client)
                except Exception:  # never let the watch die with the sockets still open
                    logger.exception("channel layer watch failed; checking again")
        finally:
            with contextlib.suppress(Exception):
                await client.aclose()

    async def check(self, client: Any) -> None:
        try:
            run_id = (await asyncio.wait_for(client.info("server"), PROBE_TIMEOUT)).get("run_id")
        except Exception:
            run_id = None
        if run_id is None:
            if self.healthy:
                self.healthy, self.outages = False, self.outages + 1
                logger.warning("channel layer down: telling %d socket(s)", len(self.consumers))
                await self.tell("layer_down")
            return
        if self.healthy and self.run_id is not None and run_id != self.run_id:
            # Redis restarted between two checks: whatever was published meanwhile is lost.
            self.healthy, self.outages = False, self.outages + 1
            logger.warning("channel layer restarted")
        if self.healthy:
            self.run_id = run_id
        elif await self.round_trip():  # else: check again next time
            logger.warning("channel layer back: resyncing %d socket(s)", len(self.consumers))
            self.healthy, self.run_id = True, run_id
            await self.resync()

    async def round_trip(self) -> bool:
        """A message through the layer to a fresh channel of this process and back."""
        layer = get_channel_layer()
        try:
            channel = await asyncio.wait_for(layer.new_channel("watch."), PROBE_TIMEOUT)
            try:
                await asyncio.wait_for(layer.send(channel, {"type": "watch.probe"}), PROBE_TIMEOUT)
                await asyncio.wait_for(layer.receive(channel), PROBE_TIMEOUT)
            finally:  # a cancelled receive drops the channel's subscription (see wargame/health.py)
                with contextlib.suppress(Exception):
                    await asyncio.wait_for(layer.receive(channel), 0.01)
        except Exception:
            return False
        return True

    async def resync(self) -> None:
        layer = get_channel_layer()
        for consumer in list(self.consumers):
            try:  # through the consumer's own channel: it handles it in its own task, in order
                await layer.send(consumer.channel_name, RESYNC)
            except Exception:
                logger.warning("could not ask %s to resync", consumer.channel_name, exc_info=True)

    async def tell(self, method: str) -> None:
        """Call `method` of every socket at once (a slow client must not hold up the others)."""
        calls = [asyncio.ensure_future(_quietly(getattr(consumer, method)())) for consumer in self.consumers]
        if calls:
            await asyncio.wait(calls, timeout=PROBE_TIMEOUT)


async def _quietly(call: Any) -> None:
    with contextlib.suppress(Exception):
        await call


WATCH = LayerWatch()
