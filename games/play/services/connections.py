"""A student's socket came or went: a student who leaves during their turn gets a stand-in bot after the
class's grace period."""

from __future__ import annotations

from datetime import datetime, timedelta
from typing import Any

from django.db import transaction
from django.db.models import Q
from django.utils import timezone

from games.crisis import game
from games.models import ClassSession, Participant, Round
from games.play.round_state import state_of


def participant_connected(participant_id: Any, *, now: datetime | None = None) -> None:
    now = now or timezone.now()
    Participant.objects.filter(pk=participant_id).update(last_seen=now, disconnected_at=None)


def participant_disconnected(participant_id: Any, *, now: datetime | None = None) -> None:
    """Mark the student as gone; if it is their turn, a stand-in bot plays after the grace period."""
    now = now or timezone.now()
    with transaction.atomic():
        updated = Participant.objects.filter(pk=participant_id, is_bot=False).update(
            disconnected_at=now, last_seen=now
        )
        if not updated:
            return
        participant = Participant.objects.select_related("class_session").get(pk=participant_id)
        class_session = participant.class_session
        for rnd in _current_rounds(class_session, participant).select_for_update():
            state = state_of(rnd, class_session)
            role = game.to_move(state)
            if role and getattr(rnd, f"{role}_id") == participant.pk and rnd.deadline:
                rnd.due_at = min(rnd.deadline, now + timedelta(seconds=class_session.grace_seconds))
                rnd.save(update_fields=["due_at"])


def _current_rounds(class_session: ClassSession, participant: Participant):
    return Round.objects.filter(
        class_session=class_session, number=class_session.current_round, status=Round.Status.PLAYING
    ).filter(Q(japan=participant) | Q(us=participant) | Q(challenger=participant))
