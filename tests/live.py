"""Helpers for driving a class through `games.play.services`, as the consumers and tasks do."""

from __future__ import annotations

from datetime import datetime, timedelta
from typing import Any

from django.utils import timezone

from games.models import ClassSession, Participant, Scenario
from games.play import participant_view, services


def make_class(
    scenario: Scenario | None = None, *, students: int = 3, **options: Any
) -> tuple[ClassSession, list[Participant]]:
    scenario = scenario or Scenario.objects.get(slug="baseline")
    options.setdefault("bot_seconds", 0)
    class_session = services.create_class(scenario, **options)
    people = [
        services.join_class(class_session.code, f"Student {i + 1}", f"browser-{class_session.code}-{i}")
        for i in range(students)
    ]
    return class_session, people


def state(participant: Participant) -> tuple[int, dict[str, Any]]:
    return participant_view.participant_state(participant.pk)


def mover(people: list[Participant]) -> tuple[Participant, int, dict[str, Any]] | None:
    """The first student whose turn it is, with the seq and view they act on."""
    for person in people:
        seq, view = state(person)
        if view.get("round") and view["round"]["actions"]:
            return person, seq, view
    return None


def play_first_actions(
    class_session: ClassSession,
    people: list[Participant],
    *,
    now: datetime | None = None,
    choose=None,
    limit: int = 500,
) -> datetime:
    """Play the class to the end: students take `choose(view)` (default: the first legal action), bots and
    the round clock run through `services.sweep`.  Returns the simulated clock at the end."""
    now = now or timezone.now()
    for step in range(limit):
        turn = mover(people)
        if turn is not None:
            person, seq, view = turn
            action = choose(view) if choose else view["round"]["actions"][0]
            services.submit_move(person.pk, action, f"m-{person.pk}-{step}", seq, now=now)
            continue
        class_session.refresh_from_db()
        if class_session.status == ClassSession.Status.FINISHED:
            return now
        if class_session.next_round_at is not None:
            now = max(now, class_session.next_round_at)
        if services.sweep(now=now) == 0 and class_session.next_round_at is None:
            now += timedelta(seconds=1)
    raise AssertionError("the class did not finish")
