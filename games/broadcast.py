"""Sending views to clients after a transaction has committed (never before: Zulip's rule).

Every student gets their own view through their own group; nothing shared is rebroadcast.  Delivery
over the channel layer is at most once, so a failure here is logged, not raised: the database already
holds the truth and clients resync (`sync`) after any reconnect or `seq` gap.
"""

from __future__ import annotations

import asyncio
import logging
import os
import threading
from typing import Any

from asgiref.sync import SyncToAsync, async_to_sync
from channels.layers import InMemoryChannelLayer, get_channel_layer

from games.groups import instructor_group, participant_group

logger = logging.getLogger(__name__)

SEND_TIMEOUT = 10.0  # seconds a batch may take to reach the channel layer before we give up (and log)
# After a Redis restart a kept connection fails once ("Connection closed by server") and then reconnects:
# without another attempt that push was lost, and a student waited for an update that never came (found
# by the Redis drill, tests/drills). Against a Redis that is really down the attempts fail at once.
SEND_ATTEMPTS = 3


class _SenderLoop:
    """One event loop per process, in a daemon thread, for code that has no event loop of its own (a
    Celery worker). `async_to_sync` would make a new thread, a new loop and, in the pub/sub layer, a new
    Redis connection for every batch (measured: ~7 ms of CPU per push in a worker); this loop keeps one
    layer and its connection for the life of the process. Made lazily and again after a fork."""

    def __init__(self) -> None:
        self.lock = threading.Lock()
        self.loop: asyncio.AbstractEventLoop | None = None
        self.pid = 0

    def get(self) -> asyncio.AbstractEventLoop:
        with self.lock:
            if self.loop is None or self.pid != os.getpid() or not self.loop.is_running():
                loop = asyncio.new_event_loop()
                started = threading.Event()
                loop.call_soon(started.set)
                threading.Thread(target=loop.run_forever, name="broadcast-loop", daemon=True).start()
                started.wait(5)
                self.loop, self.pid = loop, os.getpid()
            return self.loop

    def run(self, coroutine: Any) -> None:
        future = asyncio.run_coroutine_threadsafe(coroutine, self.get())
        try:
            future.result(SEND_TIMEOUT)
        except TimeoutError:
            future.cancel()
            raise


_SENDER = _SenderLoop()


def _in_server_thread() -> bool:
    """True in a sync thread of an ASGI server (asgiref records the server's loop there, the way
    `async_to_sync` itself finds it): sending then runs on the server's own loop and connection."""
    return (
        getattr(SyncToAsync.threadlocal, "main_event_loop_pid", None) == os.getpid()
        and getattr(SyncToAsync.threadlocal, "main_event_loop", None) is not None
    )


def send(group: str, message: dict[str, Any]) -> None:
    send_all([(group, message)])


def send_all(messages: list[tuple[str, dict[str, Any]]]) -> None:
    """Deliver (group, message) pairs in ONE batch: on the ASGI server's loop when called from one of its
    threads, else (a Celery worker) on this process's own sender loop (`_SenderLoop`). The in-memory layer
    of embedded mode and tests keeps `async_to_sync`."""
    layer = get_channel_layer()
    if layer is None or not messages:
        return

    async def deliver() -> None:
        for group, message in messages:
            for attempt in range(1, SEND_ATTEMPTS + 1):
                try:
                    await layer.group_send(group, message)
                    break
                except Exception:  # the channel layer is down: clients resync when it is back
                    if attempt == SEND_ATTEMPTS:
                        logger.warning("could not deliver to %s", group, exc_info=True)

    try:
        if isinstance(layer, InMemoryChannelLayer) or _in_server_thread():
            async_to_sync(deliver)()
        else:
            _SENDER.run(deliver())
    except Exception:
        logger.warning("could not deliver %d message(s)", len(messages), exc_info=True)


def state_message(participant_id: Any, seq: int, view: dict[str, Any]) -> tuple[str, dict[str, Any]]:
    return participant_group(participant_id), {"type": "state.push", "seq": seq, "view": view}


def push_state(participant_id: Any, seq: int, view: dict[str, Any]) -> None:
    send(*state_message(participant_id, seq, view))


def push_error(participant_id: Any, code: str, message: str, ref: str | None) -> None:
    send(
        participant_group(participant_id),
        {"type": "error.push", "code": code, "message": message, "ref": ref},
    )


def push_round(round_id: int) -> None:
    """Each student seated in the round gets their own view; staff get a summary."""
    from games import services
    from games.models import Round

    rnd = (
        Round.objects.select_related("class_session", "group", "japan", "us", "challenger")
        .filter(pk=round_id)
        .first()
    )
    if rnd is None:
        return
    cls = rnd.class_session
    messages = [
        state_message(participant.pk, *services.build_state(participant, cls, rnd))
        for participant in (rnd.japan, rnd.us, rnd.challenger)
        if not participant.is_bot
    ]
    messages.append((instructor_group(cls.code), {"type": "class.changed", "round": round_id}))
    send_all(messages)


def push_round_views(rnd: Any, cls: Any, state: Any) -> None:
    """`push_round` from objects in memory (the move's own transaction, just committed): no query when
    the round was loaded with its group and seats."""
    from games import services

    messages = [
        state_message(participant.pk, *services.build_state(participant, cls, rnd, state))
        for participant in (rnd.japan, rnd.us, rnd.challenger)
        if not participant.is_bot
    ]
    messages.append((instructor_group(cls.code), {"type": "class.changed", "round": rnd.pk}))
    send_all(messages)


def push_class(class_id: int) -> None:
    """A class-level change (lobby, start, round change, pause, release): every student's view."""
    from games import services
    from games.models import ClassSession

    cls = ClassSession.objects.filter(pk=class_id).first()
    if cls is None:
        return
    rounds = services.rounds_by_participant(cls)
    # Shared by every view of this push: the lobby (one query, not one per student) and each round's
    # engine state (parsed once, not once per seat).
    lobby = services.lobby_view(cls) if cls.status == ClassSession.Status.LOBBY else None
    states = {rnd.pk: services.state_of(rnd, cls) for rnd in {id(r): r for r in rounds.values()}.values()}
    messages = []
    for participant in cls.participants.filter(is_bot=False):
        rnd = rounds.get(participant.pk)
        seq, view = services.build_state(participant, cls, rnd, states.get(rnd.pk) if rnd else None, lobby)
        messages.append(state_message(participant.pk, seq, view))
    messages.append((instructor_group(cls.code), {"type": "class.changed", "round": None}))
    send_all(messages)
