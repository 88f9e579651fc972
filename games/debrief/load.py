"""The only reader of the database in the debrief: a class's log (`ClassLog`) in a handful of queries."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable
from fractions import Fraction

from games.crisis.game import ROLES
from games.debrief.class_log import ClassLog, EventLog, ParticipantLog, RoundLog, StageLog
from games.models import ClassSession, Event, LectureFigure, Poll, PollAnswer, Round
from games.vocabulary.formats import iso_utc


def load_class(class_session: ClassSession, *, round_ids: Iterable[int] | None = None) -> ClassLog:
    """The log of a `ClassSession` (optionally only some rounds): four queries, all events in one."""
    people = {
        str(p["id"]): ParticipantLog(str(p["id"]), p["name"], p["is_bot"])
        for p in class_session.participants.order_by("joined", "id").values("id", "name", "is_bot")
    }
    rounds = Round.objects.filter(class_session=class_session)
    events = Event.objects.filter(round__class_session=class_session)
    if round_ids is not None:
        ids = list(round_ids)
        rounds, events = rounds.filter(pk__in=ids), events.filter(round_id__in=ids)
    by_round: dict[int, list[EventLog]] = defaultdict(list)
    for e in events.order_by("round_id", "seq").values(
        "round_id", "seq", "kind", "node", "role", "action", "participant_id", "move_id", "payload", "created"
    ):
        by_round[e["round_id"]].append(
            EventLog(
                seq=e["seq"],
                kind=e["kind"],
                node=e["node"],
                role=e["role"],
                action=e["action"],
                participant=str(e["participant_id"]) if e["participant_id"] else None,
                move_id=e["move_id"],
                payload=e["payload"] or {},
                created=iso_utc(e["created"]),
            )
        )
    logs = []
    for r in rounds.order_by("number", "group__number").values(
        "id",
        "number",
        "group__number",
        "prior",
        "us_type",
        "seed",
        "japan_id",
        "us_id",
        "challenger_id",
        "status",
        "reputation",
        "started",
        "finished",
        "scenario__slug",
    ):
        logs.append(
            RoundLog(
                id=r["id"],
                number=r["number"],
                group=r["group__number"],
                prior=Fraction(r["prior"]),
                us_type=r["us_type"],
                seed=r["seed"],
                seats={role: str(r[f"{role}_id"]) for role in ROLES},
                status=r["status"],
                events=tuple(by_round.get(r["id"], ())),
                reputation=r["reputation"],
                started=iso_utc(r["started"]),
                finished=iso_utc(r["finished"]),
                # rounds played before classes had stages ran the class's own scenario
                scenario=r["scenario__slug"] or meta_scenario(class_session),
            )
        )
    meta = {
        "scenario": class_session.scenario.slug if class_session.scenario_id else None,
        "scenario_name_en": class_session.scenario.name_en if class_session.scenario_id else None,
        "scenario_name_ja": class_session.scenario.name_ja if class_session.scenario_id else None,
        "rounds": class_session.rounds,
        "matching": class_session.matching,
        "status": class_session.status,
        "seed": class_session.seed,
        "debrief_released": class_session.debrief_released,
        "created": iso_utc(class_session.created),
        "started": iso_utc(class_session.started),
        "finished": iso_utc(class_session.finished),
    }
    return ClassLog(
        code=class_session.code,
        params=dict(class_session.params),
        meta=meta,
        participants=people,
        rounds=tuple(logs),
        stages=stages_of(class_session),
    )


def meta_scenario(class_session: ClassSession) -> str | None:
    return class_session.scenario.slug if class_session.scenario_id else None


def stages_of(class_session: ClassSession) -> tuple[StageLog, ...]:
    """The class's stages, its own scenario first; () for a class of one scenario (one query)."""
    switches = list(class_session.stages.select_related("scenario").order_by("first_round"))
    if not switches:
        return ()
    own = class_session.scenario
    return (
        StageLog(1, own.slug, own.name_en, own.name_ja, dict(class_session.params)),
        *(
            StageLog(
                s.first_round,
                s.scenario.slug,
                s.scenario.name_en,
                s.scenario.name_ja,
                dict(s.params),
                s.fresh_reputation,
            )
            for s in switches
        ),
    )


def lecture_figures() -> dict[str, dict[str, object]]:
    """The instructor's lecture figures (admin: Lecture figures) by key, in the shape of
    `class_analysis.LECTURE_FIGURES`: the value, its source (the instructor's citation), whether checked."""
    return {
        figure.key: {"value": figure.value, "source": figure.citation, "verified": figure.verified}
        for figure in LectureFigure.objects.all()
    }


def polls_of(class_session: ClassSession) -> list[dict[str, object]]:
    """The class's "predict before the reveal" polls, oldest first, each with every answer (two queries)."""
    polls = list(Poll.objects.filter(class_session=class_session).order_by("round_number", "opened", "pk"))
    answers: dict[int, list[dict[str, object]]] = defaultdict(list)
    for a in (
        PollAnswer.objects.filter(poll__in=polls)
        .order_by("poll_id", "answered", "pk")
        .values("poll_id", "participant_id", "participant__name", "answer", "answered")
    ):
        answers[a["poll_id"]].append(
            {
                "participant": str(a["participant_id"]),
                "name": a["participant__name"],
                "answer": a["answer"],
                "answered": iso_utc(a["answered"]),
            }
        )
    return [
        {
            "id": poll.pk,
            "round": poll.round_number,
            "question": poll.question,
            "status": poll.status,
            "opened": iso_utc(poll.opened),
            "closed": iso_utc(poll.closed),
            "answers": answers[poll.pk],
        }
        for poll in polls
    ]
