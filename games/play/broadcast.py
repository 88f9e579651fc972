"""Sending views to clients after a transaction has committed (never before: Zulip's rule).

Every student gets their own view through their own group; nothing shared is rebroadcast. The views are
built by `participant_view`; `games.realtime.publish` carries them.
"""

from __future__ import annotations

from typing import Any

from games.models import ClassSession, Round
from games.play import participant_view, protocol, round_state
from games.realtime.groups import instructor_group, participant_group
from games.realtime.publish import batch, flush, send, send_all

__all__ = [
    "batch", "push_class", "push_error", "push_round", "push_round_views", "push_state", "state_message",
]  # fmt: skip


def state_message(participant_id: Any, seq: int, view: dict[str, Any]) -> tuple[str, dict[str, Any]]:
    """The push of a state frame, encoded here (in the worker) so that the ASGI process, which carries
    every socket on one event loop, only compares the seq and writes the text (docs/performance.md)."""
    return participant_group(participant_id), {
        "type": "state.push",
        "seq": seq,
        "frame": protocol.state_frame(seq, view),
    }


def push_state(participant_id: Any, seq: int, view: dict[str, Any]) -> None:
    send(*state_message(participant_id, seq, view))


def push_error(participant_id: Any, code: str, message: str, ref: str | None) -> None:
    send(
        participant_group(participant_id),
        {"type": "error.push", "code": code, "message": message, "ref": ref},
    )


def push_round(round_id: int) -> None:
    """Each student seated in the round gets their own view; staff get a summary."""
    rnd = (
        Round.objects.select_related("class_session", "group", "japan", "us", "challenger")
        .filter(pk=round_id)
        .first()
    )
    if rnd is None:
        return
    push_round_views(rnd, rnd.class_session, round_state.state_of(rnd, rnd.class_session))


def push_round_views(rnd: Any, class_session: Any, state: Any) -> None:
    """`push_round` from objects in memory (the move's own transaction, just committed): no query when
    the round was loaded with its group and seats."""
    students = [p for p in (rnd.japan, rnd.us, rnd.challenger) if not p.is_bot]
    public = participant_view.round_public(rnd, class_session, state) if students else None
    messages = []
    for student in students:
        seq, view = participant_view.build_state(student, class_session, rnd, state, public=public)
        messages.append(state_message(student.pk, seq, view))
    messages.append((instructor_group(class_session.code), {"type": "class.changed", "round": rnd.pk}))
    send_all(messages)


def push_class(class_id: int) -> None:
    """A class-level change (lobby, start, round change, pause, release): every student's view. What a
    batch holds already (the views of the move that ended the class round) goes first: building every
    student's view takes a while (about 0.15 ms each)."""
    flush()
    class_session = ClassSession.objects.filter(pk=class_id).first()
    if class_session is None:
        return
    rounds = participant_view.rounds_by_participant(class_session)
    # Shared by every view of this push: the lobby (one query, not one per student) and each round's
    # engine state (parsed once, not once per seat).
    lobby = (
        participant_view.lobby_view(class_session)
        if class_session.status == ClassSession.Status.LOBBY
        else None
    )
    states = {
        rnd.pk: round_state.state_of(rnd, class_session)
        for rnd in {id(r): r for r in rounds.values()}.values()
    }
    publics: dict[int, dict[str, Any]] = {}  # each round's public part, built for its first student
    messages = []
    for participant in class_session.participants.filter(is_bot=False):
        rnd = rounds.get(participant.pk)
        state = states.get(rnd.pk) if rnd else None
        if rnd is not None and rnd.pk not in publics:
            publics[rnd.pk] = participant_view.round_public(rnd, class_session, states[rnd.pk])
        public = publics.get(rnd.pk) if rnd else None
        seq, view = participant_view.build_state(participant, class_session, rnd, state, lobby, public)
        messages.append(state_message(participant.pk, seq, view))
    messages.append((instructor_group(class_session.code), {"type": "class.changed", "round": None}))
    send_all(messages)
