"""Drills of the move queue and its batches on the real stack (DESIGN.md "Layers", move resolution;
docs/operations.md, "Drills"): students are `games.play.client.PlayerClient`s over the public protocol.

(g) a worker killed (SIGKILL, its whole process group) right after moves are sent, many times over: every
move is applied exactly once, whether the dying worker had taken its task message (the kombu pitfall of
DESIGN.md: such a message is lost, and the shard's lease lapsing is what starts it again), its moves, or
nothing at all;
(h) a worker killed in the middle of a batch (it has taken moves and not acknowledged them; paused there by
the fault-injection point `MOVE_DRILL_PAUSE`, once before committing them and once after): none is lost
and none applied twice; in the same batches, refused moves (not your turn, illegal, stale) are answered
with their `error` and do not undo the others, and each student's moves keep their order (a second move
on the same state, sent after the first, is the one refused).
"""

from __future__ import annotations

import asyncio
import random
import signal
import time
from collections import defaultdict
from typing import Any

import pytest

from games.play.client import MoveTiming, PlayerClient, my_actions
from tests.drills.conftest import LEASE_SECONDS
from tests.drills.stack import DrillStack
from tests.drills.test_drills import Moves, check_log, close_all, events_of, report_figures, students, until
from tests.e2e.play import STEP, hawkish

pytestmark = [pytest.mark.integration, pytest.mark.slow]

KILLS = 12  # drill (g): how many times a worker is killed right after moves are sent
MID_BATCH_KILLS = 3  # drill (h)
STAGES = ("taken", "resolved")  # drill (h): where the killed worker is (games.play.move_queue.drill_pause)


# ----- helpers -----------------------------------------------------------------------------------------


async def workers_at_least(stack: DrillStack, count: int) -> None:
    """Start workers (named worker<n>) until `count` are alive and answering."""
    while len(stack.workers()) < count:
        taken = {s.name for s in stack.services}
        name = next(f"worker{i}" for i in range(1, 100) if f"worker{i}" not in taken)
        await asyncio.to_thread(stack.wait_worker, stack.spawn_worker(name))


async def stop_workers(stack: DrillStack) -> None:
    for worker in stack.workers():
        await asyncio.to_thread(stack.kill, worker.name, signal.SIGTERM)


def groups_of(clients: list[PlayerClient]) -> dict[int, list[PlayerClient]]:
    groups: dict[int, list[PlayerClient]] = defaultdict(list)
    for client in clients:
        groups[client.view["you"]["group"]].append(client)
    return groups


async def movers(clients: list[PlayerClient], timeout: float = 30.0) -> list[PlayerClient]:
    """Once every group has a student to move (a round may be ending and the next one starting), them."""
    groups = groups_of(clients)
    started = time.monotonic()
    while time.monotonic() - started < timeout:
        ready = [next((c for c in group if my_actions(c.view)), None) for group in groups.values()]
        if all(ready):
            return [c for c in ready if c is not None]
        await asyncio.sleep(0.02)
    raise TimeoutError("not every group had a student to move")


def logged_move_ids(stack: DrillStack, code: str) -> list[str]:
    return [m for _, _, _, m, _ in events_of(stack, code) if m]


async def open_class(stack: DrillStack, size: int, rounds: int) -> tuple[str, Moves, list[PlayerClient]]:
    code = stack.create_class(
        "--rounds", str(rounds), "--autostart", str(size), "--decision-seconds", "300",
        "--result-seconds", "1", "--no-bots",
    )  # fmt: skip
    moves = Moves()
    clients = students([stack.url(i % 2) for i in range(size)], code, moves)
    for client in clients:
        await client.connect()
    await asyncio.gather(*(
        c.wait_for(lambda v: v["class"]["status"] == "running" and bool(v["you"]["role"]), STEP)
        for c in clients
    ))  # fmt: skip
    return code, moves, clients


# ----- (g) a worker killed right after moves are sent ----------------------------------------------------


async def test_g_a_worker_killed_right_after_moves_are_sent_loses_none(
    stack: DrillStack, record_property: Any
) -> None:
    """Four groups; twelve times, every group's mover sends its move and 0-20 ms later one of the two
    workers is SIGKILLed (process group) and replaced. Every move is applied exactly once; the ones the
    dying worker took with it come back when the shard's lease lapses (or the student's resend)."""
    await workers_at_least(stack, 2)
    code, moves, clients = await open_class(stack, 12, rounds=8)
    rng = random.Random(17)
    recoveries: list[float] = []
    slow = 0
    try:
        for kill in range(KILLS):
            sent: list[MoveTiming] = []
            for mover in await movers(clients):
                sent.append(await mover.send_move(hawkish(my_actions(mover.view))))
            await asyncio.sleep(rng.uniform(0.0, 0.02))
            victim = stack.workers()[kill % 2].name
            killed = time.monotonic()
            await asyncio.to_thread(stack.kill, victim, signal.SIGKILL)
            hostname = stack.spawn_worker(victim)  # from this thread: see DrillStack.spawn_worker
            replacement = asyncio.create_task(asyncio.to_thread(stack.wait_worker, hostname))
            await until(lambda sent=sent: all(m.done_at is not None for m in sent), 60, "every move answered")
            recoveries.append(time.monotonic() - killed)
            slow += recoveries[-1] > 2.0
            assert [m.error for m in sent] == [None] * len(sent)
            await replacement
        applied = logged_move_ids(stack, code)
    finally:
        await close_all(clients)
    report = check_log(stack, code)
    sent_ids = {m.move_id for m in moves.sent}
    assert set(applied) <= sent_ids and len(applied) == len(set(applied))  # none twice, none invented
    first_sends = {m.move_id for m in moves.sent if m.resent == 0}
    assert first_sends <= set(applied) | {m.move_id for m in moves.sent if m.error}  # none lost
    assert not [e for _, _, e in moves.errors if e["code"] == "unavailable"]
    assert report["rounds"]
    report_figures(
        record_property, "worker_killed_after_send",
        kills=KILLS, moves_applied=len(applied), recovered_after_lease=slow,
        slowest_recovery_s=max(recoveries), median_recovery_s=sorted(recoveries)[len(recoveries) // 2],
        client_resends=sum(c.stats.resends for c in clients), lease_s=LEASE_SECONDS,
    )  # fmt: skip
    stack.check_alive()


# ----- (h) a worker killed mid-batch; refusals and order in a batch ---------------------------------------


async def test_h_a_worker_killed_mid_batch_loses_none_and_refusals_and_order_hold(
    stack: DrillStack, record_property: Any
) -> None:
    """Ten groups (30 students). With every worker stopped, each group's mover sends a good move and then a
    second one on the same state (a second tab), every third mover an illegal one before them, and every
    other student a move out of turn: all wait in the queue. One worker starts and is SIGKILLed mid-batch:
    after taking moves, or after committing them and before acknowledging them; another takes over.
    Three times. Then: each group applied its mover's
    first good move only, exactly once; the rest got their `error`."""
    code, _, clients = await open_class(stack, 30, rounds=3)
    figures: dict[str, list[Any]] = defaultdict(list)
    try:
        for kill in range(MID_BATCH_KILLS):
            ready = await movers(clients)
            await stop_workers(stack)
            # move_id -> what may become of it: "applied", or the error codes that may answer it
            expected: dict[str, set[str]] = {}
            for index, mover in enumerate(ready):
                actions, seq = my_actions(mover.view), mover.seq
                if index % 3 == 0:
                    # (stale when a batch is taken again after the good move had committed, or for the
                    # student's resend after it)
                    illegal = await mover.send_move("teleport", seq=seq)
                    expected[illegal.move_id] = {"illegal_action", "stale"}
                first = await mover.send_move(hawkish(actions), seq=seq)
                other = next((a for a in actions if a != first.action), first.action)
                expected[first.move_id] = {"applied"}
                expected[(await mover.send_move(other, seq=seq)).move_id] = {"stale"}  # after `first`
            for client in clients:
                if client not in ready:  # out of turn; or stale, if its group's move came first
                    move = await client.send_move("attack", seq=client.seq)
                    expected[move.move_id] = {"not_your_turn", "stale"}
            count = len(expected)
            await until(lambda count=count: stack.queued_moves() >= count, 20, "every move queued")
            # The worker pauses where the drill kills it (a batch takes milliseconds: polling for it
            # raced it and lost on a loaded CI machine): after taking its moves, or after committing
            # them and before acknowledging them (they come back to the next worker, already applied).
            stage = STAGES[kill % len(STAGES)]
            stack.spawn_worker("worker1", env={"MOVE_DRILL_PAUSE": f"{stage}:60"})
            held = await held_at(stack, code, stage)
            killed = time.monotonic()
            await asyncio.to_thread(stack.kill, "worker1", signal.SIGKILL)
            committed = set(logged_move_ids(stack, code)) & set(held)
            assert bool(committed) == (stage == "resolved"), (stage, len(held), len(committed))
            await asyncio.to_thread(stack.wait_worker, stack.spawn_worker("worker1"))
            applied_ids = {m for m, what in expected.items() if what == {"applied"}}
            await until(
                lambda applied_ids=applied_ids: applied_ids <= set(logged_move_ids(stack, code)),
                60, "every good move applied",
            )  # fmt: skip
            figures["taken_at_kill"].append(len(held))
            figures["committed_before_kill"].append(len(committed))
            figures["recovered_s"].append(round(time.monotonic() - killed, 2))
            await check_answers(clients, expected)
        logged = logged_move_ids(stack, code)
    finally:
        await close_all(clients)
    check_log(stack, code)
    assert len(logged) == len(set(logged))  # none twice
    await workers_at_least(stack, 2)
    report_figures(
        record_property, "worker_killed_mid_batch",
        kills=MID_BATCH_KILLS, moves_taken_at_kill=figures["taken_at_kill"],
        committed_before_kill=figures["committed_before_kill"], recovered_s=figures["recovered_s"],
        moves_applied=len(logged),
    )  # fmt: skip
    stack.check_alive()


async def held_at(stack: DrillStack, code: str, stage: str, timeout: float = 60.0) -> dict[str, str]:
    """The moves a paused worker holds (taken, not acknowledged) once it is at `stage`: as soon as it has
    taken some ("taken"), or once some of them are in the log ("resolved")."""
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        held = await asyncio.to_thread(stack.taken_moves)
        if held and (stage == "taken" or set(logged_move_ids(stack, code)) & set(held)):
            return held
        await asyncio.sleep(0.01)
    raise AssertionError(f"the worker never reached {stage!r} with a batch")


async def check_answers(clients: list[PlayerClient], expected: dict[str, set[str]]) -> None:
    """Every refused move got its `error` (ref = its move_id) with an expected code; no applied one did."""

    def errors() -> dict[str, str]:
        return {str(e.get("ref")): str(e.get("code")) for c in clients for e in c.errors}

    refused = {m: codes for m, codes in expected.items() if codes != {"applied"}}

    def missing() -> list[tuple[str, set[str], str | None]]:
        got = errors()
        return [(m, codes, got.get(m)) for m, codes in refused.items() if got.get(m) not in codes]

    try:
        await until(lambda: not missing(), 30, "every refusal")
    except TimeoutError as exc:
        raise AssertionError(f"refusals not answered as expected: {missing()}") from exc
    got = errors()
    assert not [m for m, what in expected.items() if what == {"applied"} and m in got], got
