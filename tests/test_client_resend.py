"""`games.play.client` sends a move again when nothing answers it (a worker that died holding it, a task
message lost with a dying worker): same `move_id` and `seq`, after `resend_after` seconds, then less
often, and never once a `state` or an `error` has answered it. Against the fake of tests/test_client.py."""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator
from typing import Any

import pytest
from websockets.asyncio.server import ServerConnection, serve

from games.play import client as client_module
from tests.test_client import ACTIONS, FakeServer, close_all, player, until


class SilentServer(FakeServer):
    """Drops the next `silence` moves without a word, as a queue that lost them would."""

    silence = 0

    async def frame(self, ws: ServerConnection, pid: str, frame: dict[str, Any]) -> None:
        if frame.get("type") == "move" and self.silence > 0:
            self.silence -= 1
            self.frames_in.append({"pid": pid, **frame})
            return
        await super().frame(ws, pid, frame)


@pytest.fixture
async def silent() -> AsyncIterator[SilentServer]:
    server = SilentServer()
    http = await asyncio.start_server(server.http, "127.0.0.1", 0)
    server.http_port = http.sockets[0].getsockname()[1]
    async with serve(server.ws, "127.0.0.1", 0, process_request=server.process_request) as ws_server:
        server.ws_port = next(iter(ws_server.sockets)).getsockname()[1]
        try:
            yield server
        finally:
            http.close()
            await http.wait_closed()


async def seated(server: SilentServer, **options: Any) -> list[Any]:
    clients = [player(server, i, **options) for i in range(3)]
    for c in clients:
        await c.connect()
    await until(lambda: all(c.view and c.view["class"]["status"] == "running" for c in clients))
    return clients


def mover_of(clients: list[Any]) -> Any:
    return next(c for c in clients if c.view["round"]["actions"])


async def test_an_unanswered_move_goes_again_with_the_same_id_and_applies_once(silent: SilentServer) -> None:
    clients = await seated(silent, resend_after=0.2)
    try:
        silent.silence = 2
        mover = mover_of(clients)
        move = await mover.send_move(ACTIONS[0])
        await until(lambda: move.done_at is not None, timeout=5)
    finally:
        await close_all(*clients)
    sent = [f for f in silent.frames_in if f["type"] == "move"]
    assert [(f["move_id"], f["seq"]) for f in sent] == [(move.move_id, move.seq)] * 3
    assert silent.applied == {move.move_id: 1} and mover.stats.resends == 2
    assert move.error is None and move.resent == 2


async def test_an_answered_move_is_not_sent_again(silent: SilentServer) -> None:
    clients = await seated(silent, resend_after=0.2)
    try:
        mover = mover_of(clients)
        idle = next(c for c in clients if c is not mover)
        applied = await mover.send_move(ACTIONS[0])
        refused = await idle.send_move(ACTIONS[0], seq=idle.seq)  # answered by an `error` or the new state
        await until(lambda: applied.done_at is not None and refused.done_at is not None)
        await asyncio.sleep(0.8)
    finally:
        await close_all(*clients)
    assert len([f for f in silent.frames_in if f["type"] == "move"]) == 2
    assert sum(c.stats.resends for c in clients) == 0


async def test_resending_backs_off_and_gives_up(silent: SilentServer, monkeypatch: Any) -> None:
    monkeypatch.setattr(client_module, "RESEND_TRIES", 2)
    clients = await seated(silent, resend_after=0.1)
    try:
        silent.silence = 100
        mover = mover_of(clients)
        move = await mover.send_move(ACTIONS[0])
        await asyncio.sleep(1.2)
    finally:
        await close_all(*clients)
    sent = [f for f in silent.frames_in if f["type"] == "move"]
    assert len(sent) == 3 and move.resent == 2  # the move, then 0.1 s and 0.2 s later; then no more


async def test_resending_can_be_switched_off(silent: SilentServer) -> None:
    clients = await seated(silent, resend_after=None)
    try:
        silent.silence = 1
        await mover_of(clients).send_move(ACTIONS[0])
        await asyncio.sleep(0.5)
    finally:
        await close_all(*clients)
    assert len([f for f in silent.frames_in if f["type"] == "move"]) == 1
