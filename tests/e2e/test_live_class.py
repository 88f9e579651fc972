"""A whole class on the real stack (PostgreSQL, Redis, uvicorn, Celery workers and beat), through the
public protocol only: three students join over HTTP, play every round to its end, one of them loses
their connection mid-round and carries on, one decision times out, and the log replays to the snapshot.
Then `manage.py play_bots` plays a class by itself, and a group spread over two ASGI servers (two
workers behind them) receives every update.
"""

from __future__ import annotations

import asyncio
from typing import Any

import pytest

from games.play.client import PlayerClient, RandomStrategy, my_actions
from tests.e2e.play import STEP, act, everyone, everyone_saw, finish_round, next_turn, round_of, seen
from tests.e2e.stack import Stack

pytestmark = [pytest.mark.integration, pytest.mark.slow]

DECISION_SECONDS = 3
ROLES = {"japan", "us", "challenger"}


def students(url: str | list[str], code: str, count: int = 3) -> list[PlayerClient]:
    urls = url if isinstance(url, list) else [url] * count
    return [
        PlayerClient(u, code, f"Student {i + 1}", seed=i, keep_frames=True, backoff_initial=0.05)
        for i, u in enumerate(urls)
    ]


async def connect_all(clients: list[PlayerClient]) -> None:
    for client in clients:  # one after the other: the third join starts the class (autostart 3)
        await client.connect()


async def close_all(clients: list[PlayerClient]) -> None:
    await asyncio.gather(*(c.close() for c in clients), return_exceptions=True)


def engine_moves(history: list[dict[str, Any]]) -> list[tuple[str | None, str]]:
    return [(h.get("role"), h["action"]) for h in history if not h.get("auto")]


def check_log(report: dict[str, Any], rounds: int) -> None:
    """Every round finished, and the replay of its events is exactly its snapshot."""
    assert report["status"] == "finished"
    assert sorted({r["number"] for r in report["rounds"]}) == list(range(1, rounds + 1))
    for rnd in report["rounds"]:
        assert rnd["status"] == "finished"
        assert rnd["replayed"] == rnd["snapshot"], f"round {rnd['number']}: replay differs from the snapshot"
        assert [e["seq"] for e in rnd["events"]] == list(range(1, rnd["seq"] + 1))


async def test_three_students_play_a_class_with_a_reconnection_and_a_timeout(stack: Stack) -> None:
    code = stack.create_class(
        "--rounds", "3", "--autostart", "3", "--decision-seconds", str(DECISION_SECONDS),
        "--result-seconds", "1", "--no-bots",
    )  # fmt: skip
    clients = students(stack.url(0), code)
    try:
        await connect_all(clients)
        await everyone(clients, lambda c: c.view["class"]["status"] == "running" and c.view["you"]["role"])
        assert {c.view["you"]["role"] for c in clients} == ROLES
        assert len({c.view["you"]["group"] for c in clients}) == 1

        # Round 1: the second player to move loses the network mid-round, comes back, carries on.
        await act(clients, await next_turn(clients))
        dropped = await next_turn(clients)
        assert dropped is not None, "the hawkish first move leaves the round running"
        seq, view, frames = dropped.seq, dropped.view, len(dropped.frames)
        await dropped.drop(clean=False)
        await dropped.wait_for(
            lambda v: (
                dropped.stats.reconnects == 1
                and any(f["type"] == "state" for _, f in dropped.frames[frames:])
            ),
            STEP,
        )
        assert (dropped.seq, dropped.view) == (seq, view)  # the whole current state, the same seq
        await act(clients, dropped)
        await finish_round(clients)

        # Round 2: the first player to move does nothing; the timeout plays the benchmark for them.
        await everyone_saw(clients, 2, 0)
        idle = await next_turn(clients)
        assert idle is not None
        idle_role, history = idle.view["you"]["role"], round_of(idle.view)["history"]
        await everyone_saw(clients, 2, 1, timeout=DECISION_SECONDS + STEP)
        await everyone(clients, lambda c: len(round_of(c.view).get("history", [])) > len(history))
        timed_out = [engine_moves(round_of(c.view)["history"])[len(engine_moves(history))] for c in clients]
        assert timed_out[0][0] == idle_role and timed_out == [timed_out[0]] * 3
        await finish_round(clients)

        # Round 3: everyone plays with the client's own loop (seeded random actions).
        await everyone_saw(clients, 3, 0)
        finals = await asyncio.wait_for(
            asyncio.gather(
                *(c.play(RandomStrategy(think=0.05, seed=i), timeout=60) for i, c in enumerate(clients))
            ),
            70,
        )
    finally:
        await close_all(clients)

    # The final state of all three shows the outcome, the same for all.
    for final in finals:
        assert final["class"]["status"] == "finished" and final["class"]["round"] == 3
        assert round_of(final)["outcome"]["label"] == round_of(finals[0])["outcome"]["label"]
        assert round_of(final)["history"] == round_of(finals[0])["history"]
        assert not my_actions(final)

    report = stack.inspect(code)
    check_log(report, 3)
    by_number = {r["number"]: r for r in report["rounds"]}
    timeout = by_number[2]["events"][0]
    assert timeout["kind"] == "timeout"
    assert (timeout["role"], timeout["action"]) == timed_out[0]
    assert timeout["benchmark_probability"] > 0
    assert all(e["kind"] == "move" for n in (1, 3) for e in by_number[n]["events"])
    assert dropped.stats.reconnects == 1 and sum(c.stats.reconnects for c in clients) == 1
    for number, rnd in by_number.items():  # every update of every round reached every student
        expected = {(number, k) for k in range(rnd["seq"] + 1)}
        for client in clients:
            assert expected <= seen(client), f"{client.name} missed {sorted(expected - seen(client))}"
    assert not [e for c in clients for e in c.errors], [e for c in clients for e in c.errors]


async def test_play_bots_plays_a_class_to_its_end(stack: Stack) -> None:
    code = stack.create_class(
        "--rounds", "2", "--autostart", "3", "--decision-seconds", "10", "--result-seconds", "1", "--no-bots"
    )  # fmt: skip
    done = await asyncio.to_thread(
        stack.manage,
        "play_bots", "--code", code, "--students", "3", "--url", stack.url(1), "--think", "0.05",
        "--seed", "1", "--timeout", "60",
        timeout=90,
    )  # fmt: skip
    assert done.returncode == 0, done.stderr
    assert f"3 bot student(s) in class {code}:" in done.stdout
    assert "over 2 round(s)" in done.stdout and "class finished" in done.stdout
    assert "errors: none" in done.stdout and "Outcomes:" in done.stdout
    check_log(stack.inspect(code), 2)


async def test_a_group_spread_over_two_asgi_servers_gets_every_update(stack: Stack) -> None:
    """Players 1 and 3 on server A, player 2 on server B; two workers resolve the moves."""
    assert len(stack.servers) == 2 and len(stack.worker_names) == 2
    code = stack.create_class(
        "--rounds", "2", "--autostart", "3", "--decision-seconds", "10", "--result-seconds", "1", "--no-bots"
    )  # fmt: skip
    a, b = stack.url(0), stack.url(1)
    clients = students([a, b, a], code)
    try:
        await connect_all(clients)
        finals = await asyncio.wait_for(
            asyncio.gather(
                *(c.play(RandomStrategy(think=0.02, seed=10 + i), timeout=60) for i, c in enumerate(clients))
            ),
            70,
        )
    finally:
        await close_all(clients)
    assert {f["class"]["status"] for f in finals} == {"finished"}
    report = stack.inspect(code)
    check_log(report, 2)
    assert len({r["group"] for r in report["rounds"]}) == 1
    for rnd in report["rounds"]:
        expected = {(rnd["number"], k) for k in range(rnd["seq"] + 1)}
        for client in clients:
            assert expected <= seen(client), f"{client.name} missed {sorted(expected - seen(client))}"
    assert sum(c.stats.reconnects for c in clients) == 0  # no resync was needed
    stack.check_alive()
    for worker in ("worker1", "worker2"):  # both workers took their share (moves, sweeps)
        assert "] received" in stack.log_of(worker), worker
