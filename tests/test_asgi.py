"""The ASGI application: routing, the websocket origin check, and the embedded timers of the lifespan."""

from __future__ import annotations

import asyncio
from typing import Any

import pytest
from channels.testing import HttpCommunicator, WebsocketCommunicator

from wargame import lifespan
from wargame.asgi import application


@pytest.mark.django_db(transaction=True)
async def test_http_goes_to_django() -> None:
    response = await HttpCommunicator(
        application, "GET", "/healthz", headers=[(b"host", b"localhost")]
    ).get_response(timeout=10)
    assert response["status"] == 200


async def test_websocket_from_a_foreign_origin_is_refused() -> None:
    communicator = WebsocketCommunicator(
        application, "/ws/play/", headers=[(b"origin", b"https://evil.example")]
    )
    connected, _ = await communicator.connect(timeout=5)
    assert connected is False


class Lifespan:
    """Drives the lifespan branch of the router like an ASGI server does."""

    def __init__(self) -> None:
        self.inbox: asyncio.Queue[dict[str, Any]] = asyncio.Queue()
        self.sent: list[str] = []
        self.task: asyncio.Task[None] | None = None

    async def send(self, message: dict[str, Any]) -> None:
        self.sent.append(message["type"])

    async def __aenter__(self) -> Lifespan:
        self.task = asyncio.create_task(application({"type": "lifespan"}, self.inbox.get, self.send))
        await self.inbox.put({"type": "lifespan.startup"})
        await self._until("lifespan.startup.complete")
        return self

    async def __aexit__(self, *exc: object) -> None:
        await self.inbox.put({"type": "lifespan.shutdown"})
        await self._until("lifespan.shutdown.complete")
        assert self.task is not None
        await asyncio.wait_for(self.task, 5)

    async def _until(self, kind: str) -> None:
        for _ in range(500):
            if kind in self.sent:
                return
            await asyncio.sleep(0.01)
        raise AssertionError(f"no {kind}; got {self.sent}")


def test_beat_schedule_in_seconds() -> None:
    assert lifespan.interval_schedule() == {"games.tasks.sweep_deadlines": 1.0}


async def test_embedded_timers_run_the_beat_schedule(settings: Any, monkeypatch: pytest.MonkeyPatch) -> None:
    settings.EMBEDDED_TIMERS = True
    settings.CELERY_BEAT_SCHEDULE = {"fast": {"task": "games.tasks.sweep_deadlines", "schedule": 0.02}}
    calls: list[str] = []
    monkeypatch.setattr(lifespan, "run_task", calls.append)
    async with Lifespan():
        await asyncio.sleep(0.2)
    count = len(calls)
    assert count >= 3
    assert set(calls) == {"games.tasks.sweep_deadlines"}
    await asyncio.sleep(0.1)
    assert len(calls) == count  # stopped at shutdown


async def test_no_embedded_timers_in_stack_mode(settings: Any, monkeypatch: pytest.MonkeyPatch) -> None:
    settings.EMBEDDED_TIMERS = False
    settings.CELERY_BEAT_SCHEDULE = {"fast": {"task": "games.tasks.sweep_deadlines", "schedule": 0.01}}
    calls: list[str] = []
    monkeypatch.setattr(lifespan, "run_task", calls.append)
    async with Lifespan():
        await asyncio.sleep(0.1)
    assert calls == []


@pytest.mark.django_db
def test_run_task_runs_the_registered_task(eager_celery: Any) -> None:
    lifespan.run_task("games.tasks.sweep_deadlines")
