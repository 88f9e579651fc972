"""A class's life: created from a scenario, joined, started, paused, resumed, ended, its debrief released."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext_lazy

from games.crisis.params import InvalidParams
from games.models import ClassSession, ClassStage, Participant, Round, Scenario, new_join_code
from games.play.round_state import forget_stage_plan, state_of
from games.play.services.errors import JoinError, ServiceError
from games.play.services.notify import bump_version, push_class_on_commit
from games.play.services.seating import schedule_decision, start_round
from games.vocabulary import join_code

MAX_NAME_LENGTH = 40


@dataclass(frozen=True)
class StageSpec:
    """A switch of scenario within a class: from round `first_round` on, play `scenario`."""

    scenario: Scenario
    first_round: int
    fresh_reputation: bool = True


STAGE_ERRORS = {
    "stage_round": gettext_lazy(
        "A switch of scenario must come at a round from 2 to %(rounds)s (the last), not at round %(round)s."
    ),
    "stage_order": gettext_lazy(
        "Switches of scenario must come at increasing rounds: %(round)s is not after %(previous)s."
    ),
    "stage_params": gettext_lazy("The scenario “%(scenario)s” has invalid parameters."),
}


def stage_errors(rounds: int, stages: Sequence[StageSpec]) -> list[list[ValidationError]]:
    """For each switch, what is wrong with it (codes of STAGE_ERRORS): its round must be within 2..rounds
    and after the switch before it, its scenario's parameters valid."""
    out = []
    previous = 1
    for stage in stages:
        errors = []
        if not 2 <= stage.first_round <= rounds:
            errors.append(
                ValidationError(
                    STAGE_ERRORS["stage_round"],
                    code="stage_round",
                    params={"round": stage.first_round, "rounds": rounds},
                )
            )
        elif stage.first_round <= previous:
            errors.append(
                ValidationError(
                    STAGE_ERRORS["stage_order"],
                    code="stage_order",
                    params={"round": stage.first_round, "previous": previous},
                )
            )
        previous = max(previous, stage.first_round)
        try:
            stage.scenario.engine_params()
        except InvalidParams:
            errors.append(
                ValidationError(
                    STAGE_ERRORS["stage_params"],
                    code="stage_params",
                    params={"scenario": stage.scenario.slug},
                )
            )
        out.append(errors)
    return out


def check_stages(rounds: int, stages: Sequence[StageSpec]) -> None:
    """Raise a ValidationError (one message per problem) unless every switch is right (`stage_errors`)."""
    errors = [error for problems in stage_errors(rounds, stages) for error in problems]
    if errors:
        raise ValidationError(errors)


def create_class(
    scenario: Scenario,
    *,
    rounds: int = 3,
    code: str | None = None,
    autostart: int | None = None,
    created_by: Any = None,
    stages: Sequence[StageSpec] = (),
    **options: Any,
) -> ClassSession:
    """A class in the lobby, with a snapshot of the scenario's parameters (validated here), and its
    switches of scenario (`stages`, checked by `check_stages`) made in the same transaction."""
    scenario.engine_params()  # raises InvalidParams on a broken scenario
    check_stages(rounds, stages)
    options.setdefault("decision_seconds", scenario.decision_seconds)
    class_session = ClassSession(
        scenario=scenario,
        rounds=rounds,
        autostart=autostart,
        created_by=created_by,
        params=dict(scenario.params),
        **options,
    )
    if code:
        class_session.code = join_code.normalise(code)
    class_session.full_clean(exclude=["created_by"])
    with transaction.atomic():
        class_session.save()
        for stage in stages:
            ClassStage.objects.create(
                class_session=class_session,
                first_round=stage.first_round,
                scenario=stage.scenario,
                params=dict(stage.scenario.params),
                fresh_reputation=stage.fresh_reputation,
            )
    forget_stage_plan(class_session)
    return class_session


def normalise_code(code: Any) -> str:
    """A join code as typed, normalised (games.vocabulary.join_code); anything else is `bad_code`."""
    cleaned = join_code.normalise(code) if isinstance(code, str) else ""
    if not join_code.is_valid(cleaned):  # also keeps NUL, which cannot even reach PostgreSQL, out
        raise JoinError(code="bad_code", status=400)
    return cleaned


def normalise_name(name: Any) -> str:
    if not isinstance(name, str):
        raise JoinError(code="bad_name", status=400, max_length=MAX_NAME_LENGTH)
    cleaned = " ".join(name.split())
    if not cleaned:
        raise JoinError(code="bad_name", status=400, max_length=MAX_NAME_LENGTH)
    if len(cleaned) > MAX_NAME_LENGTH:
        raise JoinError(code="bad_name", status=400, max_length=MAX_NAME_LENGTH)
    if any(not ch.isprintable() for ch in cleaned):
        raise JoinError(code="bad_name", status=400, max_length=MAX_NAME_LENGTH)
    return cleaned


def join_class(code: Any, name: Any, session_key: str) -> Participant:
    """The browser's participant in that class: the same one again if this browser already joined."""
    code, name = normalise_code(code), normalise_name(name)
    with transaction.atomic():
        class_session = ClassSession.objects.select_for_update().filter(code=code).first()
        if class_session is None:
            raise JoinError(code="not_found", status=404)
        existing = (
            class_session.participants.filter(session_key=session_key, is_bot=False).first()
            if session_key
            else None
        )
        if existing is not None:
            if existing.name != name:
                existing.name = name
                existing.save(update_fields=["name"])
            return existing
        if class_session.status == ClassSession.Status.FINISHED:
            raise JoinError(code="closed", status=409)
        if class_session.participants.filter(is_bot=False).count() >= class_session.max_students:
            raise JoinError(code="full", status=409)
        participant = Participant.objects.create(
            class_session=class_session, name=name, session_key=session_key
        )
        bump_version(class_session)
        humans = class_session.participants.filter(is_bot=False).count()
        if (
            class_session.status == ClassSession.Status.LOBBY
            and class_session.autostart
            and humans >= class_session.autostart
        ):
            start_first_round(class_session, timezone.now())
        else:
            push_class_on_commit(class_session)
    return participant


def start_class(code: str, *, now: datetime | None = None) -> ClassSession:
    """Group the students, fill empty seats, and start round 1."""
    now = now or timezone.now()
    with transaction.atomic():
        class_session = ClassSession.objects.select_for_update().get(code=normalise_code(code))
        if class_session.status != ClassSession.Status.LOBBY:
            raise ServiceError(code="already_started", status=409)
        start_first_round(class_session, now)
    return class_session


def start_first_round(class_session: ClassSession, now: datetime) -> None:
    humans = list(class_session.participants.filter(is_bot=False).order_by("joined", "id"))
    if not humans and not class_session.bots_fill:
        raise ServiceError(code="empty", status=409)
    class_session.status, class_session.started = ClassSession.Status.RUNNING, now
    class_session.save(update_fields=["status", "started"])
    start_round(class_session, 1, now)


def _lock_playing_rounds_and_class(code: str) -> tuple[list[Round], ClassSession]:
    """Lock the class's rounds in play, then the class (the order every writer takes: rounds first)."""
    playing = list(
        Round.objects.select_for_update()
        .filter(class_session__code=code, status=Round.Status.PLAYING)
        .order_by("pk")
    )
    return playing, ClassSession.objects.select_for_update().get(code=code)


def pause_class(code: str, *, now: datetime | None = None) -> ClassSession:
    """Stop the clocks: each round keeps the time that was left."""
    now = now or timezone.now()
    with transaction.atomic():
        playing, class_session = _lock_playing_rounds_and_class(code)
        if class_session.status != ClassSession.Status.RUNNING:
            raise ServiceError(code="not_running", status=409)
        for rnd in playing:
            rnd.paused_remaining = (rnd.deadline - now).total_seconds() if rnd.deadline else None
            rnd.deadline = rnd.due_at = None
        Round.objects.bulk_update(playing, ["paused_remaining", "deadline", "due_at"])
        class_session.status = ClassSession.Status.PAUSED
        if class_session.next_round_at is not None:
            class_session.next_round_at = None
        class_session.save(update_fields=["status", "next_round_at"])
        bump_version(class_session)
        push_class_on_commit(class_session)
    return class_session


def resume_class(code: str, *, now: datetime | None = None) -> ClassSession:
    now = now or timezone.now()
    with transaction.atomic():
        playing, class_session = _lock_playing_rounds_and_class(code)
        if class_session.status != ClassSession.Status.PAUSED:
            raise ServiceError(code="not_paused", status=409)
        class_session.status = ClassSession.Status.RUNNING
        class_session.save(update_fields=["status"])
        for rnd in playing:
            schedule_decision(rnd, class_session, state_of(rnd, class_session), now)
            if rnd.paused_remaining is not None and rnd.deadline is not None:
                rnd.deadline = now + timedelta(seconds=max(rnd.paused_remaining, 0))
                rnd.due_at = min(rnd.due_at, rnd.deadline) if rnd.due_at else rnd.deadline
            rnd.paused_remaining = None
        Round.objects.bulk_update(playing, ["paused_remaining", "deadline", "due_at"])
        if (
            not any(r.number == class_session.current_round for r in playing)
            and class_session.current_round < class_session.rounds
            and class_session.pace == ClassSession.Pace.AUTOMATIC
        ):
            class_session.next_round_at = now
            class_session.save(update_fields=["next_round_at"])
        bump_version(class_session)
        push_class_on_commit(class_session)
    return class_session


def end_class(code: str, *, now: datetime | None = None) -> ClassSession:
    now = now or timezone.now()
    with transaction.atomic():
        Round.objects.filter(class_session__code=code, status=Round.Status.PLAYING).update(
            deadline=None, due_at=None
        )
        class_session = ClassSession.objects.select_for_update().get(code=code)
        if class_session.status == ClassSession.Status.FINISHED:
            raise ServiceError(code="already_ended", status=409)
        class_session.status, class_session.finished, class_session.next_round_at = (
            ClassSession.Status.FINISHED,
            now,
            None,
        )
        class_session.save(update_fields=["status", "finished", "next_round_at"])
        bump_version(class_session)
        push_class_on_commit(class_session)
    return class_session


def release_debrief(code: str) -> ClassSession:
    with transaction.atomic():
        class_session = ClassSession.objects.select_for_update().get(code=code)
        class_session.debrief_released = True
        class_session.save(update_fields=["debrief_released"])
        bump_version(class_session)
        push_class_on_commit(class_session)
    return class_session


def next_round_now(code: str, *, now: datetime | None = None) -> ClassSession:
    """The instructor starts the next round now, once every group has finished the current one."""
    now = now or timezone.now()
    with transaction.atomic():
        playing, class_session = _lock_playing_rounds_and_class(code)
        if class_session.status != ClassSession.Status.RUNNING:
            raise ServiceError(code="not_running", status=409)
        if any(r.number == class_session.current_round for r in playing):
            raise ServiceError(code="round_not_over", status=409)
        if class_session.current_round >= class_session.rounds:
            raise ServiceError(code="last_round", status=409)
        start_round(class_session, class_session.current_round + 1, now)
    return class_session


def extend_result(code: str, seconds: int = 30) -> ClassSession:
    """More time on the result before the next round starts by itself."""
    with transaction.atomic():
        class_session = ClassSession.objects.select_for_update().get(code=code)
        if class_session.next_round_at is None:
            raise ServiceError(code="no_countdown", status=409)
        class_session.next_round_at += timedelta(seconds=seconds)
        class_session.save(update_fields=["next_round_at"])
        bump_version(class_session)
        push_class_on_commit(class_session)
    return class_session


def retire_code(code: str) -> str:
    """Give a finished class a fresh random code, so that its code can open a new class (the demo's)."""
    with transaction.atomic():
        class_session = ClassSession.objects.select_for_update().get(code=code)
        if class_session.status != ClassSession.Status.FINISHED:
            raise ServiceError(code="not_finished", status=409)
        class_session.code = _unused_code()
        class_session.save(update_fields=["code"])
    return class_session.code


def _unused_code() -> str:
    for _ in range(100):  # 32**6 codes: a clash is rare, a hundred in a row impossible in practice
        code = new_join_code()
        if not ClassSession.objects.filter(code=code).exists():
            return code
    raise RuntimeError("no unused join code found")
