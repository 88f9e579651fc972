"""What one participant sees now: the `view` of a `state` frame (DESIGN.md, "The player protocol").

The read side of live play: built from the rows and the engine, never written. `broadcast` pushes these
views after a commit; the consumers send them on connect and on `sync`.
"""

from __future__ import annotations

from fractions import Fraction
from typing import Any

from django.db.models import Q

from games.crisis import debrief, views
from games.crisis.analysis import solution_at
from games.crisis.game import ROLES, State
from games.crisis.solver import Benchmark
from games.models import ClassSession, Participant, Round
from games.play.poll_view import student_poll
from games.play.round_state import benchmark_for, stage_of_round, state_of
from games.vocabulary.formats import iso_utc
from games.vocabulary.tones import tone

# A view's seq packs three counters so that it grows with every change a participant can see:
# | round number (from bit 40) | class version (20 bits) | the round's own seq (20 bits) |
ROUND_SHIFT = 40
FIELD_WIDTH = 20
FIELD_MASK = (1 << FIELD_WIDTH) - 1


def encode_seq(round_number: int, version: int, round_seq: int) -> int:
    return (round_number << ROUND_SHIFT) | ((version & FIELD_MASK) << FIELD_WIDTH) | (round_seq & FIELD_MASK)


def decode_seq(seq: int) -> tuple[int, int]:
    """(round number, round seq) of a view seq; the class-version part does not make a move stale."""
    return seq >> ROUND_SHIFT, seq & FIELD_MASK


def current_round_of(participant: Participant, class_session: ClassSession) -> Round | None:
    if class_session.current_round == 0:
        return None
    return (
        Round.objects.filter(class_session=class_session, number=class_session.current_round)
        .filter(Q(japan=participant) | Q(us=participant) | Q(challenger=participant))
        .first()
    )


def participant_state(participant_id: Any) -> tuple[int, dict[str, Any]]:
    """(seq, view) of one participant now: what `state` frames carry."""
    participant = Participant.objects.select_related("class_session").get(pk=participant_id)
    class_session = participant.class_session
    return build_state(participant, class_session, current_round_of(participant, class_session))


def build_state(
    participant: Participant,
    class_session: ClassSession,
    rnd: Round | None,
    state: State | None = None,
    lobby: dict[str, Any] | None = None,
    public: dict[str, Any] | None = None,
) -> tuple[int, dict[str, Any]]:
    """(seq, view) of `participant`; `state` (the round's engine state), `lobby` (`lobby_view`) and
    `public` (`round_public`) are what the caller already has, for pushes that build many views at once."""
    role = rnd.seat_of(participant.pk) if rnd else None
    view: dict[str, Any] = {
        "class": {
            "code": class_session.code,
            "status": class_session.status,
            "round": class_session.current_round,
            "rounds": class_session.rounds,
            "debrief_released": class_session.debrief_released,
            "next_round_at": iso_utc(class_session.next_round_at),
            "pace": class_session.pace,
            # the slug of the scenario the class plays now (a class may switch: ClassStage); the page has
            # each of the class's scenarios' names in its language (`play-data`)
            "scenario": stage_of_round(class_session, class_session.current_round).slug,
        },
        "you": {
            "id": str(participant.pk),
            "name": participant.name,
            "role": role,
            "group": rnd.group.number if rnd else None,
            "points": participant.points,
        },
    }
    if class_session.status == ClassSession.Status.LOBBY:
        view["lobby"] = lobby if lobby is not None else lobby_view(class_session)
    next_role = _next_role(participant, class_session)
    if next_role is not None:
        view["you"]["next_role"] = next_role
    poll = student_poll(participant.pk, class_session, rnd)  # a "predict before the reveal" poll
    if poll is not None:
        view["poll"] = poll
    if rnd is None or role is None:
        return encode_seq(class_session.current_round, class_session.version, 0), view
    view["round"] = round_view(rnd, class_session, role, state, public)
    return encode_seq(rnd.number, class_session.version, rnd.seq), view


LOBBY_NAMES = 60  # the lobby shows at most this many names (the latest joiners), and the full count


def lobby_view(class_session: ClassSession) -> dict[str, Any]:
    """Who has joined (count and the latest names) and how the class will start, for the lobby screen.
    One query while fewer than LOBBY_NAMES have joined."""
    students = class_session.participants.filter(is_bot=False)
    names = list(students.order_by("-joined", "-id").values_list("name", flat=True)[:LOBBY_NAMES])
    joined = len(names) if len(names) < LOBBY_NAMES else students.count()
    return {"joined": joined, "autostart": class_session.autostart, "names": names}


def _next_role(participant: Participant, class_session: ClassSession) -> str | None:
    """The role this student will play next round, when it is known in advance: fixed groups rotate the
    roles (`_fixed_seatings`), so after a round a seated student moves on to the next role in ROLES."""
    if (
        class_session.matching != ClassSession.Matching.FIXED_ROTATING
        or participant.slot is None
        or participant.home_group_id is None
        or not 0 < class_session.current_round < class_session.rounds
    ):
        return None
    return ROLES[(participant.slot + class_session.current_round) % 3]


def round_view(
    rnd: Round,
    class_session: ClassSession,
    role: str,
    state: State | None = None,
    public: dict[str, Any] | None = None,
) -> dict[str, Any]:
    state = state or state_of(rnd, class_session)
    bench = benchmark_for(class_session, Fraction(rnd.prior), rnd.number)
    out = views.view_for(
        state,
        role,
        show_benchmark_belief=class_session.show_benchmark_belief,
        solution=bench,
        public=public,
    )
    if class_session.status != ClassSession.Status.RUNNING:
        out["actions"] = []
    out.update(
        number=rnd.number,
        seq=rnd.seq,
        deadline=iso_utc(rnd.deadline),
        paused_remaining=rnd.paused_remaining,
        moved_for=rnd.moved_for,
        players={r: _seat_name(rnd, r) for r in ROLES},
    )
    if out.get("outcome"):
        out["outcome"]["tone"] = tone(out["outcome"]["label"])
        out.update(round_lesson(rnd, state, role, bench))
    if class_session.debrief_released and rnd.status == Round.Status.FINISHED:
        out["debrief"] = round_debrief(rnd, class_session, state)
    return out


def round_public(rnd: Round, class_session: ClassSession, state: State) -> dict[str, Any]:
    """The public part of the round's views (`views.public_info`): the same for every seat, so a push of
    the round's three views builds it once (it was a tenth of a worker's time: docs/performance.md)."""
    return views.public_info(
        state,
        show_benchmark_belief=class_session.show_benchmark_belief,
        solution=benchmark_for(class_session, Fraction(rnd.prior), rnd.number),
    )


def round_lesson(rnd: Round, state: State, role: str, bench: Benchmark) -> dict[str, Any]:
    """What the result card teaches with once the round is over: the US's public reputation before and
    after it (§4: it moved on what the US did, which everyone saw) and what theory's benchmark expected
    the student's role to get this round, before anyone moved (the reference for their payoff)."""
    expected = solution_at(bench, state).expected_payoffs
    return {
        "reputation": {"before": float(Fraction(rnd.prior)), **(rnd.reputation or {})},
        "expected_payoff": float(getattr(expected, role)),
    }


def round_debrief(rnd: Round, class_session: ClassSession, state: State | None = None) -> dict[str, Any]:
    state = state or state_of(rnd, class_session)
    bench = benchmark_for(class_session, Fraction(rnd.prior), rnd.number)
    students = {r for r in ROLES if not getattr(rnd, r).is_bot}
    report = debrief.classify(state, bench, students=students).as_dict()
    report["view"] = views.debrief_view(state, solution=bench)
    report["reputation"] = rnd.reputation
    return report


def _seat_name(rnd: Round, role: str) -> dict[str, Any]:
    p = getattr(rnd, role)
    return {"name": p.name, "bot": p.is_bot}


def rounds_by_participant(class_session: ClassSession) -> dict[Any, Round]:
    """The current round of every seated participant, in one query."""
    if class_session.current_round == 0:
        return {}
    out: dict[Any, Round] = {}
    rounds = Round.objects.filter(
        class_session=class_session, number=class_session.current_round
    ).select_related("group", "japan", "us", "challenger")
    for rnd in rounds:
        for role in ROLES:
            out[getattr(rnd, f"{role}_id")] = rnd
    return out
