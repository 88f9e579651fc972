"""Celery tasks: thin and idempotent wrappers around `games.play.services` (DESIGN.md "Layers").

Every task may run twice (acks_late + reject_on_worker_lost re-deliver a task whose worker died), so each
one is safe to repeat: a move is keyed by its `move_id`, a due decision is re-checked under the round lock.

Moves are resolved in batches: `resolve_moves(shard)` drains one shard of `games.play.move_queue`, applies
what it took in one transaction (`services.submit_moves`) and publishes every resulting view in one
pipeline after the commit. `resolve_move` (one move, one task) stays for the `MOVE_QUEUE=task` mode and
for messages queued before an upgrade.
"""

from __future__ import annotations

import logging
import time
import uuid
from typing import Any

import redis
from celery import Task, shared_task
from django.db import Error as DatabaseError

from games.play import broadcast, move_queue, participant_view, protocol, services
from games.play.move_queue import QueuedMove
from games.vocabulary import errors

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
            participant_id, "unavailable", errors.in_english(errors.PLAY, "unavailable"), move_id
        )
        return
    except Exception:  # a bug must not look like silence to the student: log it, and say so
        logger.exception("resolving move %s of %s failed", move_id, participant_id)
        broadcast.push_error(
            participant_id, "unavailable", errors.in_english(errors.PLAY, "unavailable"), move_id
        )
        return
    if result.duplicate:  # already applied (a retry or a second tab): the client just needs the state
        push_current_state(participant_id)


@shared_task(name="games.tasks.resolve_moves", ignore_result=True, bind=True)
def resolve_moves(self: Task, shard: int) -> int:
    """Drain one shard of the move queue: claim it, then take, resolve and acknowledge batches until it
    is empty; then wait up to `MOVE_LINGER_MS` for the next move (still holding the shard, so that move
    needs no new task) and let go when none came (its lease let go in the same step as finding it empty,
    so a move appended meanwhile starts a new task). After `MOVE_DRAIN_SECONDS` the shard is handed to a
    new task, so that a busy shard never runs into the task time limits nor keeps other tasks waiting.
    Returns the moves resolved; never raises (the lease lapses and the sweep's `rescue` starts the shard
    again)."""
    queue = move_queue.get_queue()
    owner = self.request.id or move_queue.new_owner()
    done = 0
    try:
        if not queue.claim(shard, owner):  # another task holds this shard (a task started twice)
            return 0
        until = time.monotonic() + move_queue.drain_seconds()
        linger = move_queue.linger_ms()
        moves = queue.take(shard, move_queue.batch_max())
        while True:
            if moves:
                move_queue.drill_pause("taken")
                resolve_batch(moves)
                move_queue.drill_pause("resolved")
                done += len(moves)
            status = _carry_on(queue, shard, owner, moves, linger)
            if status == "stop":
                return done
            if time.monotonic() >= until and not move_queue.embedded():
                if status == "idle" and queue.finish(shard, owner, []):
                    return done  # an empty shard is let go, not handed over
                successor = move_queue.new_owner()
                if queue.hand_over(shard, owner, successor):
                    resolve_moves.apply_async((shard,), task_id=successor)
                return done
            moves = _next_moves(queue, shard, owner, status, linger)
            if moves is None:
                return done
    except redis.RedisError:
        logger.warning("move queue unavailable while draining shard %s", shard, exc_info=True)
        return done


def _carry_on(
    queue: move_queue.MoveQueue, shard: int, owner: str, done: list[QueuedMove], linger: int
) -> move_queue.Finished:
    """Acknowledge `done`: "stop" (the shard was let go, or another task holds it), "again" (moves wait)
    or, when the task lingers, "idle" (empty, and still held). A take that found nothing in a shard that
    is not empty stops too, rather than spin (the lease lapses, and the sweep starts the shard again)."""
    if linger:
        status = queue.finish_or_linger(shard, owner, done)
        return "stop" if status == "again" and not done else status
    return "stop" if queue.finish(shard, owner, done) or not done else "again"


def _next_moves(
    queue: move_queue.MoveQueue, shard: int, owner: str, status: move_queue.Finished, linger: int
) -> list[QueuedMove] | None:
    """The next batch: what waits, or on an idle shard what comes within `linger` ms; None when nothing
    came and the shard, still empty, was let go."""
    if status == "again":
        return queue.take(shard, move_queue.batch_max())
    moves = queue.wait(shard, move_queue.batch_max(), linger)
    if moves:
        return moves
    if queue.finish(shard, owner, []):
        return None
    return queue.take(shard, move_queue.batch_max())  # a move came between the wait and the let-go


def resolve_batch(moves: list[QueuedMove]) -> None:
    """Resolve taken moves in one transaction and answer each: the views of every applied move, an
    `error` for each refusal (and the current state after a `stale` one), all in ONE batch of pushes
    after the commit. A database failure answers every move `unavailable` (nothing was applied; the
    clients send them again)."""
    with broadcast.batch():
        requests = [request for move in moves if (request := _checked(move)) is not None]
        if not requests:
            return
        try:
            outcomes = services.submit_moves(requests)
        except DatabaseError:
            logger.warning("database unavailable while resolving a batch of %d", len(requests), exc_info=True)
            outcomes = [services.MoveOutcome(request, failed=True) for request in requests]
        except Exception:  # a bug must not look like silence to the students: log it, and say so
            logger.exception("resolving a batch of %d moves failed", len(requests))
            outcomes = [services.MoveOutcome(request, failed=True) for request in requests]
        for outcome in outcomes:
            _answer(outcome)


def _checked(move: QueuedMove) -> services.MoveRequest | None:
    """The move as a request, if its fields are a move's (as `parse` checks them); else its sender gets
    `bad_message`, or nobody when the participant id is not one."""
    participant_id = _participant_id(move.participant_id)
    if not participant_id:
        return None
    try:
        protocol.move_frame(move.action, move.move_id, move.seq)
    except protocol.BadFrame as exc:
        broadcast.push_error(participant_id, exc.code, exc.message, exc.ref)
        return None
    return services.MoveRequest(participant_id, move.action, move.move_id, move.seq)


def _answer(outcome: services.MoveOutcome) -> None:
    request = outcome.request
    if outcome.refusal is not None:
        broadcast.push_error(
            request.participant_id, outcome.refusal.code, outcome.refusal.message, request.move_id
        )
        if outcome.refusal.code == "stale":
            push_current_state(request.participant_id)
    elif outcome.failed:
        broadcast.push_error(request.participant_id, "unavailable", _unavailable(), request.move_id)
    elif outcome.result is not None and outcome.result.duplicate:
        # Applied before (a client's resend, or a batch taken again after its worker died between the
        # commit and the acknowledgement, its pushes maybe lost): the whole group gets the current views.
        try:
            broadcast.push_round(outcome.result.round_id)
        except Exception:  # best effort: the clients can always `sync`
            logger.warning("could not push round %s", outcome.result.round_id, exc_info=True)


def _unavailable() -> str:
    return errors.in_english(errors.PLAY, "unavailable")


def _participant_id(value: Any) -> str:
    """A participant id as text, or "" when `value` is not one."""
    try:  # a str (what Celery delivers) or a UUID
        return str(uuid.UUID(str(value))) if isinstance(value, (str, uuid.UUID)) else ""
    except ValueError:
        return ""


def push_current_state(participant_id: Any) -> None:
    try:
        broadcast.push_state(participant_id, *participant_view.participant_state(participant_id))
    except Exception:  # best effort: the client can always `sync`
        logger.warning("could not push the state of %s", participant_id, exc_info=True)


@shared_task(name="games.tasks.sweep_deadlines", ignore_result=True)
def sweep_deadlines() -> int:
    """Start due rounds and apply due decisions (timeouts, bots, stand-ins); returns how many. Also
    restarts every shard of the move queue that holds moves and no task (`rescue_moves`)."""
    rescue_moves()
    return services.sweep()


def rescue_moves() -> int:
    """Start a task for every shard of the move queue holding moves whose task is gone (its message lost
    with a dying worker, or its worker killed mid-batch: the lease lapsed). Returns how many."""
    if move_queue.mode() != "stream":
        return 0
    try:
        lost = move_queue.get_queue().rescue()
    except redis.RedisError:
        logger.warning("move queue unavailable for the rescue", exc_info=True)
        return 0
    for shard, owner in lost:
        logger.warning("restarting shard %s of the move queue (its task was lost)", shard)
        resolve_moves.apply_async((shard,), task_id=owner)
    return len(lost)


@shared_task(name="games.tasks.apply_due", ignore_result=True)
def apply_due(round_id: int) -> bool:
    return services.apply_due(round_id)
