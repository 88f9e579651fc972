"""A real server in classroom mode (CLASSROOM=true, as `make classroom` runs it) on a sqlite:/// database:
DEBUG is off (no traceback reaches a student), the machine's LAN address is an allowed host and websocket
Origin while strangers are refused, static files and the favicon are served, and a join that meets
SQLite's write lock held by another connection is answered 503, never 500.

The server listens on loopback only; the LAN address travels in the Host and Origin headers, so nothing
leaves the machine."""

from __future__ import annotations

import asyncio
import contextlib
import http.client
import json
import os
import re
import signal
import socket
import sqlite3
import subprocess
import sys
import time
from collections.abc import Iterator
from dataclasses import dataclass
from http.cookies import SimpleCookie
from pathlib import Path
from typing import Any

import pytest
from websockets.asyncio.client import connect
from websockets.exceptions import ConnectionClosed, InvalidStatus

from tests.conftest import ROOT, clean_environment
from wargame import network

pytestmark = pytest.mark.slow

LAN = network.lan_address()
needs_lan = pytest.mark.skipif(LAN is None, reason="this machine has no network address besides loopback")


@dataclass
class Served:
    port: int
    database: Path
    code: str
    process: subprocess.Popen[bytes]
    log: Path

    def request(
        self, method: str, path: str, *, host: str | None = None, body: bytes | None = None, **headers: str
    ) -> tuple[int, dict[str, str], str]:
        connection = http.client.HTTPConnection("127.0.0.1", self.port, timeout=30)
        try:
            extra = {name.replace("_", "-"): value for name, value in headers.items()}
            fields = {"Host": host or f"127.0.0.1:{self.port}", **extra}
            connection.request(method, path, body=body, headers=fields)
            response = connection.getresponse()
            answer = response.read().decode("utf-8", "replace")
            return response.status, {k.lower(): v for k, v in response.getheaders()}, answer
        finally:
            connection.close()


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


def environment(tmp: Path) -> dict[str, str]:
    return clean_environment(
        DJANGO_SETTINGS_MODULE="wargame.settings",
        CLASSROOM="true",
        STATE_DIR=str(tmp / "state"),
        DATABASE_URL=f"sqlite:///{tmp / 'class.sqlite3'}",
        SQLITE_TIMEOUT="0.5",  # the lock wait before a join answers 503 (20 s by default)
        LOG_LEVEL="WARNING",
    )


def wait_until_up(served: Served, deadline: float) -> None:
    while time.monotonic() < deadline:
        if served.process.poll() is not None:
            raise AssertionError(f"the server exited: {served.log.read_text()[-3000:]}")
        try:
            if served.request("GET", "/healthz")[0] == 200:
                return
        except OSError:
            pass
        time.sleep(0.2)
    raise AssertionError(f"the server did not answer: {served.log.read_text()[-3000:]}")


@pytest.fixture(scope="module")
def served(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Served]:
    tmp = tmp_path_factory.mktemp("classroom")
    env = environment(tmp)
    manage = [sys.executable, "manage.py"]
    migrate = [*manage, "migrate", "--noinput"]
    migrated = subprocess.run(migrate, cwd=ROOT, env=env, capture_output=True, timeout=180)
    assert migrated.returncode == 0, migrated.stderr
    created = subprocess.run(
        [*manage, "create_class", "--scenario", "baseline", "--no-bots"],
        cwd=ROOT, env=env, capture_output=True, text=True, timeout=60,
    )  # fmt: skip
    assert created.returncode == 0, created.stderr
    port = free_port()
    log = tmp / "server.log"
    server = f"{sys.executable} -m uvicorn wargame.asgi:application --host 127.0.0.1 --port {port}"
    with log.open("wb") as output:
        process = subprocess.Popen(
            [sys.executable, "scripts/supervise.py", server],
            cwd=ROOT, env=env, stdout=output, stderr=subprocess.STDOUT, start_new_session=True,
        )  # fmt: skip
    result = Served(port, tmp / "class.sqlite3", created.stdout.strip(), process, log)
    try:
        wait_until_up(result, time.monotonic() + 60)
        yield result
    finally:
        os.killpg(process.pid, signal.SIGINT)  # Ctrl-C, as a terminal sends it
        process.wait(timeout=30)


def lan_host(served: Served) -> str:
    return f"{LAN}:{served.port}"


# ----- safe on the room's network --------------------------------------------------------------------------
def test_debug_is_off_no_traceback_page(served: Served) -> None:
    status, _, body = served.request("GET", "/no-such-page/")
    assert status == 404
    assert "Traceback" not in body and "DEBUG = True" not in body and "URLconf" not in body


def test_a_stranger_host_is_refused(served: Served) -> None:
    status, _, body = served.request("GET", "/", host="evil.example")
    assert status == 400
    assert "DisallowedHost" not in body and "Traceback" not in body


def test_static_files_and_the_favicon_are_served_with_debug_off(served: Served) -> None:
    status, _, body = served.request("GET", "/")
    assert status == 200
    css = re.search(r'href="(/static/css/app\.css)"', body)
    icon = re.search(r'href="(/static/favicon/favicon\.svg)"', body)
    assert css and icon, "the page links its stylesheet and its icon"
    for path in (css.group(1), icon.group(1), "/favicon.ico"):
        assert served.request("GET", path)[0] == 200, path
    icon_type = served.request("GET", "/favicon.ico")[1]["content-type"]
    assert icon_type in {"image/x-icon", "image/vnd.microsoft.icon"}


def test_the_server_starts_without_warnings_or_tracebacks(served: Served) -> None:
    log = served.log.read_text()
    assert "Application startup complete" in log
    startup = log.split("Application startup complete")[0]
    for noise in ("UserWarning", "No directory at", "Traceback", "WARNING", "ERROR"):
        assert noise not in startup, startup
    assert "kombu" not in log


# ----- the room's network: the LAN address is a host and an Origin -----------------------------------------
@needs_lan
def test_a_phone_opening_the_lan_address_gets_the_join_page(served: Served) -> None:
    status, _, body = served.request("GET", f"/?code={served.code}", host=lan_host(served))
    assert status == 200
    assert f'value="{served.code}"' in body


@needs_lan
def test_a_phone_joins_by_the_form_and_plays_over_the_socket(served: Served) -> None:
    cookies = SimpleCookie()
    status, headers, body = served.request("GET", "/", host=lan_host(served))
    cookies.load(headers["set-cookie"])
    token = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', body).group(1)
    form = f"code={served.code}&name=Aiko&csrfmiddlewaretoken={token}".encode()
    origin = f"http://{lan_host(served)}"
    status, headers, _ = served.request(
        "POST", "/join", host=lan_host(served), body=form, Origin=origin,
        Content_Type="application/x-www-form-urlencoded", Cookie=f"csrftoken={cookies['csrftoken'].value}",
    )  # fmt: skip
    assert status == 302, "the form passes the CSRF origin check at the LAN address"
    assert headers["location"] == "/play/"
    cookies.load(headers["set-cookie"])
    cookie_header = "; ".join(f"{name}={morsel.value}" for name, morsel in cookies.items())
    frame = asyncio.run(first_frame(served, origin, cookie_header))
    assert frame["type"] == "state" and frame["view"]["you"]["name"] == "Aiko"


async def first_frame(served: Served, origin: str, cookie: str) -> dict[str, Any]:
    url = f"ws://127.0.0.1:{served.port}/ws/play/"
    async with connect(url, origin=origin, additional_headers={"Cookie": cookie}, open_timeout=10) as ws:  # type: ignore[arg-type]
        return json.loads(await asyncio.wait_for(ws.recv(), 10))


def test_a_socket_from_a_stranger_origin_is_refused(served: Served) -> None:
    async def attempt() -> None:
        url = f"ws://127.0.0.1:{served.port}/ws/play/"
        async with connect(url, origin="http://evil.example", open_timeout=10) as ws:  # type: ignore[arg-type]
            await ws.recv()

    with pytest.raises(InvalidStatus) as refused:
        asyncio.run(attempt())
    assert refused.value.response.status_code == 403


@needs_lan
def test_a_socket_from_the_lan_origin_passes_the_origin_check(served: Served) -> None:
    async def attempt() -> int | None:
        url = f"ws://127.0.0.1:{served.port}/ws/play/"
        async with connect(url, origin=f"http://{lan_host(served)}", open_timeout=10) as ws:  # type: ignore[arg-type]
            with contextlib.suppress(ConnectionClosed):
                await asyncio.wait_for(ws.recv(), 10)
            return ws.close_code

    assert asyncio.run(attempt()) == 4401  # accepted, then told it has not joined: the Origin was allowed


# ----- a busy database ----------------------------------------------------------------------------------
def test_a_join_while_another_connection_holds_the_write_lock_is_503_not_500(served: Served) -> None:
    holder = sqlite3.connect(served.database, isolation_level=None, timeout=5)
    try:
        holder.execute("BEGIN IMMEDIATE")  # SQLite's write lock, held as a long write would hold it
        body = json.dumps({"code": served.code, "name": "Ben"}).encode()
        status, headers, answer = served.request(
            "POST", "/api/join", body=body, Content_Type="application/json"
        )
        assert status == 503, answer[:500]
        assert json.loads(answer)["error"]["code"] == "busy"
        assert headers["retry-after"] == "2"
    finally:
        holder.execute("ROLLBACK")
        holder.close()
    status, _, answer = served.request("POST", "/api/join", body=body, Content_Type="application/json")
    assert status == 201, answer[:500]


def test_the_database_runs_in_wal_mode(served: Served) -> None:
    with sqlite3.connect(served.database) as reader:
        assert reader.execute("PRAGMA journal_mode").fetchone()[0] == "wal"
