"""The real stack for end-to-end tests: a fresh PostgreSQL database, a Redis database of its own, and the
ASGI servers, Celery workers and Celery beat as subprocesses, exactly as `make run-stack` runs them.

Isolation, so that several runs (or a developer's own stack) can share one PostgreSQL and one Redis:

* PostgreSQL: a database `crisis_e2e_<random>` created from `DATABASE_URL`'s server, migrated with
  `manage.py migrate`, dropped at the end (`WITH (FORCE)`).
* Redis: Celery's queues live in a database number, so the stack claims one that is empty (or left by a
  dead e2e run), with an expiring lock key, and empties it again at the end. The channel layer is pub/sub,
  which ignores database numbers, so the stack also uses its own `CHANNEL_LAYER_PREFIX`.

Every process runs in its own session (process group): teardown sends SIGTERM to each group, waits, then
SIGKILLs what is left, so Celery's pool children go too. On Linux the processes also get SIGTERM if this
test process dies without tearing down. Every wait here has a time limit.
"""

from __future__ import annotations

import contextlib
import json
import os
import secrets
import signal
import socket
import subprocess
import sys
import time
import urllib.request
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

from tests.conftest import ROOT, clean_environment

LOCK_KEY = "crisis-e2e:lock"
MARKER_KEY = "crisis-e2e:db"  # never expires: tells a later run this database was an e2e run's
LOCK_SECONDS = 900
# Claim a Redis database that is empty, or that a dead e2e run left behind (marker present, lock gone).
# Atomic, so two runs never claim the same one; a dead run's leftovers are flushed.
CLAIM_SCRIPT = """
local free = redis.call('DBSIZE') == 0
local abandoned = redis.call('EXISTS', KEYS[2]) == 1 and redis.call('EXISTS', KEYS[1]) == 0
if not (free or abandoned) then return 0 end
redis.call('FLUSHDB')
redis.call('SET', KEYS[2], '1')
redis.call('SET', KEYS[1], ARGV[1], 'EX', ARGV[2])
return 1
"""
STARTUP_SECONDS = 60.0
STOP_SECONDS = 15.0

# Run in a fresh interpreter against the e2e database: each round of a class, its events, and the replay
# of its events next to the stored snapshot. Timeout events carry the benchmark's probability of the
# action applied (the benchmark action has a positive one).
INSPECT = r"""
import json, sys
from fractions import Fraction
import django
django.setup()
from games.play import round_state
from games.play import services
from games.crisis import bots, game
from games.crisis.game import ROLES
from games.models import ClassSession, Event, Round

class_session = ClassSession.objects.get(code=sys.argv[1])
out = {"status": class_session.status, "current_round": class_session.current_round, "rounds": []}
rounds = Round.objects.filter(class_session=class_session).select_related("group")
for rnd in rounds.order_by("number", "group__number"):
    params, prior = round_state.params_of_round(class_session, rnd.number), Fraction(rnd.prior)
    bench = round_state.benchmark_for(class_session, prior, rnd.number)
    state = game.new_round(params, prior=prior, us_type=rnd.us_type, seed=rnd.seed)
    events = []
    for event in rnd.events.order_by("seq"):
        row = {"seq": event.seq, "kind": event.kind, "node": event.node, "role": event.role,
               "action": event.action, "move_id": event.move_id}
        if event.kind in Event.ENGINE_KINDS:
            if event.kind == Event.Kind.TIMEOUT:
                behaviour = bots.benchmark_behaviour(state, bench)
                row["benchmark_probability"] = float(behaviour.get(event.action, 0))
            state = game.apply(state, event.action, event.role)
        events.append(row)
    out["rounds"].append({
        "number": rnd.number, "group": rnd.group.number, "status": rnd.status, "seq": rnd.seq,
        "seats": {role: str(getattr(rnd, role + "_id")) for role in ROLES},
        "snapshot": rnd.state, "events": events,
        "replayed": round_state.snapshot(round_state.replay_round(rnd)),
    })
print(json.dumps(out))
"""


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def _die_with_parent() -> None:  # pragma: no cover (runs in the child between fork and exec)
    if sys.platform.startswith("linux"):
        import ctypes

        with contextlib.suppress(Exception):
            ctypes.CDLL(None, use_errno=True).prctl(1, signal.SIGTERM)  # PR_SET_PDEATHSIG


@dataclass
class Service:
    name: str
    process: subprocess.Popen[bytes]
    log: Path
    url: str | None = None

    def alive(self) -> bool:
        return self.process.poll() is None

    def tail(self, lines: int = 40) -> str:
        try:
            text = self.log.read_text(errors="replace")
        except OSError:
            return ""
        return "\n".join(text.splitlines()[-lines:])


class StackError(RuntimeError):
    pass


class Stack:
    """Start with `start()`, stop with `stop()` (idempotent, safe after a failed start)."""

    def __init__(self, workdir: Path, *, database_url: str, redis_url: str) -> None:
        self.workdir = workdir
        self.run_id = secrets.token_hex(4)
        self.base_database_url = database_url
        self.base_redis_url = redis_url
        self.database_name = f"crisis_e2e_{self.run_id}"
        self.database_url = urlsplit(database_url)._replace(path=f"/{self.database_name}").geturl()
        self.redis_url = ""
        self.redis_db: int | None = None
        self.services: list[Service] = []
        self.database_created = False
        self.env: dict[str, str] = {}

    # ----- lifecycle ------------------------------------------------------------------------------
    def start(
        self,
        *,
        servers: int = 2,
        workers: int = 2,
        env: dict[str, str] | None = None,
        server_args: Sequence[str] = (),
        worker_args: Sequence[str] = (),
    ) -> None:
        """`env` adds (or overrides) environment variables of every process; `server_args` and
        `worker_args` are appended to the uvicorn and `celery worker` command lines (a repeated option
        overrides the default one: the benchmarks pass e.g. `--concurrency 1`)."""
        started = time.monotonic()
        self.prepare(env)
        migrate = self.manage("migrate", "--noinput", timeout=180)
        if migrate.returncode != 0:
            raise StackError(f"migrate failed:\n{migrate.stdout}\n{migrate.stderr}")
        for i in range(servers):
            port = free_port()
            self._spawn(
                f"asgi{i + 1}",
                ["-m", "uvicorn", "wargame.asgi:application", "--host", "127.0.0.1", "--port", str(port),
                 "--lifespan", "on", "--ws-max-size", "65536", "--log-level", "warning", "--no-access-log",
                 *server_args],
                url=f"http://127.0.0.1:{port}",
            )  # fmt: skip
        self.worker_names = [f"e2e{i + 1}-{self.run_id}@localhost" for i in range(workers)]
        for i, name in enumerate(self.worker_names):
            self._spawn(
                f"worker{i + 1}",
                ["-m", "celery", "-A", "wargame", "worker", "--pool", "prefork",
                 "--loglevel", "INFO", "--hostname", name,
                 "--without-gossip", "--without-mingle", "--without-heartbeat", *worker_args],
            )  # fmt: skip
        self._spawn(
            "beat",
            ["-m", "celery", "-A", "wargame", "beat", "--loglevel", "WARNING",
             "--schedule", str(self.workdir / "celerybeat-schedule"),
             "--pidfile", str(self.workdir / "beat.pid")],
        )  # fmt: skip
        for service in self.servers:
            self._wait_healthy(service)
        self._wait_workers()
        self.startup_seconds = time.monotonic() - started

    def prepare(self, env: dict[str, str] | None = None) -> None:
        """Claim a Redis database, create the PostgreSQL database and set the processes' environment
        (`start` does this first; the benchmarks' pipeline floor does only this)."""
        self._claim_redis_db()
        self.env = clean_environment(
            **{
                "DATABASE_URL": self.database_url,
                "REDIS_URL": self.redis_url,
                "CHANNEL_LAYER_PREFIX": f"e2e{self.run_id}",
                "DJANGO_SETTINGS_MODULE": "wargame.settings",
                "DEBUG": "true",
                "LOG_LEVEL": "WARNING",
                "PYTHONUNBUFFERED": "1",
                **(env or {}),
            }
        )
        self._create_database()

    def stop(self) -> None:
        for service in self.services:
            if service.alive():
                with contextlib.suppress(ProcessLookupError, PermissionError):
                    os.killpg(service.process.pid, signal.SIGTERM)
        deadline = time.monotonic() + STOP_SECONDS
        for service in self.services:
            with contextlib.suppress(subprocess.TimeoutExpired):
                service.process.wait(timeout=max(0.1, deadline - time.monotonic()))
        for service in self.services:  # what is left, and any pool child whose parent already went
            with contextlib.suppress(ProcessLookupError, PermissionError):
                os.killpg(service.process.pid, signal.SIGKILL)
            with contextlib.suppress(subprocess.TimeoutExpired):
                service.process.wait(timeout=5)
        self.services.clear()
        self._drop_database()
        self._release_redis_db()

    # ----- helpers for tests ----------------------------------------------------------------------
    @property
    def servers(self) -> list[Service]:
        return [s for s in self.services if s.url]

    def url(self, index: int = 0) -> str:
        return self.servers[index].url or ""

    def python(self, *args: str, timeout: float = 120) -> subprocess.CompletedProcess[str]:
        return subprocess.run(
            [sys.executable, *args], cwd=ROOT, env=self.env, capture_output=True, text=True,
            timeout=timeout, check=False,
        )  # fmt: skip

    def manage(self, *args: str, timeout: float = 120) -> subprocess.CompletedProcess[str]:
        return self.python("manage.py", *args, timeout=timeout)

    def create_class(self, *options: str) -> str:
        done = self.manage("create_class", "--scenario", "baseline", *options, timeout=60)
        if done.returncode != 0:
            raise StackError(f"create_class failed: {done.stderr}")
        return done.stdout.strip()

    def inspect(self, code: str) -> dict[str, Any]:
        done = self.python("-c", INSPECT, code, timeout=60)
        if done.returncode != 0:
            raise StackError(f"inspecting {code} failed: {done.stderr}")
        return json.loads(done.stdout.strip().splitlines()[-1])

    def check_alive(self) -> None:
        dead = [s for s in self.services if not s.alive()]
        if dead:
            raise StackError(
                "; ".join(f"{s.name} exited ({s.process.returncode}):\n{s.tail()}" for s in dead)
            )

    def log_of(self, name: str) -> str:
        service = next(s for s in self.services if s.name == name)
        return service.log.read_text(errors="replace")

    def logs(self) -> str:
        return "\n".join(f"--- {s.name} ---\n{s.tail(20)}" for s in self.services)

    # ----- processes ------------------------------------------------------------------------------
    def _spawn(self, name: str, args: list[str], url: str | None = None) -> Service:
        log = self.workdir / f"{name}.log"
        with log.open("wb") as out:
            process = subprocess.Popen(
                [sys.executable, *args], cwd=ROOT, env=self.env, stdout=out, stderr=subprocess.STDOUT,
                stdin=subprocess.DEVNULL, start_new_session=True, preexec_fn=_die_with_parent,
            )  # fmt: skip
        service = Service(name, process, log, url)
        self.services.append(service)
        return service

    def _wait_healthy(self, service: Service) -> None:
        opener = urllib.request.build_opener(urllib.request.ProxyHandler({}))  # loopback: never a proxy
        deadline = time.monotonic() + STARTUP_SECONDS
        last: Any = None
        while time.monotonic() < deadline:
            if not service.alive():
                raise StackError(f"{service.name} exited ({service.process.returncode}):\n{service.tail()}")
            try:
                with opener.open(f"{service.url}/healthz", timeout=5) as response:
                    body = json.loads(response.read())
                    if response.status == 200 and body.get("status") == "ok":
                        return
                    last = body
            except Exception as exc:
                last = exc
            time.sleep(0.2)
        raise StackError(f"{service.name} not healthy after {STARTUP_SECONDS}s ({last!r}):\n{service.tail()}")

    def _wait_workers(self) -> None:
        from celery import Celery

        probe = Celery("e2e-probe", broker=self.redis_url)
        try:
            deadline = time.monotonic() + STARTUP_SECONDS
            while time.monotonic() < deadline:
                self.check_alive()
                try:
                    replies = probe.control.ping(destination=self.worker_names, timeout=1.0)
                except Exception:  # a connection kept from before a Redis restart (the drills): again
                    time.sleep(0.2)
                    continue
                answered = {name for reply in replies for name in reply}
                if answered >= set(self.worker_names):
                    return
            raise StackError(f"Celery workers did not answer within {STARTUP_SECONDS}s:\n{self.logs()}")
        finally:
            probe.close()

    # ----- PostgreSQL -----------------------------------------------------------------------------
    def _admin_connection(self) -> Any:
        import psycopg

        parts = urlsplit(self.base_database_url)
        return psycopg.connect(
            host=parts.hostname, port=parts.port, user=parts.username, password=parts.password,
            dbname="postgres", autocommit=True, connect_timeout=5,
        )  # fmt: skip

    def _create_database(self) -> None:
        with self._admin_connection() as conn:
            conn.execute(f'CREATE DATABASE "{self.database_name}"')
        self.database_created = True

    def _drop_database(self) -> None:
        if not self.database_created:
            return
        with self._admin_connection() as conn:
            conn.execute(f'DROP DATABASE IF EXISTS "{self.database_name}" WITH (FORCE)')
        self.database_created = False

    # ----- Redis ----------------------------------------------------------------------------------
    def _redis(self, db: int) -> Any:
        import redis

        base = urlsplit(self.base_redis_url)
        return redis.Redis.from_url(base._replace(path=f"/{db}").geturl(), socket_timeout=5)

    def _claim_redis_db(self) -> None:
        base = urlsplit(self.base_redis_url)
        own = int(base.path.strip("/") or 0)
        for db in range(15, 0, -1):
            if db == own:
                continue
            client = self._redis(db)
            try:
                claimed = client.eval(CLAIM_SCRIPT, 2, LOCK_KEY, MARKER_KEY, self.run_id, LOCK_SECONDS)
            except Exception:  # fewer databases configured, or not allowed: try the next
                client.close()
                continue
            if claimed:
                client.close()
                self.redis_db = db
                self.redis_url = base._replace(path=f"/{db}").geturl()
                return
            client.close()
        raise StackError("no free Redis database (1-15) for the e2e stack: all hold data or a live e2e run")

    def _release_redis_db(self) -> None:
        if self.redis_db is None:
            return
        client = self._redis(self.redis_db)
        try:
            if client.get(LOCK_KEY) == self.run_id.encode():
                client.flushdb()  # ours alone since we claimed it
        finally:
            client.close()
        self.redis_db = None


def wait_until(condition: Callable[[], Any], timeout: float, what: str, interval: float = 0.1) -> Any:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        value = condition()
        if value:
            return value
        time.sleep(interval)
    raise TimeoutError(f"{what}: not within {timeout}s")
