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
    layer = get_channel_layer()
    if layer is None:
        return
    try:
        async_to_sync(layer.group_send)(group, message)
    except Exception:  # the channel layer is down: clients resync when it is back
        logger.warning("could not deliver to %s", group, exc_info=True)


def push_state(participant_id: Any, seq: int, view: dict[str, Any]) -> None:
    send(participant_group(participant_id), {"type": "state.push", "seq": seq, "view": view})


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
    for role in ("japan", "us", "challenger"):
        participant = getattr(rnd, role)
        if not participant.is_bot:
            push_state(participant.pk, *services.build_state(participant, cls, rnd))
    send(instructor_group(cls.code), {"type": "class.changed", "round": round_id})


def push_class(class_id: int) -> None:
    """A class-level change (lobby, start, round change, pause, release): every student's view."""
    from games import services
    from games.models import ClassSession

    cls = ClassSession.objects.filter(pk=class_id).first()
    if cls is None:
        return
    rounds = services.rounds_by_participant(cls)
    for participant in cls.participants.filter(is_bot=False):
        push_state(participant.pk, *services.build_state(participant, cls, rounds.get(participant.pk)))
    send(instructor_group(cls.code), {"type": "class.changed", "round": None})
