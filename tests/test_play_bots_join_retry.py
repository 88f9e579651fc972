"""`manage.py play_bots` retries a join the server answers busy (503, 429) or cannot take (no connection),
with backoff, and gives up after `--join-retry` seconds with a message that says why, against the fake
player-protocol server of tests/test_client.py."""

from __future__ import annotations

import asyncio
import socket
import time
from collections.abc import AsyncIterator
from io import StringIO

import pytest
from django.core.management import CommandError, call_command
from websockets.asyncio.server import serve

from tests.test_client import CODE, FakeServer

BUSY = {"error": {"code": "busy", "message": "The server is busy. Wait a moment and try again."}}


@pytest.fixture
async def server() -> AsyncIterator[FakeServer]:
    fake = FakeServer()
    http = await asyncio.start_server(fake.http, "127.0.0.1", 0)
    fake.http_port = http.sockets[0].getsockname()[1]
    async with serve(fake.ws, "127.0.0.1", 0, process_request=fake.process_request) as ws_server:
        fake.ws_port = next(iter(ws_server.sockets)).getsockname()[1]
        try:
            yield fake
        finally:
            http.close()
            await http.wait_closed()


async def play_bots(url: str, *options: str) -> str:
    out = StringIO()
    arguments = ["play_bots", "--code", CODE, "--students", "3", "--url", url, "--think", "0", *options]
    await asyncio.wait_for(asyncio.to_thread(call_command, *arguments, stdout=out), 60)
    return out.getvalue()


async def test_busy_answers_are_retried_and_the_bots_play_to_the_end(server: FakeServer) -> None:
    server.join_answers = [(503, BUSY, {"Retry-After": "0.2"}), (503, BUSY, {}), (429, BUSY, {})]
    started = time.monotonic()
    text = await play_bots(f"http://127.0.0.1:{server.http_port}", "--timeout", "30")
    assert "3 bot student(s) in class FAKE23" in text and "class finished" in text
    assert sorted(server.names.values()) == ["Bot student 1", "Bot student 2", "Bot student 3"]
    assert server.join_answers == []  # all three busy answers were met, and retried
    assert time.monotonic() - started >= 0.2  # the Retry-After was honoured


async def test_a_server_that_stays_busy_ends_with_a_clear_message(server: FakeServer) -> None:
    server.join_answers = [(503, BUSY, {})] * 1000
    started = time.monotonic()
    with pytest.raises(CommandError) as failed:
        await play_bots(f"http://127.0.0.1:{server.http_port}", "--join-retry", "1")
    assert time.monotonic() - started < 15
    message = str(failed.value)
    assert message.startswith("3 of 3 bot(s) did not play to the end: 3 x could not join: ")
    assert "the server was still busy after 1s of retries (503 busy: The server is busy." in message
    assert len(server.join_answers) < 1000 - 3  # each bot asked more than once


async def test_no_server_at_the_url_ends_with_a_clear_message() -> None:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]  # closed again: nothing listens there
    with pytest.raises(CommandError) as failed:
        await play_bots(f"http://127.0.0.1:{port}", "--join-retry", "0.5")
    message = str(failed.value)
    assert f"could not reach http://127.0.0.1:{port} for 0.5s" in message
    assert "is the server running there?" in message


async def test_a_refusal_is_not_retried(server: FakeServer) -> None:
    started = time.monotonic()
    with pytest.raises(CommandError, match=r"3 x could not join: There is no class with that code\. \(404"):
        await play_bots(f"http://127.0.0.1:{server.http_port}", "--code", "NOPE99", "--join-retry", "30")
    assert time.monotonic() - started < 10


def test_join_retry_must_not_be_negative() -> None:
    with pytest.raises(CommandError, match="--join-retry"):
        call_command("play_bots", "--code", CODE, "--students", "1", "--join-retry", "-1", stdout=StringIO())
