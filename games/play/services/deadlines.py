"""What the clock decides: a bot's move, a stand-in for a student who left, a timeout's default, and the
next class round once the result has been shown. `sweep` is the periodic tick; every step is idempotent."""

from __future__ import annotations

import random
from datetime import datetime, timedelta
from fractions import Fraction

from django.db import transaction
from django.utils import timezone

from games.crisis import bots, game
from games.models import ClassSession, Event, Participant, Round
from games.play.round_state import benchmark_for, state_of
from games.play.services.moves import record
from games.play.services.seat_query import load_seats
from games.play.services.seating import schedule_decision, start_round


def apply_due(round_id: int, *, now: datetime | None = None, force: bool = False) -> bool:
    """Play whatever is due in this round (a bot, a stand-in, a timeout).  Exactly once: the round is
    locked and re-checked, so overlapping sweeps do nothing twice.  `force` applies the timeout now."""
    now = now or timezone.now()
    with transaction.atomic():
        rnd = next(iter(
            Round.objects.select_for_update(of=("self",)).select_related("group").filter(pk=round_id)[:1]
        ), None)  # fmt: skip
        if rnd is None or rnd.status != Round.Status.PLAYING:
            return False
        load_seats(rnd, None)  # the holder below, and the views pushed after commit
        class_session = ClassSession.objects.get(pk=rnd.class_session_id)
        if class_session.status != ClassSession.Status.RUNNING or class_session.current_round != rnd.number:
            return False
        if not force and (rnd.due_at is None or rnd.due_at > now):
            return False
        state = state_of(rnd, class_session)
        role = game.to_move(state)
        holder = getattr(rnd, role)  # loaded with the locked round
        kind = _due_kind(rnd, class_session, holder, now, force)
        if kind is None:
            schedule_decision(rnd, class_session, state, now, {holder.pk: holder})
            rnd.save(update_fields=["deadline", "due_at"])
            return False
        bench = benchmark_for(class_session, Fraction(rnd.prior), rnd.number)
        rng = random.Random(f"{rnd.seed}:{rnd.seq}:{kind}")
        strategy = class_session.bot_strategy if kind == Event.Kind.BOT else "equilibrium"
        action = bots.choose(strategy, state, role, bench, rng)
        payload = {"forced": True} if force else {}
        record(
            rnd,
            class_session,
            state,
            game.apply(state, action, role),
            kind,
            role,
            holder,
            now,
            payload=payload,
        )
    return True


def _due_kind(
    rnd: Round, class_session: ClassSession, holder: Participant, now: datetime, force: bool
) -> str | None:
    if holder.is_bot:
        return Event.Kind.BOT
    if force or (rnd.deadline is not None and rnd.deadline <= now):
        return Event.Kind.TIMEOUT
    if (
        holder.disconnected_at is not None
        and holder.disconnected_at + timedelta(seconds=class_session.grace_seconds) <= now
    ):
        return Event.Kind.STANDIN
    return None


def sweep(*, now: datetime | None = None) -> int:
    """The periodic tick: start due rounds, then apply every due decision.  Returns how many it applied."""
    now = now or timezone.now()
    done = 0
    for cls_id in ClassSession.objects.filter(
        status=ClassSession.Status.RUNNING, next_round_at__lte=now
    ).values_list("pk", flat=True):
        done += start_next_round(cls_id, now=now)
    due = (
        Round.objects.filter(
            status=Round.Status.PLAYING, due_at__lte=now, class_session__status=ClassSession.Status.RUNNING
        )
        .order_by("due_at")
        .values_list("pk", flat=True)[:500]
    )
    for round_id in due:
        while apply_due(round_id, now=now):  # bots may move several times in a row
            done += 1
    return done


def start_next_round(cls_id: int, *, now: datetime | None = None) -> int:
    """Start the next class round once its time has come (idempotent)."""
    now = now or timezone.now()
    with transaction.atomic():
        class_session = ClassSession.objects.select_for_update().get(pk=cls_id)
        if (
            class_session.status != ClassSession.Status.RUNNING
            or class_session.next_round_at is None
            or class_session.next_round_at > now
        ):
            return 0
        start_round(class_session, class_session.current_round + 1, now)
    return 1


def force_timeout(round_id: int, *, now: datetime | None = None) -> bool:
    """Instructor: a stalled group's decision gets its timeout default now."""
    return apply_due(round_id, now=now, force=True)
