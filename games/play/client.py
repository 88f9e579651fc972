"""A headless student: the player protocol of DESIGN.md, from the outside.

`PlayerClient` joins a class over HTTP (`POST /api/join`, keeping the session cookie), opens `/ws/play/`
with that cookie and an Origin of the server's own host, keeps the latest `state`, and, when the socket
drops, reconnects with exponential backoff and sends `sync` (pub/sub delivery is at most once, so whatever
was pushed while it was away is gone). `play()` acts whenever it is this student's turn, through a
strategy callback; the default strategy picks a seeded random legal action after a think time.

`manage.py play_bots`, the end-to-end tests and the load harness use it, so it imports nothing of Django,
prints nothing (logging only), keeps no per-frame history unless asked, and reports timings through
`ClientHooks`. Every wait has a time limit.
"""

from __future__ import annotations

import asyncio
import contextlib
import inspect
import itertools
import json
import logging
import random
import ssl
import time
import uuid
from collections import deque
from collections.abc import Awaitable, Callable
from dataclasses import dataclass, field
from http.cookies import SimpleCookie
from typing import Any
from urllib.parse import urljoin, urlsplit

from websockets.asyncio.client import ClientConnection, connect
from websockets.exceptions import ConnectionClosed, InvalidHandshake, InvalidStatus, InvalidURI

from games.play.protocol import FATAL_CLOSE_CODES

logger = logging.getLogger(__name__)

View = dict[str, Any]
Strategy = Callable[[View], "str | Awaitable[str | None] | None"]

JOIN_PATH = "/api/join"
# Handshake answers that retrying cannot fix: the session is not a participant, or the Origin is refused.
FATAL_HANDSHAKE_STATUSES = frozenset({400, 401, 403, 404})
# Close codes that retrying cannot fix (games/consumers.py): not joined, not staff, no such class. Others
# (1008 after a flood, 1013 while the database is down, 1006 for a lost network) are retried.
# Retrying a join makes sense only when the server is busy or briefly away.
RETRY_JOIN_STATUSES = frozenset({429, 502, 503, 504})
MAX_RESPONSE_BYTES = 1 << 20
MAX_PENDING_MOVES = 64
# A move no `state` or `error` has answered is sent again (same move_id and seq: applied at most once)
# after RESEND_AFTER seconds, then after twice as long each time, at most RESEND_MAX apart and RESEND_TRIES
# times: a worker that died holding it, or a task message lost with it, must not turn a student's move
# into the timeout's default (docs/operations.md, "Drills").
RESEND_AFTER = 3.0
RESEND_MAX = 15.0
RESEND_TRIES = 6
# Move refusals worth trying again (same `move_id`) a moment later; any other refusal comes with a new state.
RETRY_MOVE_ERRORS = frozenset({"rate_limited", "unavailable"})


# --------------------------------------------------------------------------------------------------
# Errors
# --------------------------------------------------------------------------------------------------
class ClientError(Exception):
    """Base class of this module's errors."""


class JoinError(ClientError):
    """`POST /api/join` refused: `status` and the protocol's error `code` and `message`."""

    def __init__(self, status: int, code: str, message: str, *, retry_after: float | None = None) -> None:
        super().__init__(f"join failed ({status} {code}): {message}")
        self.status, self.code, self.message = status, code, message
        self.retry_after = retry_after


class NotConnectedError(ClientError):
    """The socket is down and did not come back in time."""


class ClientFailedError(ClientError):
    """The client gave up: a handshake that retrying cannot fix, or reconnecting took too long."""


# --------------------------------------------------------------------------------------------------
# HTTP: a minimal asyncio POST (no thread per request, so a load harness can join thousands)
# --------------------------------------------------------------------------------------------------
@dataclass(frozen=True)
class HttpResponse:
    status: int
    headers: list[tuple[str, str]]
    body: bytes

    def header(self, name: str) -> str | None:
        return next((v for k, v in self.headers if k.lower() == name.lower()), None)

    def cookies(self) -> dict[str, str]:
        jar: SimpleCookie = SimpleCookie()
        for key, value in self.headers:
            if key.lower() == "set-cookie":
                jar.load(value)
        return {name: morsel.value for name, morsel in jar.items()}

    def json(self) -> Any:
        return json.loads(self.body.decode("utf-8")) if self.body else None


async def post_json(
    url: str, payload: Any, *, headers: dict[str, str] | None = None, timeout: float = 10.0
) -> HttpResponse:
    """POST `payload` as JSON over HTTP/1.1 (`Connection: close`) and read the whole answer."""
    return await asyncio.wait_for(_post_json(url, payload, headers or {}), timeout)


async def _post_json(url: str, payload: Any, headers: dict[str, str]) -> HttpResponse:
    parts = urlsplit(url)
    if parts.scheme not in {"http", "https"} or not parts.hostname:
        raise ValueError(f"not an http(s) URL: {url!r}")
    secure = parts.scheme == "https"
    port = parts.port or (443 if secure else 80)
    body = json.dumps(payload).encode()
    lines = [
        f"POST {parts.path or '/'}{'?' + parts.query if parts.query else ''} HTTP/1.1",
        f"Host: {parts.netloc}",
        "Content-Type: application/json",
        "Accept: application/json",
        f"Content-Length: {len(body)}",
        "Connection: close",
        *(f"{k}: {v}" for k, v in headers.items()),
    ]
    context = ssl.create_default_context() if secure else None
    reader, writer = await asyncio.open_connection(parts.hostname, port, ssl=context)
    try:
        writer.write(("\r\n".join(lines) + "\r\n\r\n").encode("latin-1") + body)
        await writer.drain()
        head = await reader.readuntil(b"\r\n\r\n")
        rest = await reader.read(MAX_RESPONSE_BYTES)
    finally:
        writer.close()
        with contextlib.suppress(OSError, ssl.SSLError):
            await writer.wait_closed()
    status_line, *header_lines = head.decode("latin-1").split("\r\n")
    status = int(status_line.split(" ", 2)[1])
    parsed = [(k.strip(), v.strip()) for k, _, v in (h.partition(":") for h in header_lines if h)]
    response = HttpResponse(status, parsed, rest)
    if (response.header("transfer-encoding") or "").lower() == "chunked":
        response = HttpResponse(status, parsed, _dechunk(rest))
    return response


def _dechunk(data: bytes) -> bytes:
    out, pos = bytearray(), 0
    while True:
        end = data.index(b"\r\n", pos)
        size = int(data[pos:end].split(b";")[0], 16)
        if size == 0:
            return bytes(out)
        out += data[end + 2 : end + 2 + size]
        pos = end + 2 + size + 2


# --------------------------------------------------------------------------------------------------
# Joining
# --------------------------------------------------------------------------------------------------
@dataclass(frozen=True)
class Joined:
    """What a join returns: enough to (re)open the socket as this student, from any process."""

    participant: str
    ws_url: str  # absolute ws:// or wss:// URL
    origin: str
    cookies: dict[str, str]

    @property
    def cookie_header(self) -> str:
        return "; ".join(f"{name}={value}" for name, value in self.cookies.items())


def origin_of(base_url: str) -> str:
    parts = urlsplit(base_url)
    return f"{parts.scheme}://{parts.netloc}"


def websocket_url(base_url: str, path: str) -> str:
    absolute = urljoin(base_url, path)
    parts = urlsplit(absolute)
    scheme = {"http": "ws", "https": "wss"}.get(parts.scheme, parts.scheme)
    return parts._replace(scheme=scheme).geturl()


async def join(
    base_url: str,
    code: str,
    name: str,
    *,
    timeout: float = 30.0,
    retry_for: float = 30.0,
    rng: random.Random | None = None,
) -> Joined:
    """Join class `code` as `name`. Retries (with backoff) while the server is busy or away, at most
    `retry_for` seconds; a refusal (400, 404, 409) raises `JoinError` at once. `timeout` (one attempt) is
    longer than the server's wait for a locked SQLite database (20 s) so that a join the server completes
    late is not sent again: the retry would come without the first one's cookie and seat a second
    student."""
    rng = rng or random.Random()
    url = urljoin(base_url, JOIN_PATH)
    origin = origin_of(base_url)
    give_up = time.monotonic() + retry_for
    for attempt in itertools.count():
        try:
            response = await post_json(
                url, {"code": code, "name": name}, headers={"Origin": origin}, timeout=timeout
            )
        except (OSError, TimeoutError) as exc:
            problem: Exception = exc
        else:
            if response.status == 201:
                answer = response.json()
                cookies = response.cookies()
                if not cookies:
                    raise JoinError(response.status, "no_cookie", "the server set no session cookie")
                return Joined(
                    str(answer["participant"]), websocket_url(base_url, answer["ws_url"]), origin, cookies
                )
            if response.status not in RETRY_JOIN_STATUSES:
                raise _join_error(response)
            problem = _join_error(response)
        delay = backoff_delay(attempt, rng, retry_after=getattr(problem, "retry_after", None))
        if time.monotonic() + delay > give_up:
            raise problem
        logger.info("join of %r to %s: %s; retrying in %.2fs", name, code, problem, delay)
        await asyncio.sleep(delay)
    raise AssertionError("unreachable")  # pragma: no cover


def _join_error(response: HttpResponse) -> JoinError:
    try:
        error = response.json()["error"]
        code, message = str(error["code"]), str(error["message"])
    except (ValueError, KeyError, TypeError):
        text = " ".join(response.body[:2000].decode("utf-8", "replace").split())
        code, message = "http_error", text[:200] or f"HTTP {response.status}"
    retry_after = None
    with contextlib.suppress(TypeError, ValueError):
        retry_after = float(response.header("retry-after"))  # type: ignore[arg-type]
    return JoinError(response.status, code, message, retry_after=retry_after)


def backoff_delay(
    attempt: int,
    rng: random.Random,
    *,
    initial: float = 0.1,
    factor: float = 2.0,
    maximum: float = 5.0,
    retry_after: float | None = None,
) -> float:
    """Exponential backoff with jitter (half fixed, half random), so that a crowd of clients that lost
    the same server does not come back in one burst."""
    ceiling = min(maximum, initial * factor**attempt)
    delay = ceiling / 2 + rng.random() * ceiling / 2
    return max(delay, retry_after or 0.0)


# --------------------------------------------------------------------------------------------------
# Hooks and bookkeeping
# --------------------------------------------------------------------------------------------------
@dataclass
class MoveTiming:
    """One move from sending to its answer: a `state` that shows it applied, or an `error` about it."""

    move_id: str
    action: str
    seq: int
    sent_at: float  # time.perf_counter()
    history_length: int
    round: int | None
    done_at: float | None = None
    error: str | None = None
    resent: int = 0  # times sent again with no answer
    last_sent: float = 0.0  # time.perf_counter() of the latest sending

    @property
    def latency(self) -> float | None:
        return None if self.done_at is None else self.done_at - self.sent_at


class ClientHooks:
    """Override what you need (the load harness records latencies here). Called on the event loop;
    keep them quick. `at` is `time.perf_counter()` when the frame was read."""

    def on_connect(self, client: PlayerClient, *, reconnect: bool) -> None:
        pass

    def on_disconnect(self, client: PlayerClient, reason: str) -> None:
        pass

    def on_state(self, client: PlayerClient, seq: int, view: View, at: float) -> None:
        pass

    def on_error(self, client: PlayerClient, frame: dict[str, Any], at: float) -> None:
        pass

    def on_move_sent(self, client: PlayerClient, move: MoveTiming) -> None:
        pass

    def on_move_done(self, client: PlayerClient, move: MoveTiming) -> None:
        pass


@dataclass
class ClientStats:
    connects: int = 0
    reconnects: int = 0
    states: int = 0
    errors: int = 0
    moves: int = 0
    pongs: int = 0
    resends: int = 0
    error_codes: dict[str, int] = field(default_factory=dict)


def is_finished(view: View | None) -> bool:
    return bool(view) and view.get("class", {}).get("status") == "finished"


def my_actions(view: View | None) -> list[str]:
    return list(((view or {}).get("round") or {}).get("actions") or [])


class RandomStrategy:
    """The default bot: a seeded random legal action after `think` seconds."""

    def __init__(self, *, think: float = 0.5, seed: Any = None) -> None:
        self.think = think
        self.rng = random.Random(seed)

    async def __call__(self, view: View) -> str | None:
        if self.think > 0:
            await asyncio.sleep(self.think)
        actions = my_actions(view)
        return self.rng.choice(actions) if actions else None


# --------------------------------------------------------------------------------------------------
# The client
# --------------------------------------------------------------------------------------------------
class PlayerClient:
    """One student over the public protocol. Use as `async with PlayerClient(url, code, name) as c:`
    (joins and connects), or call `join()`, `connect()` and `close()` yourself."""

    def __init__(
        self,
        base_url: str,
        code: str,
        name: str,
        *,
        joined: Joined | None = None,
        hooks: ClientHooks | None = None,
        seed: Any = None,
        connect_timeout: float = 10.0,
        reconnect: bool = True,
        reconnect_for: float = 60.0,
        backoff_initial: float = 0.1,
        backoff_max: float = 5.0,
        keepalive: float | None = 20.0,
        keep_frames: bool = False,
        resend_after: float | None = RESEND_AFTER,
    ) -> None:
        self.base_url, self.code, self.name = base_url, code, name
        self.joined = joined
        self.hooks = hooks or ClientHooks()
        self.rng = random.Random(seed)
        self.connect_timeout = connect_timeout
        self.reconnect = reconnect
        self.reconnect_for = reconnect_for
        self.backoff_initial, self.backoff_max = backoff_initial, backoff_max
        self.keepalive = keepalive
        self.stats = ClientStats()
        self.view: View | None = None
        self.seq: int = -1
        self.errors: deque[dict[str, Any]] = deque(maxlen=100)
        # Every frame received, in order, as (perf_counter, frame): for tests, off by default.
        self.frames: list[tuple[float, dict[str, Any]]] | None = [] if keep_frames else None
        self.failure: Exception | None = None
        self.connection_id = 0  # grows with every (re)connection
        self._ws: ClientConnection | None = None
        self._runner: asyncio.Task[None] | None = None
        self._stopping = False
        self._connected = asyncio.Event()
        self._changed = asyncio.Event()
        self._pongs: deque[asyncio.Future[float]] = deque()
        self._pending: dict[str, MoveTiming] = {}
        self.resend_after = resend_after  # None: never send an unanswered move again by itself
        self._resender: asyncio.Task[None] | None = None

    # ----- lifecycle ------------------------------------------------------------------------------
    async def __aenter__(self) -> PlayerClient:
        await self.connect()
        return self

    async def __aexit__(self, *exc: object) -> None:
        await self.close()

    @property
    def participant(self) -> str | None:
        return self.joined.participant if self.joined else None

    @property
    def connected(self) -> bool:
        return self._connected.is_set()

    async def join(self, *, retry_for: float = 30.0) -> Joined:
        self.joined = await join(
            self.base_url,
            self.code,
            self.name,
            timeout=self.connect_timeout,
            retry_for=retry_for,
            rng=self.rng,
        )
        return self.joined

    async def connect(self, *, timeout: float | None = None) -> View:
        """Join if needed, open the socket (reconnecting in the background from then on) and return the
        first `state`."""
        if self.joined is None:
            await self.join()
        if self._runner is None or self._runner.done():
            self._stopping, self.failure = False, None
            self._runner = asyncio.create_task(self._run(), name=f"player:{self.name}")
        if self.resend_after and (self._resender is None or self._resender.done()):
            self._resender = asyncio.create_task(self._resend_unanswered(), name=f"resend:{self.name}")
        return await self.wait_for(lambda view: True, timeout or self.connect_timeout)

    async def close(self) -> None:
        """Stop for good (no reconnection)."""
        self._stopping = True
        ws = self._ws
        if ws is not None:
            with contextlib.suppress(Exception):
                await asyncio.wait_for(ws.close(), 5)
        for task in (self._runner, self._resender):
            if task is not None:
                task.cancel()
                with contextlib.suppress(asyncio.CancelledError, Exception):
                    await task
        self._connected.clear()
        self._fail_pongs(NotConnectedError("closed"))

    async def drop(self, *, clean: bool = True) -> None:
        """Lose the connection as a browser would (a closed tab, a dead network with `clean=False`); the
        client reconnects by itself with the same cookie and resyncs."""
        ws = self._ws
        if ws is None:
            return
        if clean:
            with contextlib.suppress(Exception):
                await asyncio.wait_for(ws.close(), 5)
        else:
            ws.transport.abort()

    async def wait_connected(self, timeout: float | None = None) -> None:
        self._raise_if_failed()
        try:
            await asyncio.wait_for(self._connected.wait(), timeout or self.connect_timeout)
        except TimeoutError as exc:
            self._raise_if_failed()
            limit = timeout or self.connect_timeout
            raise NotConnectedError(f"{self.name}: not connected after {limit}s") from exc

    # ----- sending --------------------------------------------------------------------------------
    async def send(self, frame: dict[str, Any]) -> None:
        """Send one frame, waiting (bounded) for the connection if it is down."""
        await self.wait_connected()
        ws = self._ws
        if ws is None:
            raise NotConnectedError(f"{self.name}: the connection dropped")
        try:
            await ws.send(json.dumps(frame))
        except ConnectionClosed as exc:
            raise NotConnectedError(f"{self.name}: the connection dropped while sending") from exc

    async def send_move(
        self, action: str, *, seq: int | None = None, move_id: str | None = None
    ) -> MoveTiming:
        """Play `action` on the state `seq` (default: the latest). A repeated `move_id` is applied at most
        once, so resending after a reconnection is safe."""
        seq = self.seq if seq is None else seq
        move = MoveTiming(
            move_id=move_id or uuid.uuid4().hex,
            action=action,
            seq=seq,
            sent_at=time.perf_counter(),
            history_length=len(((self.view or {}).get("round") or {}).get("history") or []),
            round=(self.view or {}).get("class", {}).get("round"),
        )
        move.last_sent = move.sent_at
        self._pending[move.move_id] = move
        while len(self._pending) > MAX_PENDING_MOVES:  # never answered (lost with a connection): forget
            del self._pending[next(iter(self._pending))]
        await self.send({"type": "move", "action": action, "move_id": move.move_id, "seq": seq})
        self.stats.moves += 1
        self.hooks.on_move_sent(self, move)
        return move

    async def sync(self, *, wait: bool = True, timeout: float | None = None) -> View | None:
        """Ask for the current state; with `wait`, return it."""
        before = self.stats.states
        await self.send({"type": "sync"})
        if not wait:
            return None
        return await self.wait_for(lambda view: self.stats.states > before, timeout or self.connect_timeout)

    async def ping(self, *, timeout: float | None = None) -> float:
        """A protocol `ping`; returns the round-trip time to its `pong` in seconds."""
        future: asyncio.Future[float] = asyncio.get_running_loop().create_future()
        self._pongs.append(future)
        started = time.perf_counter()
        await self.send({"type": "ping"})
        await asyncio.wait_for(future, timeout or self.connect_timeout)
        return time.perf_counter() - started

    async def _resend_unanswered(self) -> None:
        """Send again, with the same move_id and seq, every move that no `state` or `error` answered
        within `resend_after` seconds (then twice as long, up to RESEND_MAX, RESEND_TRIES times)."""
        assert self.resend_after
        while not self._stopping:
            await asyncio.sleep(min(0.5, self.resend_after / 2))
            if not self.connected:
                continue  # a reconnection resyncs first; what stays unanswered goes again afterwards
            now = time.perf_counter()
            for move in list(self._pending.values()):
                wait = min(RESEND_MAX, self.resend_after * 2**move.resent)
                if move.resent >= RESEND_TRIES or now - move.last_sent < wait:
                    continue
                frame = {"type": "move", "action": move.action, "move_id": move.move_id, "seq": move.seq}
                try:
                    await self.send(frame)
                except NotConnectedError:
                    break
                move.resent, move.last_sent = move.resent + 1, time.perf_counter()
                self.stats.resends += 1
                logger.info("%s: move %s unanswered; sent again (%d)", self.name, move.move_id, move.resent)

    # ----- waiting --------------------------------------------------------------------------------
    async def wait_for(self, predicate: Callable[[View], bool], timeout: float) -> View:
        """The latest view once `predicate(view)` holds; `TimeoutError` after `timeout` seconds."""
        loop = asyncio.get_running_loop()
        until = loop.time() + timeout
        while True:
            self._raise_if_failed()
            if self.view is not None and predicate(self.view):
                return self.view
            remaining = until - loop.time()
            if remaining <= 0:
                raise TimeoutError(f"{self.name}: condition not met within {timeout}s (seq {self.seq})")
            changed = self._changed
            with contextlib.suppress(TimeoutError):
                await asyncio.wait_for(changed.wait(), remaining)

    async def wait_seq_beyond(self, seq: int, timeout: float) -> View:
        return await self.wait_for(lambda view: self.seq > seq, timeout)

    async def wait_finished(self, timeout: float) -> View:
        return await self.wait_for(is_finished, timeout)

    # ----- playing --------------------------------------------------------------------------------
    async def play(
        self,
        strategy: Strategy | None = None,
        *,
        think: float = 0.5,
        timeout: float = 3600.0,
        move_timeout: float = 10.0,
    ) -> View:
        """Act on every turn until the class ends; returns the final view.

        `strategy(view)` returns an action (or an awaitable of one), or None to let the turn pass (the
        server's timeout then plays the benchmark action). A move with no answer after `move_timeout`
        seconds, or sent on a connection that has dropped since, is sent again with the same `move_id`.
        """
        strategy = strategy or RandomStrategy(think=think, seed=self.rng.random())
        loop = asyncio.get_running_loop()
        until = loop.time() + timeout
        acted: dict[int, tuple[MoveTiming | None, int]] = {}  # seq -> (move, connection it was sent on)

        def should_act(view: View) -> bool:
            if is_finished(view) or not my_actions(view):
                return False
            done = acted.get(self.seq)
            if done is None:
                return True
            move, connection = done
            if move is None:
                return False  # passed on purpose
            if move.error is not None:  # other refusals come with a new state, hence a new seq
                return move.error in RETRY_MOVE_ERRORS and time.perf_counter() - (move.done_at or 0) > 1.0
            return connection != self.connection_id or time.perf_counter() - move.sent_at > move_timeout

        while True:
            remaining = until - loop.time()
            if remaining <= 0:
                raise TimeoutError(f"{self.name}: the class did not end within {timeout}s")
            try:
                view = await self.wait_for(lambda v: is_finished(v) or should_act(v), min(remaining, 1.0))
            except TimeoutError:
                continue  # re-evaluate each second: a move may be due for resending
            if is_finished(view):
                return view
            seq, previous = self.seq, acted.get(self.seq)
            if previous is not None and previous[0] is not None:  # resend the same move: applied at most once
                choice: str | None = previous[0].action
            else:
                choice = strategy(view)
                if inspect.isawaitable(choice):
                    choice = await choice
                if self.seq != seq:
                    continue  # the crisis moved on while we were thinking: decide again
            if choice is None:
                acted[seq] = (None, self.connection_id)
                continue
            if choice not in my_actions(self.view):
                logger.warning("%s: strategy chose %r, not one of %s", self.name, choice, my_actions(view))
                acted[seq] = (None, self.connection_id)
                continue
            connection = self.connection_id
            try:
                move = await self.send_move(
                    choice, seq=seq, move_id=previous[0].move_id if previous and previous[0] else None
                )
            except NotConnectedError:
                continue
            acted[seq] = (move, connection)
            for old in [s for s in acted if s < seq]:
                del acted[old]

    # ----- the connection loop --------------------------------------------------------------------
    async def _run(self) -> None:
        assert self.joined is not None
        attempt, down_since = 0, None
        loop = asyncio.get_running_loop()
        while not self._stopping:
            try:
                ws = await connect(
                    self.joined.ws_url,
                    origin=self.joined.origin,  # type: ignore[arg-type]
                    additional_headers={"Cookie": self.joined.cookie_header},
                    compression=None,
                    proxy=None,
                    open_timeout=self.connect_timeout,
                    ping_interval=self.keepalive,
                    ping_timeout=self.keepalive,
                    close_timeout=5,
                )
            except (OSError, TimeoutError, InvalidHandshake, InvalidURI) as exc:
                if isinstance(exc, InvalidURI) or (
                    isinstance(exc, InvalidStatus) and exc.response.status_code in FATAL_HANDSHAKE_STATUSES
                ):
                    self._fail(ClientFailedError(f"{self.name}: the server refused the socket: {exc}"))
                    return
                down_since = down_since if down_since is not None else loop.time()
                if not self.reconnect or loop.time() - down_since > self.reconnect_for:
                    self._fail(ClientFailedError(f"{self.name}: could not (re)connect: {exc!r}"))
                    return
                delay = self._backoff(attempt)
                attempt += 1
                logger.info("%s: connect failed (%r); retrying in %.2fs", self.name, exc, delay)
                await asyncio.sleep(delay)
                continue
            reconnect = self.connection_id > 0
            attempt, down_since = 0, None
            self._ws, self.connection_id = ws, self.connection_id + 1
            self.stats.connects += 1
            self._connected.set()
            self.hooks.on_connect(self, reconnect=reconnect)
            if reconnect:
                self.stats.reconnects += 1
                logger.info("%s: reconnected; resyncing", self.name)
                with contextlib.suppress(ConnectionClosed):
                    await ws.send(json.dumps({"type": "sync"}))
            reason = await self._receive(ws)
            self._ws = None
            self._connected.clear()
            self._fail_pongs(NotConnectedError("the connection dropped"))
            self.hooks.on_disconnect(self, reason)
            self._notify()
            if self._stopping:
                return
            if ws.close_code in FATAL_CLOSE_CODES:
                self._fail(
                    ClientFailedError(f"{self.name}: the server closed the socket for good ({reason})")
                )
                return
            logger.info("%s: connection lost (%s)", self.name, reason)
            if not self.reconnect:
                self._fail(ClientFailedError(f"{self.name}: connection lost ({reason}) and reconnect is off"))
                return
            down_since = loop.time()
            await asyncio.sleep(self._backoff(0))

    async def _receive(self, ws: ClientConnection) -> str:
        try:
            async for raw in ws:
                self._handle(raw)
        except ConnectionClosed as exc:
            return f"closed: {exc}"
        return f"closed: {ws.close_code} {ws.close_reason}".strip()

    def _handle(self, raw: str | bytes) -> None:
        at = time.perf_counter()
        try:
            frame = json.loads(raw)
            kind = frame["type"]
        except (ValueError, TypeError, KeyError):
            logger.warning("%s: unreadable frame %.100r", self.name, raw)
            return
        if self.frames is not None:
            self.frames.append((at, frame))
        if kind == "state":
            self._on_state(frame, at)
        elif kind == "error":
            self._on_error(frame, at)
        elif kind == "pong":
            self.stats.pongs += 1
            while self._pongs:
                future = self._pongs.popleft()
                if not future.done():
                    future.set_result(at)
                    break

    def _on_state(self, frame: dict[str, Any], at: float) -> None:
        seq, view = int(frame["seq"]), frame["view"]
        self.stats.states += 1
        if seq >= self.seq:  # an older view (a late push after a newer sync answer) is ignored
            self.seq, self.view = seq, view
        self.hooks.on_state(self, seq, view, at)
        if self._pending:
            self._settle_moves(at)
        self._notify()

    def _settle_moves(self, at: float) -> None:
        view = self.view or {}
        history = len((view.get("round") or {}).get("history") or [])
        current_round = view.get("class", {}).get("round")
        for move_id, move in list(self._pending.items()):
            if self.seq > move.seq and (history > move.history_length or current_round != move.round):
                move.done_at = at
                del self._pending[move_id]
                self.hooks.on_move_done(self, move)

    def _on_error(self, frame: dict[str, Any], at: float) -> None:
        self.stats.errors += 1
        code = str(frame.get("code"))
        self.stats.error_codes[code] = self.stats.error_codes.get(code, 0) + 1
        self.errors.append(frame)
        logger.info("%s: error %s: %s (ref %s)", self.name, code, frame.get("message"), frame.get("ref"))
        move = self._pending.pop(str(frame.get("ref")), None)
        if move is not None:
            move.done_at, move.error = at, code
            self.hooks.on_move_done(self, move)
        self.hooks.on_error(self, frame, at)
        self._notify()

    # ----- helpers --------------------------------------------------------------------------------
    def _backoff(self, attempt: int) -> float:
        return backoff_delay(attempt, self.rng, initial=self.backoff_initial, maximum=self.backoff_max)

    def _notify(self) -> None:
        changed, self._changed = self._changed, asyncio.Event()
        changed.set()

    def _fail(self, exc: Exception) -> None:
        logger.warning("%s", exc)
        self.failure = exc
        self._fail_pongs(exc)
        self._notify()

    def _fail_pongs(self, exc: Exception) -> None:
        while self._pongs:
            future = self._pongs.popleft()
            if not future.done():
                future.set_exception(exc)

    def _raise_if_failed(self) -> None:
        if self.failure is not None:
            raise self.failure
