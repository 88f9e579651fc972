"""The failure drills' stack: the e2e stack (tests/e2e/stack.py) on a Redis server of its own, with
what the drills need on top: per-process environment, and stopping, killing and starting single
processes (a Celery worker, an ASGI server on the same port, Redis itself), and a database outage.

Only loopback addresses; every wait has a time limit; whatever a drill stops is started again in a
`finally`, and the shared PostgreSQL server is never stopped: the database outage is confined to the
drill's own database (see `database_outage`).
"""

from __future__ import annotations

import contextlib
import os
import shutil
import signal
import subprocess
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any

from tests.e2e.stack import Service, Stack, StackError, _die_with_parent, free_port

STOP_SECONDS = 10.0


class RedisServer:
    """A throw-away `redis-server` on a free loopback port: no persistence, so a restart loses
    everything it held (the worst case for the broker's queues)."""

    def __init__(self, workdir: Path) -> None:
        self.binary = shutil.which("redis-server")
        self.workdir = workdir
        self.port = free_port()
        self.process: subprocess.Popen[bytes] | None = None
        self.log = workdir / "redis.log"

    @property
    def url(self) -> str:
        return f"redis://127.0.0.1:{self.port}/0"

    def start(self) -> None:
        if self.binary is None:
            raise StackError("redis-server is not installed")
        with self.log.open("ab") as out:
            self.process = subprocess.Popen(
                [self.binary, "--port", str(self.port), "--bind", "127.0.0.1", "--save", "",
                 "--appendonly", "no", "--dir", str(self.workdir), "--maxmemory-policy", "noeviction"],
                stdout=out, stderr=subprocess.STDOUT, stdin=subprocess.DEVNULL, start_new_session=True,
                preexec_fn=_die_with_parent,
            )  # fmt: skip
        self.wait_ready()

    def wait_ready(self, timeout: float = 10.0) -> None:
        import redis

        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            if self.process is not None and self.process.poll() is not None:
                raise StackError(f"redis-server exited: {self.log.read_text(errors='replace')[-2000:]}")
            try:
                client = redis.Redis(
                    host="127.0.0.1", port=self.port, socket_timeout=1, socket_connect_timeout=1
                )
                client.ping()
                client.close()
                return
            except Exception:
                time.sleep(0.05)
        raise StackError(f"redis-server on port {self.port} not ready within {timeout}s")

    def stop(self) -> None:
        if self.process is None or self.process.poll() is not None:
            return
        self.process.terminate()  # SHUTDOWN: with --save "" nothing is written
        try:
            self.process.wait(timeout=STOP_SECONDS)
        except subprocess.TimeoutExpired:
            self.process.kill()
            self.process.wait(timeout=5)


class DrillStack(Stack):
    """`Stack` plus the drills' controls. `extra_env` goes to every process it starts."""

    def __init__(
        self, workdir: Path, *, database_url: str, redis_url: str, extra_env: dict[str, str]
    ) -> None:
        super().__init__(workdir, database_url=database_url, redis_url=redis_url)
        self.extra_env = extra_env
        self.spawned = 0
        self.retired: list[Service] = []  # processes a drill stopped on purpose

    def _spawn(
        self, name: str, args: list[str], url: str | None = None, env: dict[str, str] | None = None
    ) -> Service:
        """`env`: variables for this process only (e.g. a fault-injection point, `MOVE_DRILL_PAUSE`)."""
        self.env.update(self.extra_env)
        shared = self.env
        self.env = {**shared, **(env or {})}
        try:
            service = super()._spawn(name, args, url)
        finally:
            self.env = shared
        service.args = args  # type: ignore[attr-defined]
        return service

    def service(self, name: str) -> Service:
        return next(s for s in self.services if s.name == name and s.alive())

    # ----- processes ------------------------------------------------------------------------------
    def kill(self, name: str, sig: int = signal.SIGKILL) -> float:
        """Send `sig` to the whole process group of `name` (a worker's pool children too); returns when."""
        service = self.service(name)
        at = time.monotonic()
        os.killpg(service.process.pid, sig)
        if sig in (signal.SIGKILL, signal.SIGTERM):
            service.process.wait(timeout=STOP_SECONDS)
            with contextlib.suppress(ProcessLookupError):  # pool children the kernel has not reaped yet
                os.killpg(service.process.pid, signal.SIGKILL)
            self.services.remove(service)  # stopped on purpose: not a crash for check_alive()
            self.retired.append(service)
        return at

    def pool_children(self, name: str) -> list[int]:
        """The PIDs of a prefork worker's pool processes."""
        parent = self.service(name).process.pid
        children = Path(f"/proc/{parent}/task/{parent}/children")
        return [int(pid) for pid in children.read_text().split()] if children.exists() else []

    # Processes are spawned from the main thread only: `_die_with_parent` (PR_SET_PDEATHSIG) ties a child
    # to the thread that forked it, so a child spawned from a worker thread would die with that thread.
    # The waits that follow are plain blocking calls, which an async test may run in a thread.
    def spawn_worker(self, name: str, env: dict[str, str] | None = None) -> str:
        """A new Celery worker (the e2e stack's options; `env` its own variables); returns its name. Then
        `wait_worker(name)`."""
        self.spawned += 1
        hostname = f"drill{self.spawned}-{self.run_id}@localhost"
        self._spawn(
            name,
            ["-m", "celery", "-A", "wargame", "worker", "--pool", "prefork",
             "--loglevel", "INFO", "--hostname", hostname,
             "--without-gossip", "--without-mingle", "--without-heartbeat"],
            env=env,
        )  # fmt: skip
        self.worker_names = [*self.worker_names, hostname]
        return hostname

    def wait_worker(self, hostname: str) -> None:
        saved = self.worker_names
        self.worker_names = [hostname]
        try:
            self._wait_workers()
        finally:
            self.worker_names = saved

    def stop_server(self, index: int = 0) -> tuple[Service, int, float]:
        """Stop ASGI server `index` as a deploy would (SIGTERM); returns it, its place and when."""
        old = self.servers[index]
        position = self.services.index(old)
        return old, position, self.kill(old.name, signal.SIGTERM)

    def spawn_server(self, old: Service, position: int) -> Service:
        """Start `old` again: same name, same port, same place in the list. Then `wait_healthy(it)`."""
        new = self._spawn(old.name, old.args, url=old.url)  # type: ignore[attr-defined]
        self.services.remove(new)
        self.services.insert(position, new)
        return new

    def wait_healthy(self, service: Service) -> None:
        self._wait_healthy(service)

    # ----- the database ---------------------------------------------------------------------------
    @contextlib.contextmanager
    def database_outage(self) -> Iterator[None]:
        """The drill's database refuses connections, and every open one is cut (what clients of a
        stopped server see), until the block ends; restored in any case. Other databases of the server
        (other runs, other engineers) are not touched."""
        with self._admin_connection() as conn:
            conn.execute(f'ALTER DATABASE "{self.database_name}" WITH ALLOW_CONNECTIONS false')
            conn.execute(
                "SELECT pg_terminate_backend(pid) FROM pg_stat_activity"
                " WHERE datname = %s AND pid <> pg_backend_pid()",
                (self.database_name,),
            )
        try:
            yield
        finally:
            with self._admin_connection() as conn:
                conn.execute(f'ALTER DATABASE "{self.database_name}" WITH ALLOW_CONNECTIONS true')

    def database_accepts_connections(self) -> bool:
        with self._admin_connection() as conn:
            row = conn.execute(
                "SELECT datallowconn FROM pg_database WHERE datname = %s", (self.database_name,)
            )
            return bool(row.fetchone()[0])

    # ----- Redis ----------------------------------------------------------------------------------
    def redis_client(self) -> Any:
        import redis

        return redis.Redis.from_url(self.redis_url, socket_timeout=2, socket_connect_timeout=2)

    def unacked(self) -> int:
        """Messages a worker has taken from the broker and not acknowledged yet (kombu's Redis QoS)."""
        client = self.redis_client()
        try:
            return int(client.hlen("unacked"))
        finally:
            client.close()

    def queued(self) -> int:
        client = self.redis_client()
        try:
            return int(client.llen("celery"))
        finally:
            client.close()

    # ----- the move queue (games.play.move_queue: a Redis stream per shard) ------------------------
    def taken_moves(self) -> dict[str, str]:
        """move_id -> stream entry of every move a resolve task has taken and not acknowledged (one round
        trip when there is none, so a drill can poll it every few milliseconds)."""
        from games.play.move_queue import GROUP, KEY_PREFIX, MAX_SHARDS

        client = self.redis_client()
        try:
            pipe = client.pipeline(transaction=False)
            for shard in range(MAX_SHARDS):
                pipe.xpending(f"{KEY_PREFIX}:{shard}", GROUP)
            summaries = pipe.execute(raise_on_error=False)
            out = {}
            for shard, summary in enumerate(summaries):
                if isinstance(summary, Exception) or not summary["pending"]:
                    continue  # no stream or no group yet, or nothing taken
                key = f"{KEY_PREFIX}:{shard}"
                for row in client.xpending_range(key, GROUP, "-", "+", 10_000):
                    for entry_id, fields in client.xrange(key, row["message_id"], row["message_id"]):
                        out[fields[b"m"].decode()] = entry_id.decode()
            return out
        finally:
            client.close()

    def queued_moves(self) -> int:
        """Moves in the queue not yet acknowledged (waiting or taken)."""
        from games.play.move_queue import KEY_PREFIX, MAX_SHARDS

        client = self.redis_client()
        try:
            pipe = client.pipeline(transaction=False)
            for shard in range(MAX_SHARDS):
                pipe.xlen(f"{KEY_PREFIX}:{shard}")
            return sum(pipe.execute())
        finally:
            client.close()

    def workers(self) -> list[Service]:
        return [s for s in self.services if s.name.startswith("worker") and s.alive()]
