"""A move: checked (seat, turn, seq, move_id) and applied in one transaction, appended to the log, and the
round finished (reputation carried forward, crisis-model.md §4) when it reaches a terminal node. A batch
of moves (`submit_moves`) shares one transaction and writes its rows at its end (`writes`)."""

from __future__ import annotations

import logging
import random
import uuid
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime, timedelta
from fractions import Fraction
from typing import Any

from django.db import DatabaseError, IntegrityError, transaction
from django.utils import timezone

from games.crisis import game, reputation
from games.crisis.analysis import solution_at
from games.crisis.game import IllegalMove, State
from games.models import ClassSession, Event, Participant, Round
from games.play.participant_view import decode_seq
from games.play.round_state import benchmark_for, exact, round_params, snapshot, state_of
from games.play.services.errors import MoveRejected
from games.play.services.notify import bump_version, push_class_on_commit
from games.play.services.seat_query import (
    loaded_seats,
    lock_class,
    lock_seated_rounds,
    round_still_playing,
)
from games.play.services.seating import schedule_decision
from games.play.services.writes import BatchWrites, DeferredWrites, Writes

logger = logging.getLogger(__name__)


@dataclass(frozen=True)
class MoveResult:
    round_id: int
    seq: int
    duplicate: bool = False


def submit_move(
    participant_id: Any, action: str, move_id: str, seq: int, *, now: datetime | None = None
) -> MoveResult:
    """Apply a student's move: seat, turn, seq and move_id checked in one transaction."""
    with transaction.atomic():
        return _apply_move(participant_id, action, move_id, seq, now or timezone.now())


@dataclass(frozen=True)
class MoveRequest:
    """One move of a batch, as the student sent it."""

    participant_id: Any
    action: str
    move_id: str
    seq: int


@dataclass(frozen=True)
class MoveOutcome:
    """What became of one move of a batch: applied (`result`, maybe a duplicate), refused (`refusal`), or
    `failed` (an unexpected error confined to this move: its savepoint was rolled back)."""

    request: MoveRequest
    result: MoveResult | None = None
    refusal: MoveRejected | None = None
    failed: bool = False


def submit_moves(moves: Sequence[MoveRequest]) -> list[MoveOutcome]:
    """Apply a batch of moves in ONE transaction (one commit for all: docs/performance.md), in order, so
    that a refused or failing move leaves the others applied. The rounds the batch touches are locked and
    loaded (with their classes and seats) once, by `_load_rounds`; the rows the moves make are held in
    memory and written at the end, each kind in one statement (`DeferredWrites`). Should that write be
    refused (a move id used before in its round: only a client that reuses ids), the batch is applied
    again one move at a time, each in its savepoint. Raises only when the transaction itself cannot go
    on (the database is down); then nothing of the batch was applied."""
    try:
        return _submit_batch(moves, DeferredWrites())
    except IntegrityError:
        logger.warning("a batch of %d moves is applied again one by one (a move id used before)", len(moves))
        return _submit_batch(moves, BatchWrites())


def _submit_batch(moves: Sequence[MoveRequest], writes: BatchWrites) -> list[MoveOutcome]:
    with transaction.atomic():
        rounds = _load_rounds([move.participant_id for move in moves])
        if isinstance(writes, DeferredWrites):
            outcomes = [_submit_deferred(move, rounds, writes) for move in moves]
            writes.flush()
        else:
            outcomes = [_submit_in_savepoint(move, rounds, writes) for move in moves]
        # Last, and in id order: a class is locked only once the batch holds every round it will touch,
        # so two batches that both finish rounds of several classes never wait on each other in a cycle.
        for pk in sorted(writes.finished_classes):
            _close_class_round(writes.finished_classes[pk], timezone.now())
    return outcomes


def _load_rounds(participant_ids: Sequence[Any]) -> dict[str, Round]:
    """participant id -> the round of its class's current round it is seated in, locked and loaded with
    its class and seats (`seat_query.lock_seated_rounds`: two statements for the whole batch)."""
    return lock_seated_rounds({pid for pid in map(_uuid, participant_ids) if pid is not None})


def _uuid(value: Any) -> uuid.UUID | None:
    try:
        return value if isinstance(value, uuid.UUID) else uuid.UUID(str(value))
    except ValueError:
        return None


def _submit_deferred(move: MoveRequest, rounds: dict[str, Round], writes: DeferredWrites) -> MoveOutcome:
    """One move of a deferred batch: nothing is written yet, so a move that fails is undone in memory
    (`writes.move`) and needs no savepoint. A database error ends the batch (the transaction is lost)."""
    rnd = rounds.get(str(_uuid(move.participant_id)))
    try:
        with writes.move(rnd):
            result = _apply_move(
                move.participant_id, move.action, move.move_id, move.seq, timezone.now(), rnd, writes=writes
            )
        return MoveOutcome(move, result=result)
    except MoveRejected as exc:
        return MoveOutcome(move, refusal=exc)
    except DatabaseError:
        raise
    except Exception:
        logger.exception("move %s of %s failed; its batch goes on", move.move_id, move.participant_id)
        return MoveOutcome(move, failed=True)


def _submit_in_savepoint(move: MoveRequest, rounds: dict[str, Round], writes: BatchWrites) -> MoveOutcome:
    key = str(_uuid(move.participant_id))
    try:
        with transaction.atomic():
            result = _apply_move(
                move.participant_id, move.action, move.move_id, move.seq, timezone.now(), rounds.get(key),
                writes=writes,
            )  # fmt: skip
        return MoveOutcome(move, result=result)
    except MoveRejected as exc:
        if exc.code == "stale" and exc.__cause__ is not None:  # refused by the database mid-write
            _forget(rounds, key)
        return MoveOutcome(move, refusal=exc)
    except Exception:
        if transaction.get_connection().needs_rollback:  # the savepoint could not be rolled back either
            raise
        logger.exception("move %s of %s failed; its batch goes on", move.move_id, move.participant_id)
        _forget(rounds, key)
        return MoveOutcome(move, failed=True)


def _forget(rounds: dict[str, Round], key: str) -> None:
    """After a move rolled back mid-write, the objects in memory may hold what the database no longer
    does: every round of that class is read again, one move at a time, for the rest of the batch."""
    failed = rounds.get(key)
    if failed is None:
        return
    for pid in [pid for pid, rnd in rounds.items() if rnd.class_session_id == failed.class_session_id]:
        rounds[pid] = _LOAD  # type: ignore[assignment]


_LOAD: Any = object()  # `_apply_move` locks and loads the round itself


def _apply_move(
    participant_id: Any,
    action: str,
    move_id: str,
    seq: int,
    now: datetime,
    rnd: Round | None = _LOAD,
    *,
    writes: Writes | None = None,
) -> MoveResult:
    """The move's checks and writes, inside the caller's transaction (or savepoint). `rnd`: the round the
    participant is seated in, locked and loaded by the caller (None: not seated); else loaded here.
    `writes`: where its rows go (see `record`)."""
    if rnd is _LOAD:
        # The round (locked), its class read after the lock, its three seats: the move, the schedule and
        # the views pushed after commit need nothing else (docs/performance.md, "queries per move").
        rnd = _load_rounds([participant_id]).get(str(_uuid(participant_id)))
    participant = rnd and loaded_seats(rnd).get(_uuid(participant_id))
    if rnd is None or participant is None or participant.is_bot:
        raise MoveRejected(code="not_seated")
    # A retry of a move that was applied carries the seq it was made on, which the move itself made
    # stale; a move on the current seq cannot have been applied yet (if its id was used before, the
    # unique constraint refuses it below). So only a stale seq needs the look-up.
    if decode_seq(seq) != (rnd.number, rnd.seq) and _applied_before(rnd, move_id, writes):
        return MoveResult(rnd.pk, rnd.seq, duplicate=True)
    class_session = rnd.class_session
    if class_session.status != ClassSession.Status.RUNNING:
        raise MoveRejected(code="not_your_turn")
    role = rnd.seat_of(participant.pk)
    if decode_seq(seq) != (rnd.number, rnd.seq):
        raise MoveRejected(code="stale")
    state = state_of(rnd, class_session)
    if rnd.status != Round.Status.PLAYING:
        raise MoveRejected(code="not_your_turn")
    try:
        new_state = game.apply(state, action, role)
    except IllegalMove as exc:
        raise MoveRejected(code=exc.code) from exc
    record(
        rnd, class_session, state, new_state, Event.Kind.MOVE, role, participant, now, move_id=move_id,
        writes=writes,
    )  # fmt: skip
    return MoveResult(rnd.pk, rnd.seq)


def _applied_before(rnd: Round, move_id: str, writes: Writes | None) -> bool:
    if writes is not None and writes.has_move(rnd.pk, move_id):
        return True
    return rnd.events.filter(move_id=move_id).exists()


def record(
    rnd: Round,
    class_session: ClassSession,
    state: State,
    new_state: State,
    kind: str,
    role: str,
    participant: Participant | None,
    now: datetime,
    *,
    move_id: str | None = None,
    payload: dict[str, Any] | None = None,
    writes: Writes | None = None,
) -> None:
    """Append the event, update the snapshot and schedule, finish the round if it ended, push views.
    `writes` (default: at once) decides when the rows are written and whether a finished round's class
    is closed here or by the caller after the batch's other moves (`BatchWrites.hold_class`)."""
    writes = writes or Writes()
    action = new_state.history[len(state.history)].action
    payload = dict(payload or {})
    if new_state.ctype is not None and state.ctype is None:
        payload["challenger_type_drawn"] = new_state.ctype  # private: never in a student's view
    # No savepoint: every caller holds the round lock in its own transaction and lets MoveRejected out of
    # it, which rolls the whole transaction back (a savepoint cost two more round trips per move).
    writes.event(
        Event(
            round=rnd,
            seq=rnd.seq + 1,
            move_id=move_id,
            kind=kind,
            node=state.node,
            role=role,
            action=action,
            participant=participant,
            payload=payload,
        )
    )
    rnd.seq += 1
    rnd.node, rnd.state = new_state.node, snapshot(new_state)
    if kind in (Event.Kind.TIMEOUT, Event.Kind.STANDIN):
        by = "instructor" if payload.get("forced") else kind
        rnd.moved_for = [*rnd.moved_for, {"node": state.node, "role": role, "by": by}]
    if game.is_terminal(new_state):
        _finish_round(rnd, class_session, new_state, now, writes)
        if not writes.hold_class(class_session):
            _close_class_round(class_session, now, exclude=rnd.pk)
    else:
        schedule_decision(rnd, class_session, new_state, now, loaded_seats(rnd))
    writes.round(rnd, class_session, new_state)


def _finish_round(
    rnd: Round, class_session: ClassSession, state: State, now: datetime, writes: Writes
) -> None:
    """Close the round, add each student's payoff to their points, carry the reputation forward (§4)."""
    rnd.status, rnd.finished, rnd.deadline, rnd.due_at = Round.Status.FINISHED, now, None, None
    writes.points(_gains(rnd, game.payoffs(state)))
    params = round_params(class_session, Fraction(rnd.prior), rnd.number)
    solution = solution_at(benchmark_for(class_session, Fraction(rnd.prior), rnd.number), state)
    update = reputation.round_update(params, solution, state.history, prior=Fraction(rnd.prior))
    rnd.reputation = update.as_dict()
    rng = random.Random(f"{rnd.seed}:next-type")
    pi_next = min(
        max(Fraction(update.pi_next).limit_denominator(10**9), Fraction(1, 10**6)), 1 - Fraction(1, 10**6)
    )
    group = rnd.group
    group.prior = exact(pi_next)
    group.us_type = reputation.next_us_type(rnd.us_type, float(params.eta), float(params.base_prior), rng)
    writes.group(group)


def _close_class_round(class_session: ClassSession, now: datetime, *, exclude: int | None = None) -> None:
    """A round of the class has finished: move the class on if no other round of its class round is still
    playing. The last lock taken: rounds before their class. `exclude`: the round just finished, when it
    is saved finished only after this (excluding it saves an UPDATE per round)."""
    locked = lock_class(class_session.pk)  # hand-written SQL: the ORM's compiling cost ~1 ms a round
    if not round_still_playing(locked, exclude=exclude):
        _class_round_done(locked, now)
        # The caller's copy of the class goes into the views pushed after commit: keep it current.
        class_session.status, class_session.finished, class_session.next_round_at, class_session.version = (
            locked.status,
            locked.finished,
            locked.next_round_at,
            locked.version,
        )


def _gains(rnd: Round, payoffs: dict[str, Fraction]) -> dict[Any, float]:
    """Each seated student's payoff of the round (bots keep none), added to the seat holders in memory
    too (the views pushed after commit show them); the caller's `writes.points` adds them in the
    database."""
    gains = {}
    for role, payoff in payoffs.items():
        holder = getattr(rnd, role)
        if not holder.is_bot:
            holder.points += float(payoff)
            gains[holder.pk] = float(payoff)
    return gains


def _class_round_done(class_session: ClassSession, now: datetime) -> None:
    """Every group has finished this round: end the class after its last round; otherwise schedule the
    next round after the result (or, when the instructor sets the pace, wait for them)."""
    if class_session.current_round >= class_session.rounds:
        class_session.status, class_session.finished = ClassSession.Status.FINISHED, now
        class_session.save(update_fields=["status", "finished"])
    elif class_session.pace == ClassSession.Pace.AUTOMATIC:
        class_session.next_round_at = now + timedelta(seconds=class_session.result_seconds)
        class_session.save(update_fields=["next_round_at"])
    bump_version(class_session)
    push_class_on_commit(class_session)
