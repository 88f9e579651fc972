"""Celery tasks: thin and idempotent wrappers around `games.play.services` (DESIGN.md "Layers").

Every task may run twice (acks_late + reject_on_worker_lost re-deliver a task whose worker died), so each
one is safe to repeat: a move is keyed by its `move_id`, a due decision is re-checked under the round lock.
"""

from __future__ import annotations

import logging
import uuid
from typing import Any

from celery import shared_task
from django.db import Error as DatabaseError

from games.play import broadcast, participant_view, protocol, services

logger = logging.getLogger(__name__)


@shared_task(name="games.tasks.resolve_move", ignore_result=True)
def resolve_move(participant_id: str, action: str, move_id: str, seq: int) -> None:
    """Resolve one student move; a refusal goes back to that student as an `error` frame. Never raises:
    whatever the broker delivers, the task answers, refuses or logs (a raise would only be logged by
    Celery, and the student would hear nothing)."""
    try:  # a str (what Celery delivers) or a UUID
        participant_id = (
            str(uuid.UUID(str(participant_id))) if isinstance(participant_id, (str, uuid.UUID)) else ""
        )
    except ValueError:
        participant_id = ""
    if not participant_id:  # not a participant id at all: nobody to answer
        logger.warning("resolve_move for something that is not a participant id; dropped")
        return
    try:
        protocol.move_frame(action, move_id, seq)
    except protocol.BadFrame as exc:  # the consumer checks this too; a task published by other means
        broadcast.push_error(participant_id, exc.code, exc.message, exc.ref)
        return
    try:
        result = services.submit_move(participant_id, action, move_id, seq)
    except services.MoveRejected as exc:
        broadcast.push_error(participant_id, exc.code, exc.message, move_id)
        if exc.code == "stale":
            push_current_state(participant_id)
        return
    except DatabaseError:
        logger.warning("database unavailable while resolving %s", move_id, exc_info=True)
        broadcast.push_error(
            participant_id,
            "unavailable",
            "The server cannot record moves right now; try again in a moment.",
            move_id,
        )
        return
    except Exception:  # a bug must not look like silence to the student: log it, and say so
        logger.exception("resolving move %s of %s failed", move_id, participant_id)
        broadcast.push_error(
            participant_id, "unavailable", "The server could not take this move; try again.", move_id
        )
        return
    if result.duplicate:  # already applied (a retry or a second tab): the client just needs the state
        push_current_state(participant_id)


def push_current_state(participant_id: Any) -> None:
    try:
        broadcast.push_state(participant_id, *participant_view.participant_state(participant_id))
    except Exception:  # best effort: the client can always `sync`
        logger.warning("could not push the state of %s", participant_id, exc_info=True)


@shared_task(name="games.tasks.sweep_deadlines", ignore_result=True)
def sweep_deadlines() -> int:
    """Start due rounds and apply due decisions (timeouts, bots, stand-ins); returns how many."""
    return services.sweep()


@shared_task(name="games.tasks.apply_due", ignore_result=True)
def apply_due(round_id: int) -> bool:
    return services.apply_due(round_id)
