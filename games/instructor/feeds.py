"""What the instructor's dashboard and the projector show of a class, as JSON-ready dicts (read only).

Two audiences, two functions:

* `dashboard_snapshot` is for staff: every group with its node, whose turn it is, the deadline, the public
  history, the outcome, who holds each seat (bot or student, connected or not) and, because staff may see
  it, the US's type.
* `projector_snapshot` is shown on the classroom screen: only counts (how many groups are at which node,
  how many rounds ended in which outcome) and the class's progress; once the class has ended, the
  discussion questions of the class debrief too (`discussion`). It holds no name, no group and no private
  information, so nothing on the screen can tell a student another player's type.

Both are rebuilt from the database on every call; the dashboards refetch them whenever the instructor
socket says the class changed.
"""

from __future__ import annotations

from collections import Counter
from datetime import datetime
from fractions import Fraction
from typing import Any

from django.db.models import Count, Q
from django.utils import timezone

from games.crisis.debrief import OUTCOME_KEYS, primary_label
from games.crisis.game import MOVER, NODES, ROLES
from games.crisis.views import CHALLENGER_TYPE_NAMES, US_TYPE_NAMES
from games.instructor.polls import round_polls
from games.models import ClassSession, Participant, Round
from games.vocabulary.discussion import ClassFacts, class_questions, scenario_questions
from games.vocabulary.formats import iso_utc

LABELS = tuple(dict.fromkeys(key.partition("/")[0] for key in OUTCOME_KEYS))  # §5's primary labels, in order
MODULE_D_LABELS = frozenset(primary_label("DEF", a)[0] for a in (0, 1))  # only by preventive diplomacy


def is_connected(participant: Participant) -> bool:
    """A student with an open socket: connected at least once and not disconnected since.

    (`last_seen` is written when a socket opens or closes, not on every ping, so "recent" cannot be
    asked of it: an open socket an hour old is still connected.)"""
    return participant.last_seen is not None and participant.disconnected_at is None


def outcome_of(state: dict[str, Any]) -> dict[str, Any] | None:
    terminal = state.get("result")
    if not terminal:
        return None
    label, qualifier = primary_label(terminal, state.get("alliance") or 0)
    return {"terminal": terminal, "label": label, "qualifier": qualifier}


def outcome_counts(class_session: ClassSession) -> dict[str, dict[str, int]]:
    """Primary labels of every finished round: this class round and all rounds so far."""
    rows = Round.objects.filter(class_session=class_session, status=Round.Status.FINISHED).values_list(
        "number", "state__result", "state__alliance"
    )
    current: Counter[str] = Counter()
    every: Counter[str] = Counter()
    for number, terminal, alliance in rows:
        if not terminal:
            continue
        label = primary_label(terminal, alliance or 0)[0]
        every[label] += 1
        if number == class_session.current_round:
            current[label] += 1
    arf = bool((class_session.params or {}).get("arf"))
    labels = [label for label in LABELS if arf or label not in MODULE_D_LABELS]
    return {"current": {k: current[k] for k in labels}, "all": {k: every[k] for k in labels}}


def progress(class_session: ClassSession, current_rounds: list[Round]) -> dict[str, Any]:
    """Class rounds done out of the total, counting the current round by the share of groups finished."""
    total_groups = len(current_rounds)
    finished_groups = sum(1 for r in current_rounds if r.status == Round.Status.FINISHED)
    played = max(class_session.current_round - 1, 0)
    share = Fraction(finished_groups, total_groups) if total_groups else Fraction(0)
    done_rounds = played + (1 if total_groups and finished_groups == total_groups else 0)
    fraction = (played + share) / class_session.rounds if class_session.rounds else Fraction(0)
    return {
        "rounds_done": done_rounds,
        "rounds": class_session.rounds,
        "groups_finished": finished_groups,
        "groups": total_groups,
        "fraction": round(float(min(fraction, 1)), 4),
    }


def class_header(class_session: ClassSession, humans: int) -> dict[str, Any]:
    return {
        "code": class_session.code,
        "status": class_session.status,
        "round": class_session.current_round,
        "rounds": class_session.rounds,
        "joined": humans,
        "debrief_released": class_session.debrief_released,
        "next_round_at": iso_utc(class_session.next_round_at),
        "version": class_session.version,
        "pace": class_session.pace,
    }


# --------------------------------------------------------------------------------------------------
# Staff
# --------------------------------------------------------------------------------------------------


def _seat(participant: Participant) -> dict[str, Any]:
    return {
        "id": str(participant.pk),
        "name": participant.name,
        "bot": participant.is_bot,
        "connected": participant.is_bot or is_connected(participant),
        "seen": participant.is_bot or participant.last_seen is not None,  # False: never connected yet
    }


def round_entry(rnd: Round) -> dict[str, Any]:
    state = rnd.state or {}
    node = rnd.node
    to_move = MOVER.get(node) if rnd.status == Round.Status.PLAYING else None
    players = {role: _seat(getattr(rnd, role)) for role in ROLES}
    return {
        "id": rnd.pk,
        "number": rnd.number,
        "status": rnd.status,
        "node": node,
        "to_move": to_move,
        "to_move_player": players[to_move] if to_move else None,
        "deadline": iso_utc(rnd.deadline),
        "paused_remaining": rnd.paused_remaining,
        "history": state.get("history", []),
        "moved_for": rnd.moved_for,
        "alliance": state.get("alliance"),
        "armed": state.get("armed"),
        "outcome": outcome_of(state),
        "prior": float(Fraction(rnd.prior)),
        "us_type": US_TYPE_NAMES.get(rnd.us_type),
        "challenger_type": CHALLENGER_TYPE_NAMES.get(state.get("ctype") or ""),
        "players": players,
    }


def dashboard_snapshot(class_session: ClassSession, *, now: datetime | None = None) -> dict[str, Any]:
    """Everything staff see of a class now (private information included)."""
    now = now or timezone.now()
    participants = list(class_session.participants.order_by("is_bot", "joined", "id"))
    by_id = {p.pk: p for p in participants}
    current = (
        list(
            Round.objects.filter(class_session=class_session, number=class_session.current_round).order_by(
                "group__number"
            )
        )
        if class_session.current_round
        else []
    )
    for rnd in current:  # the seats, from the participants already loaded (no query per round)
        for role in ROLES:
            setattr(rnd, role, by_id[getattr(rnd, f"{role}_id")])
    rounds_by_group = {rnd.group_id: rnd for rnd in current}
    seat_of: dict[Any, tuple[int, str]] = {}
    groups = []
    for group in class_session.groups.order_by("number"):
        rnd = rounds_by_group.get(group.pk)
        entry = {
            "number": group.number,
            "us_type": US_TYPE_NAMES.get(group.us_type),
            "reputation": float(Fraction(group.prior)),
            "round": round_entry(rnd) if rnd else None,
        }
        groups.append(entry)
        if rnd:
            for role in ROLES:
                seat_of[getattr(rnd, f"{role}_id")] = (group.number, role)
    humans = [p for p in participants if not p.is_bot]
    return {
        "class": {
            **class_header(class_session, len(humans)),
            "scenario": {"slug": class_session.scenario.slug, "name": str(class_session.scenario)},
            "matching": class_session.matching,
            "decision_seconds": class_session.decision_seconds,
            "bots_fill": class_session.bots_fill,
            "bot_strategy": class_session.bot_strategy,
            "autostart": class_session.autostart,
            "max_students": class_session.max_students,
            "connected": sum(1 for p in humans if is_connected(p)),
            "bots": len(participants) - len(humans),
            "progress": progress(class_session, current),
        },
        "groups": groups,
        "participants": [
            {
                **_seat(p),
                "group": seat_of.get(p.pk, (None, None))[0],
                "role": seat_of.get(p.pk, (None, None))[1],
                "disconnected_at": iso_utc(p.disconnected_at),
            }
            for p in participants
        ],
        "outcomes": outcome_counts(class_session),
        "polls": round_polls(class_session, staff=True),
        "server_time": iso_utc(now),
    }


# --------------------------------------------------------------------------------------------------
# The classroom screen
# --------------------------------------------------------------------------------------------------


def projector_snapshot(class_session: ClassSession, *, now: datetime | None = None) -> dict[str, Any]:
    """Only public counts: nodes of the current round, outcomes, progress. No names, no types."""
    now = now or timezone.now()
    current = (
        list(
            Round.objects.filter(class_session=class_session, number=class_session.current_round).only(
                "node", "status"
            )
        )
        if class_session.current_round
        else []
    )
    at_node = Counter(rnd.node for rnd in current)
    humans = class_session.participants.aggregate(n=Count("pk", filter=Q(is_bot=False)))["n"]
    snapshot = {
        "class": {**class_header(class_session, humans), "progress": progress(class_session, current)},
        "nodes": [{"node": node, "count": at_node[node]} for node in NODES if at_node[node]],
        "outcomes": outcome_counts(class_session),
        "server_time": iso_utc(now),
    }
    if class_session.status == ClassSession.Status.FINISHED:
        snapshot["discussion"] = discussion(class_session)
    return snapshot


def discussion(class_session: ClassSession) -> dict[str, list[dict[str, str]]]:
    """The class debrief's discussion questions, in the active language: about what the class did (its
    finished rounds), then the scenario's own. Public: counts of outcomes and the scenario's words only."""
    rows = Round.objects.filter(class_session=class_session, status=Round.Status.FINISHED).values_list(
        "state__alliance", "state__result"
    )
    params = class_session.params or {}
    facts = ClassFacts.from_rounds(
        ((alliance, terminal) for alliance, terminal in rows if terminal),
        alliance_type=params.get("alliance_type", "defence_pact"),
        tripwire=bool(params.get("tripwire")),
    )
    return {
        "class": [q.as_dict() for q in class_questions(facts)],
        "scenario": [q.as_dict() for q in scenario_questions(class_session.scenario.questions)],
    }
