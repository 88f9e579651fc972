"""Sending views to clients after a transaction has committed (never before: Zulip's rule).

Every student gets their own view through their own group; nothing shared is rebroadcast.  Delivery
over the channel layer is at most once, so a failure here is logged, not raised: the database already
holds the truth and clients resync (`sync`) after any reconnect or `seq` gap.
"""

from __future__ import annotations

import logging
from typing import Any

from asgiref.sync import async_to_sync
from channels.layers import get_channel_layer

from games.groups import instructor_group, participant_group

logger = logging.getLogger(__name__)


def send(group: str, message: dict[str, Any]) -> None:
    send_all([(group, message)])


def send_all(messages: list[tuple[str, dict[str, Any]]]) -> None:
    """Deliver (group, message) pairs in ONE `async_to_sync` call. From a thread without an event loop (a
    Celery worker) every call makes a new loop, and the pub/sub layer a new Redis connection for that
    loop: measured 5.7 ms per message sent one call each, 0.13 ms per message sent in one call."""
    layer = get_channel_layer()
    if layer is None or not messages:
        return

    async def deliver() -> None:
        for group, message in messages:
            try:
                await layer.group_send(group, message)
            except Exception:  # the channel layer is down: clients resync when it is back
                logger.warning("could not deliver to %s", group, exc_info=True)

    try:
        async_to_sync(deliver)()
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


def push_class(class_id: int) -> None:
    """A class-level change (lobby, start, round change, pause, release): every student's view."""
    from games import services
    from games.models import ClassSession

    cls = ClassSession.objects.filter(pk=class_id).first()
    if cls is None:
        return
    rounds = services.rounds_by_participant(cls)
    messages = [
        state_message(participant.pk, *services.build_state(participant, cls, rounds.get(participant.pk)))
        for participant in cls.participants.filter(is_bot=False)
    ]
    messages.append((instructor_group(cls.code), {"type": "class.changed", "round": None}))
    send_all(messages)
