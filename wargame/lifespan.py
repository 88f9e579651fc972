"""ASGI lifespan: in embedded mode there is no Celery beat, so the server process runs the beat schedule.

With EMBEDDED_TIMERS on (the default whenever REDIS_URL is unset) every entry of CELERY_BEAT_SCHEDULE
whose schedule is a number of seconds runs in-process at that interval, on the same (eager) task code the
stack's beat would enqueue. That is what keeps decision deadlines firing under `make run`. In stack mode
this app only acknowledges startup and shutdown.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
from collections.abc import Awaitable, Callable
from datetime import timedelta
from typing import Any

from asgiref.sync import sync_to_async
from django.conf import settings

logger = logging.getLogger(__name__)

Receive = Callable[[], Awaitable[dict[str, Any]]]
Send = Callable[[dict[str, Any]], Awaitable[None]]


def interval_schedule() -> dict[str, float]:
    """Task name -> interval in seconds, for the beat entries that are plain intervals."""
    out: dict[str, float] = {}
    for key, entry in settings.CELERY_BEAT_SCHEDULE.items():
        schedule = entry["schedule"]
        if isinstance(schedule, timedelta):
            schedule = schedule.total_seconds()
        if isinstance(schedule, int | float) and schedule > 0:
            out[entry["task"]] = float(schedule)
        else:
            logger.warning("embedded timers: beat entry %r is not an interval; it will not run", key)
    return out


def run_task(name: str) -> None:
    """Run one registered Celery task inline, as beat plus a worker would."""
    from wargame.celery import app

    app.loader.import_default_modules()
    app.tasks[name].apply(throw=True)


async def _every(name: str, seconds: float) -> None:
    while True:
        await asyncio.sleep(seconds)
        try:
            await sync_to_async(run_task, thread_sensitive=True)(name)
        except Exception:
            logger.exception("embedded timers: task %s failed", name)


class LifespanApp:
    """The `lifespan` branch of the ASGI router."""

    def __init__(self) -> None:
        self._tasks: list[asyncio.Task[None]] = []

    async def __call__(self, scope: dict[str, Any], receive: Receive, send: Send) -> None:
        while True:
            message = await receive()
            if message["type"] == "lifespan.startup":
                self.start()
                await send({"type": "lifespan.startup.complete"})
            elif message["type"] == "lifespan.shutdown":
                await self.stop()
                await send({"type": "lifespan.shutdown.complete"})
                return

    def start(self) -> None:
        if not settings.EMBEDDED_TIMERS:
            return
        for name, seconds in interval_schedule().items():
            self._tasks.append(asyncio.create_task(_every(name, seconds), name=f"timer:{name}"))
        logger.info("embedded timers: running %s in-process", ", ".join(interval_schedule()) or "nothing")

    async def stop(self) -> None:
        for task in self._tasks:
            task.cancel()
        for task in self._tasks:
            with contextlib.suppress(asyncio.CancelledError):
                await task
        self._tasks.clear()
