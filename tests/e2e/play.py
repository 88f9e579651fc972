"""Helpers for driving students through `games.play.client` in the e2e tests: every wait is bounded."""

from __future__ import annotations

import asyncio
from collections.abc import Callable, Iterable
from typing import Any

from games.play.client import PlayerClient, my_actions

STEP = 10.0  # seconds one update may take to reach every student, worker and beat included
HAWKISH = ("arm", "alliance", "challenge", "resist", "attack", "intervene", "cbm")


def hawkish(actions: list[str]) -> str:
    """Long rounds: challenge, resist, attack, intervene (the first legal of HAWKISH, else the first)."""
    return next((a for a in HAWKISH if a in actions), actions[0])


def round_of(view: dict[str, Any] | None) -> dict[str, Any]:
    return (view or {}).get("round") or {}


def seen(client: PlayerClient) -> set[tuple[int, int]]:
    """Every (round number, round seq) this client received a `state` for."""
    assert client.frames is not None, "make the client with keep_frames=True"
    return {
        (rnd["number"], rnd["seq"])
        for _, frame in client.frames
        if frame.get("type") == "state" and (rnd := round_of(frame["view"]))
    }


async def everyone(clients: Iterable[PlayerClient], predicate: Callable[[PlayerClient], bool],
                   timeout: float = STEP) -> None:  # fmt: skip
    await asyncio.gather(*(c.wait_for(lambda view, c=c: predicate(c), timeout) for c in clients))


async def everyone_saw(clients: list[PlayerClient], number: int, seq: int, timeout: float = STEP) -> None:
    """Wait until every client received the state (round `number`, round seq `seq`)."""
    await everyone(clients, lambda c: (number, seq) in seen(c), timeout)


async def next_turn(clients: list[PlayerClient], timeout: float = STEP) -> PlayerClient | None:
    """The student whose turn it is now, or None once the round is over."""
    loop = asyncio.get_running_loop()
    until = loop.time() + timeout
    while loop.time() < until:
        for client in clients:
            if my_actions(client.view):
                return client
        if all("outcome" in round_of(c.view) for c in clients):
            return None
        await asyncio.sleep(0.02)
    raise TimeoutError(f"nobody's turn and no outcome within {timeout}s")


async def act(clients: list[PlayerClient], mover: PlayerClient, action: str | None = None) -> None:
    """`mover` plays (hawkish by default) on its current state; returns once all saw the result."""
    rnd = round_of(mover.view)
    await mover.send_move(action or hawkish(my_actions(mover.view)))
    await everyone_saw(clients, rnd["number"], rnd["seq"] + 1)


async def finish_round(clients: list[PlayerClient]) -> None:
    """Hawkish moves by whoever is to move until the round's outcome is on every screen."""
    for _ in range(20):  # no round of the crisis has more decisions than this
        mover = await next_turn(clients)
        if mover is None:
            return
        await act(clients, mover)
    raise AssertionError("the round did not end")
