"""The durable queue of moves waiting to be resolved, in shards, and the one task per shard that drains it.

A consumer appends a move to its shard and, when no resolve task is pending for that shard, gets an
*owner* id to start one with (`tasks.resolve_moves`, task id = owner). The task claims the shard, takes
what waits there (moves it took before and did not acknowledge first, then new ones, up to a cap),
resolves them in one transaction, acknowledges them, and releases the shard when it is empty (after
waiting `MOVE_LINGER_MS` for the next move, which then needs no task of its own). A claim is a
lease: it lapses after `MOVE_LEASE_SECONDS` without a sign of life (a task message lost with a dying
worker, a worker killed mid-batch), and `rescue()` (run by the periodic sweep) starts a task for every
shard that holds moves and no lease. Exactly once is the database's job (unique `(round, move_id)`); this
module makes sure that no accepted move is forgotten and that a shard's moves are taken in order.

Two implementations behind one interface (`MoveQueue`):

* `RedisStreamQueue` (stack mode): a Redis stream per shard with one consumer group, so taking a move
  records it as taken in the same step (kombu's list-based transport pops a task first and records it
  after, and a worker killed in between loses it: DESIGN.md "Pitfalls"). The appends, claims and
  releases are Lua scripts, so "the task finds the shard empty and lets go" and "a consumer appends and
  sees a task pending" cannot interleave.
* `LocalQueue` (embedded mode, no Redis): the same steps on in-process structures; tasks run eagerly.

Shards are a hash of the participant, not of the group: the consumer knows its participant for free,
while the group a student sits in changes from round to round and would cost a query per move. A
participant's own moves stay in order in one shard; a group's moves are ordered by the game itself (a
move names the state `seq` it acted on, which exists only once the moves before it were applied), and
the batch locks its rounds in id order so that two shards' batches never deadlock on a group
(docs/performance.md, "Moves in batches").
"""

from __future__ import annotations

import asyncio
import contextlib
import os
import threading
import time
import uuid
import weakref
import zlib
from collections import deque
from dataclasses import dataclass
from typing import Any, Literal, Protocol

import redis
import redis.asyncio
from django.conf import settings

KEY_PREFIX = "crisis:moves"
GROUP = "resolvers"
# One consumer name per shard: a task that takes over a shard (after a worker died) reads the entries
# its predecessor took and did not acknowledge simply as its own pending entries (XREADGROUP ... 0).
CONSUMER = "resolver"
MAX_SHARDS = 64  # what `rescue` looks at, whatever MOVE_SHARDS is now (a shard count may have shrunk)
# After a Redis restart a kept connection fails once ("Connection closed by server") before it reconnects:
# without another attempt that move was refused `unavailable` (tests/drills, the Redis drill). Against a
# Redis that is really down, the attempts fail at once. A script run twice is harmless: every one of
# them is idempotent but APPEND, and a move appended twice is applied once (its move_id).
ATTEMPTS = 3
APPEND_CONNECTIONS = 32  # per ASGI process: an append holds one for a round trip (~0.3 ms)


# --------------------------------------------------------------------------------------------------
# Settings (each readable from Django settings, else the environment, else the default)
# --------------------------------------------------------------------------------------------------
def setting(name: str, default: Any) -> Any:
    """`settings.NAME`, else the environment variable NAME (cast like `default`), else `default`."""
    value = getattr(settings, name, None)
    if value is None:
        raw = os.environ.get(name)
        if raw is None or raw == "":
            return default
        value = raw if isinstance(default, str) else type(default)(raw)
    return value


def mode() -> str:
    """How moves reach the workers: "stream" (this queue; the default) or "task" (one Celery task per
    move, `MOVE_TASK`, as before batching). Embedded mode (eager tasks, no broker) always queues
    in-process."""
    return str(setting("MOVE_QUEUE", "stream"))


def shards() -> int:
    """How many shards moves are spread over (`MOVE_SHARDS`, default 2: about the cores the workers have,
    docs/performance.md; each shard is drained by one task at a time)."""
    return max(1, min(MAX_SHARDS, int(setting("MOVE_SHARDS", 2))))


def batch_max() -> int:
    return max(1, int(setting("MOVE_BATCH_MAX", 100)))


def lease_ms() -> int:
    return max(100, int(1000 * float(setting("MOVE_LEASE_SECONDS", 3.0))))


def drain_seconds() -> float:
    return float(setting("MOVE_DRAIN_SECONDS", 2.0))


def linger_ms() -> int:
    """How long a task that found its shard empty waits for the next move before letting go (0: it lets
    go at once). Under light load a move then reaches a task already running instead of starting one
    through Celery (docs/performance.md, "A batch of one"); never in embedded mode, where the task runs
    in the consumer's place."""
    if embedded():
        return 0
    return max(0, min(int(setting("MOVE_LINGER_MS", 200)), lease_ms() // 2))  # the lease outlasts a wait


def backlog_limit() -> int:
    return int(setting("MOVE_QUEUE_LIMIT", 10_000))


def drill_pause(stage: str) -> None:
    """A drill's fault-injection point (docs/operations.md, "Drills"): with `MOVE_DRILL_PAUSE=taken:2` a
    worker sleeps 2 s after taking a batch (`resolved:2`: after committing it, before acknowledging it),
    so that a drill can kill it exactly there instead of racing a batch that takes milliseconds. Unset, as
    in every real deployment, it does nothing."""
    wanted, _, seconds = str(setting("MOVE_DRILL_PAUSE", "")).partition(":")
    if wanted == stage and seconds:
        time.sleep(float(seconds))


def shard_of(participant_id: Any, count: int | None = None) -> int:
    """The shard of a participant's moves: stable across processes (crc32, not Python's salted hash)."""
    return zlib.crc32(str(participant_id).encode()) % (count or shards())


def new_owner() -> str:
    return uuid.uuid4().hex


# --------------------------------------------------------------------------------------------------
# The interface
# --------------------------------------------------------------------------------------------------
@dataclass(frozen=True)
class QueuedMove:
    """A move as it waits in its shard: `entry` is its place there (acknowledged by it)."""

    entry: str
    participant_id: str
    action: str
    move_id: str
    seq: Any


Started = tuple[int, str]  # (shard, owner): start `tasks.resolve_moves(shard)` with task id `owner`
# What `finish_or_linger` found: another holds the shard or it is empty and let go ("stop"), moves wait
# ("again"), or it is empty and still held ("idle").
Finished = Literal["stop", "again", "idle"]
_FINISHED: dict[int, Finished] = {1: "stop", 0: "again", 2: "idle"}


class QueueFullError(Exception):
    """The shard's backlog is at `MOVE_QUEUE_LIMIT`: no worker is draining it. The move is refused
    (`unavailable`) rather than kept without bound."""


class MoveQueue(Protocol):
    async def append(self, participant_id: str, action: str, move_id: str, seq: int) -> Started | None:
        """Queue a move; returns (shard, owner) when a task must be started for the shard, else None."""

    def claim(self, shard: int, owner: str) -> bool:
        """Take the shard's lease for `owner` (free, or already `owner`'s); False if another holds it."""

    def take(self, shard: int, limit: int) -> list[QueuedMove]:
        """Moves taken before and not acknowledged, then new ones, in order, at most `limit` new."""

    def finish(self, shard: int, owner: str, done: list[QueuedMove]) -> bool:
        """Acknowledge `done`; then True if the shard is empty (the lease is let go) or held by another,
        False if `owner` should take again (the lease is renewed)."""

    def finish_or_linger(self, shard: int, owner: str, done: list[QueuedMove]) -> Finished:
        """`finish`, but an empty shard is kept (its lease renewed): "idle", and the task may `wait`."""

    def wait(self, shard: int, limit: int, ms: int) -> list[QueuedMove]:
        """New moves, at most `limit`, waiting up to `ms` for the first (taking them records them as
        taken, as `take` does); [] when none came."""

    def hand_over(self, shard: int, owner: str, successor: str) -> bool:
        """Pass `owner`'s lease to `successor` (a new task), if `owner` still holds it."""

    def rescue(self) -> list[tuple[int, str]]:
        """(shard, owner) for every shard holding moves with no lease: start a task for each."""

    def stats(self) -> dict[str, int]:
        """Batches and moves resolved so far (both counters only grow)."""


# --------------------------------------------------------------------------------------------------
# Redis streams (stack mode)
# --------------------------------------------------------------------------------------------------

# KEYS: stream, lease. ARGV: participant, action, move_id, seq, owner, lease ms, backlog limit.
# Returns -1 (the backlog is full), 1 (appended; the caller starts a task as `owner`), 0 (appended; a
# task is pending or running and will see it, because it lets go only in FINISH, atomically with
# finding the stream empty).
APPEND = """
if redis.call('XLEN', KEYS[1]) >= tonumber(ARGV[7]) then return -1 end
redis.call('XADD', KEYS[1], '*', 'p', ARGV[1], 'a', ARGV[2], 'm', ARGV[3], 's', ARGV[4])
if redis.call('SET', KEYS[2], ARGV[5], 'NX', 'PX', ARGV[6]) then return 1 end
return 0
"""

# KEYS: lease. ARGV: owner, lease ms.
CLAIM = """
local holder = redis.call('GET', KEYS[1])
if holder and holder ~= ARGV[1] then return 0 end
redis.call('SET', KEYS[1], ARGV[1], 'PX', ARGV[2])
return 1
"""

# KEYS: stream. ARGV: group, consumer, limit. The entries this consumer took and did not acknowledge
# (a predecessor killed mid-batch), then new ones: taking records the taking (the group's pending list).
TAKE = """
local function read(from, count)
  local got = redis.pcall('XREADGROUP', 'GROUP', ARGV[1], ARGV[2], 'COUNT', count, 'STREAMS', KEYS[1], from)
  if type(got) == 'table' and got.err then
    if string.find(got.err, 'NOGROUP') then
      redis.call('XGROUP', 'CREATE', KEYS[1], ARGV[1], '0', 'MKSTREAM')
      got = redis.call('XREADGROUP', 'GROUP', ARGV[1], ARGV[2], 'COUNT', count, 'STREAMS', KEYS[1], from)
    else
      return redis.error_reply(got.err)
    end
  end
  if not got then return {} end
  return got[1][2]
end
local out = read('0', ARGV[3])
local room = tonumber(ARGV[3]) - #out
if room > 0 then
  for _, entry in ipairs(read('>', room)) do table.insert(out, entry) end
end
return out
"""

# KEYS: stream, lease, stats. ARGV: group, owner, lease ms, keep (1 or 0), then the entry ids done.
# Acknowledges and deletes the entries (so XLEN counts exactly the moves not yet done), counts the
# batch, then lets go of an empty shard or renews the lease. Returns 1 (stop), 0 (take again) or, with
# keep = 1, 2 (empty, and the lease renewed: the task waits a little for the next move, `linger`).
FINISH = """
if #ARGV > 4 then
  local ids = {unpack(ARGV, 5)}
  redis.call('XACK', KEYS[1], ARGV[1], unpack(ids))
  redis.call('XDEL', KEYS[1], unpack(ids))
  redis.call('HINCRBY', KEYS[3], 'batches', 1)
  redis.call('HINCRBY', KEYS[3], 'moves', #ids)
end
local holder = redis.call('GET', KEYS[2])
if holder and holder ~= ARGV[2] then return 1 end
if redis.call('XLEN', KEYS[1]) == 0 then
  if ARGV[4] == '1' and holder == ARGV[2] then
    redis.call('SET', KEYS[2], ARGV[2], 'PX', ARGV[3])
    return 2
  end
  if holder == ARGV[2] then redis.call('DEL', KEYS[2]) end
  return 1
end
redis.call('SET', KEYS[2], ARGV[2], 'PX', ARGV[3])
return 0
"""

# KEYS: lease. ARGV: owner, successor, lease ms.
HAND_OVER = """
if redis.call('GET', KEYS[1]) ~= ARGV[1] then return 0 end
redis.call('SET', KEYS[1], ARGV[2], 'PX', ARGV[3])
return 1
"""

# ARGV: key prefix, number of shards, owner prefix, lease ms. Shards with moves and no lease get one.
RESCUE = """
local out = {}
for shard = 0, tonumber(ARGV[2]) - 1 do
  local stream = ARGV[1] .. ':' .. shard
  if redis.call('XLEN', stream) > 0 then
    local owner = ARGV[3] .. '-' .. shard
    if redis.call('SET', stream .. ':lease', owner, 'NX', 'PX', ARGV[4]) then
      table.insert(out, shard)
    end
  end
end
return out
"""


def _entry(raw: Any) -> QueuedMove:
    """A stream entry as a move (with empty fields for an entry deleted while pending: the task drops
    it, and acknowledging it clears it)."""
    entry_id, fields = raw
    fields = fields or []  # a flat list from a script, a dict from redis-py's XREADGROUP
    values = fields if isinstance(fields, dict) else dict(zip(fields[::2], fields[1::2], strict=False))

    def text(key: bytes) -> str:
        value = values.get(key, b"")
        return value.decode("utf-8", "replace") if isinstance(value, bytes) else str(value)

    seq: Any = text(b"s")
    with contextlib.suppress(ValueError):  # else the task answers `bad_message`, as for any bad move
        seq = int(seq)
    return QueuedMove(
        entry_id.decode() if isinstance(entry_id, bytes) else str(entry_id),
        text(b"p"),
        text(b"a"),
        text(b"m"),
        seq,
    )


class RedisStreamQueue:
    """The queue on Redis streams; `url` is the broker's Redis (settings.REDIS_URL). Keys: `<prefix>:<shard>`
    (the stream), `<prefix>:<shard>:lease`, `<prefix>:stats`."""

    def __init__(self, url: str, prefix: str = KEY_PREFIX) -> None:
        self.url, self.prefix = url, prefix
        self.lock = threading.Lock()
        self.client: redis.Redis | None = None
        self.pid = 0
        self.scripts: dict[str, Any] = {}
        # One asyncio client per event loop (a consumer's loop; tests make one per test).
        self.async_clients: weakref.WeakKeyDictionary[Any, tuple[Any, Any]] = weakref.WeakKeyDictionary()

    def stream_key(self, shard: int) -> str:
        return f"{self.prefix}:{shard}"

    def lease_key(self, shard: int) -> str:
        return f"{self.prefix}:{shard}:lease"

    # ----- clients --------------------------------------------------------------------------------
    def _sync(self) -> redis.Redis:
        with self.lock:
            if self.client is None or self.pid != os.getpid():  # made again after a fork
                self.client = redis.Redis.from_url(
                    self.url, socket_connect_timeout=2, socket_timeout=10, health_check_interval=30
                )
                self.pid = os.getpid()
                self.scripts = {
                    name: self.client.register_script(text)
                    for name, text in (("claim", CLAIM), ("take", TAKE), ("finish", FINISH),
                                       ("hand_over", HAND_OVER), ("rescue", RESCUE))
                }  # fmt: skip
            return self.client

    def _run(self, name: str, keys: list[str] | None = None, args: list[Any] | None = None) -> Any:
        """Run script `name`, again on a connection error (see ATTEMPTS)."""
        for attempt in range(1, ATTEMPTS + 1):
            self._sync()
            try:
                return self.scripts[name](keys=keys or [], args=args or [])
            except redis.ConnectionError:
                if attempt == ATTEMPTS:
                    raise
        raise AssertionError("unreachable")  # pragma: no cover

    def _async_append(self) -> Any:
        loop = asyncio.get_running_loop()
        found = self.async_clients.get(loop)
        if found is None:
            # Many sockets append at once in a burst: a bounded pool whose callers wait for a connection
            # (a plain pool refuses past its size: "Too many connections", and the move was refused).
            pool = redis.asyncio.BlockingConnectionPool.from_url(
                self.url, max_connections=APPEND_CONNECTIONS, timeout=5,
                socket_connect_timeout=2, socket_timeout=5, health_check_interval=30,
            )  # fmt: skip
            client = redis.asyncio.Redis(connection_pool=pool)
            found = (client, client.register_script(APPEND))
            self.async_clients[loop] = found
        return found[1]

    # ----- the consumer's side --------------------------------------------------------------------
    async def append(self, participant_id: str, action: str, move_id: str, seq: int) -> Started | None:
        shard, owner = shard_of(participant_id), new_owner()
        keys = [self.stream_key(shard), self.lease_key(shard)]
        args = [str(participant_id), action, move_id, seq, owner, lease_ms(), backlog_limit()]
        for attempt in range(1, ATTEMPTS + 1):
            try:
                started = await self._async_append()(keys=keys, args=args)
                break
            except redis.ConnectionError:
                if attempt == ATTEMPTS:
                    raise
        if started == -1:
            raise QueueFullError(f"shard {shard} holds {backlog_limit()} moves")
        return (shard, owner) if started == 1 else None

    # ----- the task's side ------------------------------------------------------------------------
    def claim(self, shard: int, owner: str) -> bool:
        return bool(self._run("claim", [self.lease_key(shard)], [owner, lease_ms()]))

    def take(self, shard: int, limit: int) -> list[QueuedMove]:
        raw = self._run("take", [self.stream_key(shard)], [GROUP, CONSUMER, limit])
        return [_entry(entry) for entry in raw or []]

    def finish(self, shard: int, owner: str, done: list[QueuedMove]) -> bool:
        return self._finish(shard, owner, done, keep=False) == 1

    def finish_or_linger(self, shard: int, owner: str, done: list[QueuedMove]) -> Finished:
        return _FINISHED[self._finish(shard, owner, done, keep=True)]

    def _finish(self, shard: int, owner: str, done: list[QueuedMove], *, keep: bool) -> int:
        keys = [self.stream_key(shard), self.lease_key(shard), f"{self.prefix}:stats"]
        args = [GROUP, owner, lease_ms(), int(keep), *(move.entry for move in done)]
        return int(self._run("finish", keys, args))

    def wait(self, shard: int, limit: int, ms: int) -> list[QueuedMove]:
        # A plain blocking XREADGROUP (a script cannot block): an append wakes it at once. The lease it
        # runs under is renewed by `finish_or_linger` and outlasts `ms` (lease_ms() > MOVE_LINGER_MS).
        try:
            streams = {self.stream_key(shard): ">"}
            got = self._sync().xreadgroup(GROUP, CONSUMER, streams, count=limit, block=ms)
        except redis.ResponseError:  # NOGROUP: Redis lost the stream; `take` makes it again
            return []
        return [_entry(entry) for entry in got[0][1]] if got else []

    def hand_over(self, shard: int, owner: str, successor: str) -> bool:
        return bool(self._run("hand_over", [self.lease_key(shard)], [owner, successor, lease_ms()]))

    def rescue(self) -> list[tuple[int, str]]:
        prefix = new_owner()
        found = self._run("rescue", [], [self.prefix, MAX_SHARDS, prefix, lease_ms()])
        return [(int(shard), f"{prefix}-{int(shard)}") for shard in found or []]

    def stats(self) -> dict[str, int]:
        raw = self._sync().hgetall(f"{self.prefix}:stats")
        return {key.decode(): int(value) for key, value in raw.items()}


# --------------------------------------------------------------------------------------------------
# In-process (embedded mode)
# --------------------------------------------------------------------------------------------------
@dataclass
class _Shard:
    waiting: deque[QueuedMove]
    taken: list[QueuedMove]
    owner: str | None = None
    lease_until: float = 0.0


class LocalQueue:
    """The same queue in this process's memory, for embedded mode (one process, eager tasks)."""

    def __init__(self) -> None:
        self.lock = threading.Lock()
        self.shards: dict[int, _Shard] = {}
        self.counter = 0
        self.counts = {"batches": 0, "moves": 0}

    def _shard(self, shard: int) -> _Shard:
        return self.shards.setdefault(shard, _Shard(deque(), []))

    def _held_by_other(self, state: _Shard, owner: str | None) -> bool:
        return state.owner is not None and state.owner != owner and state.lease_until > time.monotonic()

    def _lease(self, state: _Shard, owner: str) -> None:
        state.owner, state.lease_until = owner, time.monotonic() + lease_ms() / 1000

    async def append(self, participant_id: str, action: str, move_id: str, seq: int) -> Started | None:
        shard = shard_of(participant_id)
        with self.lock:
            state = self._shard(shard)
            if len(state.waiting) + len(state.taken) >= backlog_limit():
                raise QueueFullError(f"shard {shard} holds {backlog_limit()} moves")
            self.counter += 1
            state.waiting.append(QueuedMove(str(self.counter), str(participant_id), action, move_id, seq))
            if self._held_by_other(state, None):
                return None
            owner = new_owner()
            self._lease(state, owner)
            return shard, owner

    def claim(self, shard: int, owner: str) -> bool:
        with self.lock:
            state = self._shard(shard)
            if self._held_by_other(state, owner):
                return False
            self._lease(state, owner)
            return True

    def take(self, shard: int, limit: int) -> list[QueuedMove]:
        with self.lock:
            state = self._shard(shard)
            while state.waiting and len(state.taken) < limit:
                state.taken.append(state.waiting.popleft())
            return list(state.taken)

    def finish(self, shard: int, owner: str, done: list[QueuedMove]) -> bool:
        return self._finish(shard, owner, done, keep=False) == "stop"

    def finish_or_linger(self, shard: int, owner: str, done: list[QueuedMove]) -> Finished:
        return self._finish(shard, owner, done, keep=True)

    def _finish(self, shard: int, owner: str, done: list[QueuedMove], *, keep: bool) -> Finished:
        with self.lock:
            state = self._shard(shard)
            entries = {move.entry for move in done}
            if entries:
                state.taken = [move for move in state.taken if move.entry not in entries]
                self.counts["batches"] += 1
                self.counts["moves"] += len(entries)
            if self._held_by_other(state, owner):
                return "stop"
            if not state.waiting and not state.taken:
                if keep and state.owner == owner:
                    self._lease(state, owner)
                    return "idle"
                if state.owner == owner:
                    state.owner = None
                return "stop"
            self._lease(state, owner)
            return "again"

    def wait(self, shard: int, limit: int, ms: int) -> list[QueuedMove]:
        """Nothing to wait for in one process (a move is appended by the task's own caller): take."""
        return self.take(shard, limit)

    def hand_over(self, shard: int, owner: str, successor: str) -> bool:
        with self.lock:
            state = self._shard(shard)
            if state.owner != owner:
                return False
            self._lease(state, successor)
            return True

    def rescue(self) -> list[tuple[int, str]]:
        out = []
        with self.lock:
            for shard, state in self.shards.items():
                if (state.waiting or state.taken) and not self._held_by_other(state, None):
                    owner = new_owner()
                    self._lease(state, owner)
                    out.append((shard, owner))
        return out

    def stats(self) -> dict[str, int]:
        with self.lock:
            return dict(self.counts)


# --------------------------------------------------------------------------------------------------
# Which one
# --------------------------------------------------------------------------------------------------
_LOCAL = LocalQueue()
_REDIS: dict[str, RedisStreamQueue] = {}


def embedded() -> bool:
    """Tasks run in the caller (embedded mode, and most unit tests): no worker could share a queue."""
    from celery import current_app

    return bool(current_app.conf.task_always_eager)


def get_queue() -> MoveQueue:
    """The queue of this run mode: Redis streams in stack mode, in-process in embedded mode."""
    if embedded():
        return _LOCAL
    url = settings.REDIS_URL
    if url not in _REDIS:
        _REDIS[url] = RedisStreamQueue(url)
    return _REDIS[url]
