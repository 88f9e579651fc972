"""`games.play.client` against a small fake of the player protocol (HTTP join + websocket), on loopback.

The fake speaks DESIGN.md's protocol for a toy turn-taking game, so these tests check the client's own
behaviour (cookie, Origin, reconnection with backoff and `sync`, resending a move with the same
`move_id`, join retries, refusals) quickly and without the stack; tests/e2e/ runs it against the real one.
"""

from __future__ import annotations

import asyncio
import contextlib
import json
import uuid
from collections.abc import AsyncIterator
from http.cookies import SimpleCookie
from io import StringIO
from typing import Any

import pytest
from django.core.management import CommandError, call_command
from websockets.asyncio.server import ServerConnection, serve
from websockets.datastructures import Headers
from websockets.exceptions import ConnectionClosed
from websockets.http11 import Request, Response

from games.play import client as client_module
from games.play.client import (
    ClientFailedError,
    ClientHooks,
    JoinError,
    PlayerClient,
    RandomStrategy,
    backoff_delay,
    join,
    post_json,
)

CODE = "FAKE23"
ACTIONS = ["hold", "push"]


class FakeServer:
    """One class of `players` students taking turns; the round ends after `moves` moves."""

    def __init__(self, *, players: int = 3, moves: int = 6) -> None:
        self.players, self.moves = players, moves
        self.sessions: dict[str, str] = {}  # session key -> participant id
        self.order: list[str] = []
        self.names: dict[str, str] = {}
        self.history: list[dict[str, Any]] = []
        self.applied: dict[str, int] = {}  # move_id -> how many times it was applied
        self.sockets: dict[str, set[ServerConnection]] = {}
        self.handshakes: list[Headers] = []
        self.join_answers: list[tuple[int, dict[str, Any], dict[str, str]]] = []  # served before a success
        self.refuse_sockets = False
        self.close_after_accept: int | None = None  # a close code, as the consumer sends a stranger
        self.swallow_next_move = False  # drop the connection on the next move without applying it
        self.frames_in: list[dict[str, Any]] = []
        self.http_port = self.ws_port = 0

    # ----- the game -------------------------------------------------------------------------------
    @property
    def status(self) -> str:
        if len(self.order) < self.players:
            return "lobby"
        return "finished" if len(self.history) >= self.moves else "running"

    @property
    def seq(self) -> int:
        return len(self.order) * 1000 + len(self.history)

    def to_move(self) -> str | None:
        return self.order[len(self.history) % self.players] if self.status == "running" else None

    def view(self, pid: str) -> dict[str, Any]:
        view: dict[str, Any] = {
            "class": {"code": CODE, "status": self.status, "round": 1 if self.order else 0, "rounds": 1},
            "you": {"id": pid, "name": self.names[pid], "role": None, "group": 1},
        }
        if self.status != "lobby":
            view["round"] = {
                "number": 1,
                "node": f"n{len(self.history)}",
                "to_move": self.to_move(),
                "actions": ACTIONS if self.to_move() == pid else [],
                "history": list(self.history),
            }
            if self.status == "finished":
                view["round"]["outcome"] = {"label": "SQ"}
        return view

    async def push_all(self) -> None:
        for pid, sockets in self.sockets.items():
            for ws in list(sockets):
                with contextlib.suppress(Exception):
                    await ws.send(json.dumps({"type": "state", "seq": self.seq, "view": self.view(pid)}))

    # ----- HTTP -----------------------------------------------------------------------------------
    async def http(self, reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
        head = (await reader.readuntil(b"\r\n\r\n")).decode("latin-1").split("\r\n")
        headers = {k.strip().lower(): v.strip() for k, _, v in (h.partition(":") for h in head[1:] if h)}
        body = json.loads(await reader.readexactly(int(headers.get("content-length", 0))) or b"null")
        status, answer, extra = self.join(head[0], body)
        payload = json.dumps(answer).encode()
        lines = [f"HTTP/1.1 {status} X", "Content-Type: application/json", f"Content-Length: {len(payload)}"]
        lines += [f"{k}: {v}" for k, v in extra.items()]
        writer.write(("\r\n".join(lines) + "\r\n\r\n").encode() + payload)
        await writer.drain()
        writer.close()

    def join(self, request_line: str, body: Any) -> tuple[int, dict[str, Any], dict[str, str]]:
        if not request_line.startswith("POST /api/join "):
            return 404, {"error": {"code": "not_found", "message": "no such page"}}, {}
        if self.join_answers:
            return self.join_answers.pop(0)
        if body.get("code") != CODE:
            return 404, {"error": {"code": "not_found", "message": "There is no class with that code."}}, {}
        session, pid = uuid.uuid4().hex, uuid.uuid4().hex
        self.sessions[session], self.names[pid] = pid, body["name"]
        self.order.append(pid)
        asyncio.get_running_loop().create_task(self.push_all())
        cookie = f"sessionid={session}; HttpOnly; Path=/; SameSite=Lax"
        ws_url = f"ws://127.0.0.1:{self.ws_port}/ws/play/"
        return 201, {"participant": pid, "ws_url": ws_url}, {"Set-Cookie": cookie}

    # ----- websocket ------------------------------------------------------------------------------
    def process_request(self, connection: ServerConnection, request: Request) -> Response | None:
        self.handshakes.append(request.headers)
        cookie: SimpleCookie = SimpleCookie(request.headers.get("Cookie", ""))
        known = "sessionid" in cookie and cookie["sessionid"].value in self.sessions
        origin_ok = request.headers.get("Origin") == f"http://127.0.0.1:{self.http_port}"
        if self.refuse_sockets or not known or not origin_ok or request.path != "/ws/play/":
            return connection.respond(403, "Forbidden\n")
        return None

    async def ws(self, ws: ServerConnection) -> None:
        cookie: SimpleCookie = SimpleCookie(ws.request.headers["Cookie"])
        pid = self.sessions[cookie["sessionid"].value]
        if self.close_after_accept is not None:
            await ws.close(self.close_after_accept)
            return
        self.sockets.setdefault(pid, set()).add(ws)
        try:
            await ws.send(json.dumps({"type": "state", "seq": self.seq, "view": self.view(pid)}))
            async for raw in ws:
                await self.frame(ws, pid, json.loads(raw))
        except ConnectionClosed:
            pass
        finally:
            self.sockets[pid].discard(ws)

    async def frame(self, ws: ServerConnection, pid: str, frame: dict[str, Any]) -> None:
        self.frames_in.append({"pid": pid, **frame})
        kind = frame.get("type")
        if kind == "ping":
            await ws.send(json.dumps({"type": "pong"}))
        elif kind == "sync":
            await ws.send(json.dumps({"type": "state", "seq": self.seq, "view": self.view(pid)}))
        elif kind == "move":
            if self.swallow_next_move:
                self.swallow_next_move = False
                ws.transport.abort()
                return
            await self.move(ws, pid, frame)

    async def move(self, ws: ServerConnection, pid: str, frame: dict[str, Any]) -> None:
        move_id = frame["move_id"]
        if move_id in self.applied:
            await ws.send(json.dumps({"type": "state", "seq": self.seq, "view": self.view(pid)}))
            return
        if frame["seq"] != self.seq:
            error = {"type": "error", "code": "stale", "message": "moved on", "ref": move_id}
            await ws.send(json.dumps(error))
            await ws.send(json.dumps({"type": "state", "seq": self.seq, "view": self.view(pid)}))
            return
        if self.to_move() != pid or frame["action"] not in ACTIONS:
            error = {"type": "error", "code": "not_your_turn", "message": "wait", "ref": move_id}
            await ws.send(json.dumps(error))
            return
        self.applied[move_id] = self.applied.get(move_id, 0) + 1
        self.history.append({"node": f"n{len(self.history)}", "role": pid, "action": frame["action"]})
        await self.push_all()

    async def drop_everyone(self) -> None:
        for sockets in self.sockets.values():
            for ws in list(sockets):
                ws.transport.abort()


@pytest.fixture
async def fake() -> AsyncIterator[FakeServer]:
    server = FakeServer()
    http = await asyncio.start_server(server.http, "127.0.0.1", 0)
    server.http_port = http.sockets[0].getsockname()[1]
    async with serve(server.ws, "127.0.0.1", 0, process_request=server.process_request) as ws_server:
        server.ws_port = next(iter(ws_server.sockets)).getsockname()[1]
        try:
            yield server
        finally:
            http.close()
            await http.wait_closed()


def base(fake: FakeServer) -> str:
    return f"http://127.0.0.1:{fake.http_port}"


def player(fake: FakeServer, number: int, **options: Any) -> PlayerClient:
    options.setdefault("backoff_initial", 0.02)
    options.setdefault("connect_timeout", 5)
    return PlayerClient(base(fake), CODE, f"Student {number}", seed=number, **options)


async def until(condition: Any, timeout: float = 5.0) -> None:
    async with asyncio.timeout(timeout):
        while not condition():
            await asyncio.sleep(0.01)


async def close_all(*clients: PlayerClient) -> None:
    await asyncio.gather(*(c.close() for c in clients))


# --------------------------------------------------------------------------------------------------
async def test_joins_with_a_cookie_and_connects_with_it_and_a_matching_origin(fake: FakeServer) -> None:
    alice = player(fake, 1)
    view = await alice.connect()
    try:
        assert view["you"]["name"] == "Student 1"
        assert alice.joined is not None and "sessionid" in alice.joined.cookies
        headers = fake.handshakes[-1]
        assert headers["Origin"] == base(fake)
        assert f"sessionid={alice.joined.cookies['sessionid']}" in headers["Cookie"]
        assert "permessage-deflate" not in headers.get("Sec-WebSocket-Extensions", "")  # compression off
        assert await alice.ping() < 5
    finally:
        await alice.close()


async def test_three_clients_play_the_game_to_the_end_and_see_the_outcome(fake: FakeServer) -> None:
    clients = [player(fake, i) for i in range(3)]
    for c in clients:
        await c.connect()
    try:
        finals = await asyncio.wait_for(
            asyncio.gather(*(c.play(RandomStrategy(think=0, seed=i)) for i, c in enumerate(clients))), 20
        )
    finally:
        await close_all(*clients)
    assert len(fake.history) == fake.moves
    for final in finals:
        assert final["class"]["status"] == "finished"
        assert final["round"]["outcome"] == {"label": "SQ"}
        assert final["round"]["history"] == fake.history
    assert all(n == 1 for n in fake.applied.values())


async def test_the_same_seeds_play_the_same_game(fake: FakeServer) -> None:
    strategy = RandomStrategy(think=0, seed="same")
    view = {"round": {"actions": ACTIONS}}
    again = RandomStrategy(think=0, seed="same")
    assert [await strategy(view) for _ in range(20)] == [await again(view) for _ in range(20)]


async def test_reconnects_with_backoff_and_resyncs_after_the_server_drops_it(fake: FakeServer) -> None:
    clients = [player(fake, i) for i in range(3)]
    for c in clients:
        await c.connect()
    try:
        seq = clients[0].seq
        await fake.drop_everyone()
        for c in clients:
            await c.wait_for(lambda view, c=c: c.stats.reconnects == 1 and c.connected, 5)
        await until(lambda: len([f for f in fake.frames_in if f["type"] == "sync"]) >= 3)
        await asyncio.sleep(0.1)
        assert len([f for f in fake.frames_in if f["type"] == "sync"]) == 3  # one after each reconnection
        assert [c.seq for c in clients] == [seq] * 3
        finals = await asyncio.wait_for(asyncio.gather(*(c.play(think=0) for c in clients)), 20)
        assert {f["class"]["status"] for f in finals} == {"finished"}
    finally:
        await close_all(*clients)


async def test_a_move_lost_with_its_connection_is_resent_with_the_same_move_id(fake: FakeServer) -> None:
    clients = [player(fake, i) for i in range(3)]
    for c in clients:
        await c.connect()
    fake.swallow_next_move = True
    try:
        await asyncio.wait_for(asyncio.gather(*(c.play(think=0) for c in clients)), 20)
    finally:
        await close_all(*clients)
    moves = [f for f in fake.frames_in if f["type"] == "move"]
    assert moves[0]["move_id"] == moves[1]["move_id"]  # the swallowed one, then its resend
    assert moves[0]["seq"] == moves[1]["seq"]
    assert len(fake.history) == fake.moves and all(n == 1 for n in fake.applied.values())
    assert sum(c.stats.reconnects for c in clients) == 1


async def test_a_strategy_that_passes_leaves_the_turn_alone(fake: FakeServer) -> None:
    clients = [player(fake, i) for i in range(3)]
    for c in clients:
        await c.connect()
    try:
        with pytest.raises(TimeoutError):
            await asyncio.gather(*(c.play(lambda view: None, timeout=0.5) for c in clients))
    finally:
        await close_all(*clients)
    assert not [f for f in fake.frames_in if f["type"] == "move"]


async def test_move_timings_reach_the_hooks(fake: FakeServer) -> None:
    done: list[Any] = []

    class Hooks(ClientHooks):
        def on_move_done(self, client: PlayerClient, move: Any) -> None:
            done.append(move)

    clients = [player(fake, i, hooks=Hooks()) for i in range(3)]
    for c in clients:
        await c.connect()
    try:
        await asyncio.wait_for(asyncio.gather(*(c.play(think=0) for c in clients)), 20)
    finally:
        await close_all(*clients)
    assert len(done) == fake.moves
    assert all(m.error is None and 0 <= m.latency < 5 for m in done)


async def test_an_unknown_code_fails_at_once_with_the_servers_error(fake: FakeServer) -> None:
    with pytest.raises(JoinError) as failed:
        await join(base(fake), "NOPE99", "Aiko", retry_for=5)
    assert (failed.value.status, failed.value.code) == (404, "not_found")


async def test_a_busy_server_is_asked_again_after_retry_after(fake: FakeServer) -> None:
    busy = {"error": {"code": "rate_limited", "message": "slow down"}}
    fake.join_answers = [(429, busy, {"Retry-After": "0.2"}), (503, busy, {})]
    joined = await join(base(fake), CODE, "Aiko", retry_for=10)
    assert joined.participant in fake.names


async def test_a_refused_socket_makes_the_client_give_up(fake: FakeServer) -> None:
    alice = player(fake, 1)
    await alice.join()
    fake.refuse_sockets = True
    try:
        with pytest.raises(ClientFailedError, match="refused"):
            await alice.connect()
    finally:
        await alice.close()


async def test_a_not_joined_close_code_makes_the_client_give_up_but_a_try_later_does_not(
    fake: FakeServer,
) -> None:
    alice = player(fake, 1)
    await alice.join()
    fake.close_after_accept = 1013
    try:
        with pytest.raises(TimeoutError):
            await alice.connect(timeout=0.5)  # keeps trying
        fake.close_after_accept = 4401
        with pytest.raises(ClientFailedError, match="for good"):
            await alice.wait_for(lambda view: True, 5)
    finally:
        await alice.close()


async def test_gives_up_reconnecting_after_reconnect_for(fake: FakeServer) -> None:
    alice = player(fake, 1, reconnect_for=0.3)
    await alice.connect()
    alice.joined = client_module.Joined(
        alice.joined.participant, "ws://127.0.0.1:9/ws/play/", alice.joined.origin, alice.joined.cookies
    )  # nothing listens on the discard port
    try:
        await fake.drop_everyone()
        with pytest.raises(ClientFailedError, match="could not"):
            await alice.wait_for(lambda view: False, 10)
    finally:
        await alice.close()


def test_backoff_grows_exponentially_with_jitter_and_a_ceiling() -> None:
    import random

    rng = random.Random(1)
    delays = [backoff_delay(n, rng, initial=0.1, maximum=2.0) for n in range(8)]
    for n, delay in enumerate(delays):
        ceiling = min(2.0, 0.1 * 2**n)
        assert ceiling / 2 <= delay <= ceiling
    assert backoff_delay(0, rng, retry_after=3.0) == 3.0


async def test_post_json_reads_a_chunked_answer() -> None:
    async def answer(reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
        await reader.readuntil(b"\r\n\r\n")
        writer.write(
            b"HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n"
            b'4\r\n{"a"\r\n3\r\n: 1\r\n1\r\n}\r\n0\r\n\r\n'
        )
        await writer.drain()
        writer.close()

    server = await asyncio.start_server(answer, "127.0.0.1", 0)
    port = server.sockets[0].getsockname()[1]
    try:
        response = await post_json(f"http://127.0.0.1:{port}/x", {}, timeout=5)
    finally:
        server.close()
        await server.wait_closed()
    assert response.json() == {"a": 1}


# --------------------------------------------------------------------------------------------------
# play_bots, against the fake (the e2e tests run it against the real stack)
# --------------------------------------------------------------------------------------------------
async def test_play_bots_plays_the_class_to_the_end_and_summarises(fake: FakeServer) -> None:
    out = StringIO()
    await asyncio.wait_for(
        asyncio.to_thread(
            call_command,
            "play_bots",
            "--code",
            CODE.lower(),
            "--students",
            "3",
            "--url",
            base(fake),
            "--think",
            "0",
            "--seed",
            "7",
            "--timeout",
            "20",
            stdout=out,
        ),
        30,
    )
    text = out.getvalue()
    assert "3 bot student(s) in class FAKE23: 6 move(s) over 1 round(s)" in text
    assert "class finished" in text
    assert "Outcomes: SQ x1." in text
    assert sorted(fake.names.values()) == ["Bot student 1", "Bot student 2", "Bot student 3"]


async def test_play_bots_fails_clearly_when_the_class_does_not_exist(fake: FakeServer) -> None:
    with pytest.raises(CommandError, match=r"3 of 3 bot\(s\) did not play to the end: 3 x .*no class"):
        await asyncio.to_thread(
            call_command,
            "play_bots",
            "--code",
            "NOPE99",
            "--students",
            "3",
            "--url",
            base(fake),
            "--timeout",
            "5",
            stdout=StringIO(),
        )
