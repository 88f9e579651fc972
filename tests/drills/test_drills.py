"""Failure drills on the real stack (DESIGN.md, "Reliability and security"; docs/operations.md, "Drills").

Students are headless `games.play.client.PlayerClient`s over the public protocol, on two ASGI servers with
two Celery workers and beat (tests/drills/conftest.py). Each drill breaks one part mid-round, then checks
that every accepted move was applied exactly once (the event log of every round has no duplicate and no
gap, and replays to its snapshot), that the players saw the result, and how long recovery took. The
figures are printed (`pytest -s`) and attached to the test report (`record_property`).

(a) a Celery worker killed with SIGKILL while it holds moves it took from the queue; (b) Redis restarted
(losing all it held) mid-round; (c) an ASGI server restarted mid-round; (d) the database unreachable for a
few seconds; (e) a backup restored into a new database; (f) the real server's frame and body caps. The
batching drills (a worker killed right after moves are sent, or mid-batch; refusals and order in a batch)
are in test_drills_batches.py.
"""

from __future__ import annotations

import asyncio
import json
import signal
import time
from collections.abc import Callable
from typing import Any

import pytest

from games.play.client import ClientHooks, MoveTiming, PlayerClient, RandomStrategy, my_actions
from tests.drills.conftest import LEASE_SECONDS
from tests.drills.stack import DrillStack, RedisServer
from tests.e2e.play import STEP, act, everyone, everyone_saw, finish_round, hawkish, next_turn, round_of, seen

pytestmark = [pytest.mark.integration, pytest.mark.slow]

ADVANCE = """
import sys, django
django.setup()
from games.play import services
from games.models import Round
for rnd in Round.objects.filter(class_session__code=sys.argv[1], status="playing"):
    services.force_timeout(rnd.pk)
"""


# ----- helpers -----------------------------------------------------------------------------------------


class Moves(ClientHooks):
    """Every move the clients sent, and the `unavailable` errors they got, with times."""

    def __init__(self) -> None:
        self.sent: list[MoveTiming] = []
        self.errors: list[tuple[float, str, dict[str, Any]]] = []

    def on_move_sent(self, client: PlayerClient, move: MoveTiming) -> None:
        self.sent.append(move)

    def on_error(self, client: PlayerClient, frame: dict[str, Any], at: float) -> None:
        self.errors.append((time.monotonic(), client.name, frame))


def students(urls: list[str], code: str, hooks: ClientHooks | None = None) -> list[PlayerClient]:
    return [
        PlayerClient(url, code, f"Student {i + 1}", seed=i, keep_frames=True, hooks=hooks,
                     backoff_initial=0.1, backoff_max=2.0)
        for i, url in enumerate(urls)
    ]  # fmt: skip


async def connect_all(clients: list[PlayerClient]) -> None:
    for client in clients:  # one after the other: the last join starts the class (autostart)
        await client.connect()
    await everyone(clients, lambda c: c.view["class"]["status"] == "running" and bool(c.view["you"]["role"]))


@pytest.fixture(autouse=True)
def explain_failures(stack: DrillStack, request: pytest.FixtureRequest) -> Any:
    """On failure, the tail of every process's log (what the stack saw is half the story)."""
    yield
    report = getattr(request.node, "rep_call", None)
    if report is not None and report.failed:
        print(stack.logs())


async def close_all(clients: list[PlayerClient]) -> None:
    await asyncio.gather(*(c.close() for c in clients), return_exceptions=True)


def query(stack: DrillStack, sql: str, *args: Any) -> list[tuple[Any, ...]]:
    import psycopg

    with psycopg.connect(stack.database_url, connect_timeout=5) as conn:
        return list(conn.execute(sql, args).fetchall())


def events_of(stack: DrillStack, code: str) -> list[tuple[int, int, str, str | None, float]]:
    """(round number, seq, kind, move_id, created as epoch seconds) of every event of the class."""
    return query(
        stack,
        "SELECT r.number, e.seq, e.kind, e.move_id, extract(epoch FROM e.created)::float"
        " FROM games_event e JOIN games_round r ON r.id = e.round_id"
        " JOIN games_classsession c ON c.id = r.class_session_id WHERE c.code = %s ORDER BY r.id, e.seq",
        code,
    )


def check_log(stack: DrillStack, code: str) -> dict[str, Any]:
    """Every round: seqs 1..n without a gap, each move_id at most once, replay == snapshot."""
    report = stack.inspect(code)
    for rnd in report["rounds"]:
        seqs = [e["seq"] for e in rnd["events"]]
        assert seqs == list(range(1, rnd["seq"] + 1)), f"round {rnd['number']}: events {seqs}"
        move_ids = [e["move_id"] for e in rnd["events"] if e["move_id"]]
        assert len(move_ids) == len(set(move_ids)), f"round {rnd['number']}: a move applied twice"
        assert rnd["replayed"] == rnd["snapshot"], f"round {rnd['number']}: replay differs from the snapshot"
    return report


def everyone_saw_the_log(
    clients: list[PlayerClient], report: dict[str, Any], *, last_only: bool = False
) -> None:
    """Every student's screen went through the last state of every round it sat in (a resync may skip
    intermediate states: the protocol sends whole views).  `last_only`: only the class's last round — after
    a Redis restart a push lost at a round's end is superseded by the next round's state (pub/sub is at
    most once; the resync brings the current state, not history)."""
    rounds = report["rounds"][-1:] if last_only else report["rounds"]
    for rnd in rounds:
        for client in clients:
            if client.participant in rnd["seats"].values():
                assert (rnd["number"], rnd["seq"]) in seen(client), (
                    f"{client.name} missed round {rnd['number']}"
                )


async def until(condition: Callable[[], Any], timeout: float, what: str, interval: float = 0.02) -> float:
    """Wait (bounded) until `condition()` holds; returns the time it took."""
    started = time.monotonic()
    while time.monotonic() - started < timeout:
        if condition():
            return time.monotonic() - started
        await asyncio.sleep(interval)
    raise TimeoutError(f"{what}: not within {timeout}s")


def report_figures(record_property: Any, drill: str, **figures: Any) -> None:
    for key, value in figures.items():
        record_property(f"{drill}.{key}", value)
    print(f"\nDRILL {drill}: " + ", ".join(f"{k}={v:.2f}" if isinstance(v, float) else f"{k}={v}"
                                          for k, v in figures.items()))  # fmt: skip


# ----- (a) a worker killed mid-move ----------------------------------------------------------------------


async def test_a_worker_killed_mid_move_loses_nothing_and_applies_nothing_twice(
    stack: DrillStack, record_property: Any
) -> None:
    """Two groups play fast; worker2 is stopped first (gracefully), then worker1 is SIGKILLed at a moment
    when it holds moves it took from the queue and did not acknowledge; a new worker starts a second
    later. The shard's lease lapses, the sweep starts the shard again, and the moves are applied once;
    the students' own resends (same move_id) are answered as duplicates."""
    code = stack.create_class(
        "--rounds", "2", "--autostart", "6", "--decision-seconds", "60", "--result-seconds", "1", "--no-bots"
    )  # fmt: skip
    moves = Moves()
    clients = students([stack.url(i % 2) for i in range(6)], code, moves)
    plays: list[asyncio.Task[Any]] = []
    try:
        await connect_all(clients)
        stack.kill("worker2", signal.SIGTERM)  # warm shutdown: whatever it held, it finished
        plays = [
            asyncio.create_task(c.play(RandomStrategy(think=0.02, seed=i), timeout=150, move_timeout=30))
            for i, c in enumerate(clients)
        ]
        held: dict[str, str] = {}
        for _ in range(3000):  # at most ~30 s: wait for worker1 to hold a move
            held = stack.taken_moves()
            if held:
                break
            await asyncio.sleep(0.002)
        assert held, "no move was ever in flight"
        killed_at = time.time()
        stack.kill("worker1", signal.SIGKILL)
        held = stack.taken_moves()  # what the dead worker took with it (unacknowledged: still in Redis)
        await asyncio.sleep(1.0)
        started = time.monotonic()
        await asyncio.to_thread(stack.wait_worker, stack.spawn_worker("worker3"))
        worker_ready = time.monotonic() - started

        committed = {m for _, _, _, m, _ in events_of(stack, code) if m in held}  # before it died

        def applied() -> dict[str, float]:
            return {m: t for _, _, _, m, t in events_of(stack, code) if m in held}

        await until(lambda: len(applied()) == len(held), 60, "the held moves to be applied")
        retaken = {m: t for m, t in applied().items() if m not in committed}
        redelivered = max(retaken.values()) - killed_at if retaken else 0.0
        finals = await asyncio.wait_for(asyncio.gather(*plays), 150)
    finally:
        for task in plays:
            task.cancel()
        await close_all(clients)
    assert {f["class"]["status"] for f in finals} == {"finished"}
    report = check_log(stack, code)
    everyone_saw_the_log(clients, report)
    logged = [m for _, _, _, m, _ in events_of(stack, code) if m]
    sent = {m.move_id for m in moves.sent}
    assert set(logged) <= sent and len(logged) == len(set(logged))
    resent = len(moves.sent) - len(sent)
    assert not [e for _, _, e in moves.errors if e["code"] == "unavailable"]
    assert redelivered <= LEASE_SECONDS + 10, redelivered  # the lease, the sweep, the new worker's start
    report_figures(
        record_property, "worker_sigkill",
        moves_taken_at_kill=len(held), committed_before_kill=len(committed), redelivered_after_s=redelivered,
        new_worker_ready_s=worker_ready, moves_applied=len(logged), client_resends=resent,
        lease_s=LEASE_SECONDS,
    )  # fmt: skip
    stack.check_alive()


# ----- (c) an ASGI server restarted mid-round -----------------------------------------------------------


async def test_an_asgi_restart_mid_round_reconnects_everyone_to_the_same_state(
    stack: DrillStack, record_property: Any
) -> None:
    """Two students on server 1, one on server 2. Server 1 is restarted (SIGTERM, 1 s down, same port)
    while the crisis moves on without it (a move on server 2, or the instructor's "advance"); its
    students reconnect by themselves and carry on from the current state."""
    code = stack.create_class(
        "--rounds", "1", "--autostart", "3", "--decision-seconds", "60", "--result-seconds", "1", "--no-bots"
    )  # fmt: skip
    clients = students([stack.url(0), stack.url(0), stack.url(1)], code)
    a, b, c = clients
    try:
        await connect_all(clients)
        await act(clients, await next_turn(clients))
        mover = await next_turn(clients)
        assert mover is not None
        history = len(round_of(c.view)["history"])
        old, position, stopped = await asyncio.to_thread(stack.stop_server, 0)
        noticed = await until(
            lambda: not a.connected and not b.connected, 15, "server 1's students to notice"
        )
        if mover is c:  # the crisis moves on without server 1
            await c.send_move(hawkish(my_actions(c.view)))
        else:
            done = await asyncio.to_thread(stack.python, "-c", ADVANCE, code)
            assert done.returncode == 0, done.stderr
        await c.wait_for(lambda v: len(round_of(v)["history"]) > history, STEP)
        await asyncio.sleep(max(0.0, 1.0 - (time.monotonic() - stopped)))
        await asyncio.to_thread(stack.wait_healthy, stack.spawn_server(old, position))
        healthy = time.monotonic()
        reconnected = await until(
            lambda: a.connected and b.connected and a.seq == b.seq == c.seq,
            30,
            "server 1's students to resync",
        )
        assert (a.view, b.view) == (_same(a.view, c.view), _same(b.view, c.view))
        await finish_round(clients)
    finally:
        await close_all(clients)
    report = check_log(stack, code)
    everyone_saw_the_log(clients, report)
    assert a.stats.reconnects >= 1 and b.stats.reconnects >= 1 and c.stats.reconnects == 0
    report_figures(
        record_property, "asgi_restart",
        server_down_s=healthy - stopped, clients_noticed_s=noticed, resynced_after_healthy_s=reconnected,
        reconnects=a.stats.reconnects + b.stats.reconnects,
    )  # fmt: skip
    stack.check_alive()


def _same(view: dict[str, Any], other: dict[str, Any]) -> dict[str, Any]:
    """`view` if it shows the same crisis as `other` (the same round, node and history), else fail."""
    mine, theirs = round_of(view), round_of(other)
    assert (mine["number"], mine["seq"], mine["node"], mine["history"]) == (
        theirs["number"], theirs["seq"], theirs["node"], theirs["history"],
    )  # fmt: skip
    return view


# ----- (b) Redis restarted mid-round ---------------------------------------------------------------------


async def test_a_redis_restart_mid_round_is_announced_and_resynced(
    stack: DrillStack, redis_server: RedisServer, record_property: Any
) -> None:
    """Redis (broker, channel layer and cache in one, no persistence) stops mid-round: every student is
    told `unavailable` at once, a move gets `unavailable` (not silence), a student who reloads retries
    with backoff; the instructor advances the round meanwhile (that push is lost). Redis comes back
    empty: every screen shows the advanced round without reloading, the reloading student gets in, and
    play carries on; the move refused during the outage is not in the log."""
    code = stack.create_class(
        "--rounds", "2", "--autostart", "3", "--decision-seconds", "60", "--result-seconds", "1", "--no-bots"
    )  # fmt: skip
    moves = Moves()
    clients = students([stack.url(0), stack.url(1), stack.url(0)], code, moves)
    try:
        await connect_all(clients)
        await act(clients, await next_turn(clients))
        mover = await next_turn(clients)
        assert mover is not None
        before = {c.name: c.seq for c in clients}
        stopped = time.monotonic()
        redis_server.stop()
        told = await until(
            lambda: all(c.stats.error_codes.get("unavailable") for c in clients), 10, "everyone told"
        )
        refused = await mover.send_move(hawkish(my_actions(mover.view)))
        refused_in = await until(lambda: refused.error == "unavailable", 15, "the move refused")
        reloader = next(c for c in clients if c is not mover)
        await reloader.drop(clean=False)
        done = await asyncio.to_thread(stack.python, "-c", ADVANCE, code)  # the instructor's "advance"
        assert done.returncode == 0, done.stderr
        await asyncio.sleep(1.0)
        assert not reloader.connected  # no socket without Redis: it keeps retrying
        redis_server.start()
        back = time.monotonic()
        resynced = await until(
            lambda: all(c.seq > before[c.name] for c in clients), 30, "every screen resynced"
        )
        assert reloader.connected and reloader.stats.reconnects == 1
        assert all(c.stats.reconnects == 0 for c in clients if c is not reloader)  # resynced in place
        first = await next_turn(clients, timeout=STEP)
        answered = 0.0
        if first is not None:
            sent = time.monotonic()
            await act(clients, first)  # the workers are back too
            answered = time.monotonic() - sent
        await finish_round(clients)
        await everyone_saw(clients, 2, 0, timeout=30)  # the sweep (beat and a worker) started round 2
        resumed = time.monotonic() - back
        await finish_round(clients)
    finally:
        await close_all(clients)
    report = check_log(stack, code)
    everyone_saw_the_log(clients, report, last_only=True)
    logged = {m for _, _, _, m, _ in events_of(stack, code) if m}
    assert refused.move_id not in logged
    assert {e["code"] for _, _, e in moves.errors} == {"unavailable"}
    report_figures(
        record_property, "redis_restart",
        redis_down_s=back - stopped, all_told_unavailable_s=told, move_refused_s=refused_in,
        all_resynced_after_restart_s=resynced, first_move_after_restart_s=answered,
        next_round_started_after_restart_s=resumed,
    )  # fmt: skip
    stack.check_alive()


# ----- (d) the database unreachable ---------------------------------------------------------------------


async def test_a_database_outage_refuses_moves_clearly_and_writes_nothing_by_halves(
    stack: DrillStack, record_property: Any
) -> None:
    """The class's database refuses connections and cuts the open ones for 4 s: a move and a `sync` are
    answered `unavailable`, a student who reloads is told to come back later (1013) and retries; then
    the same move (same move_id) goes through once, and the log and snapshots agree."""
    code = stack.create_class(
        "--rounds", "1", "--autostart", "3", "--decision-seconds", "60", "--result-seconds", "1", "--no-bots"
    )  # fmt: skip
    moves = Moves()
    clients = students([stack.url(0), stack.url(1), stack.url(0)], code, moves)
    try:
        await connect_all(clients)
        first = await next_turn(clients)
        try:
            await act(clients, first)
        except TimeoutError:
            print("DIAG", [(c.name, c.seq, c.connected, list(c.errors)) for c in clients], first.name)
            raise
        mover = await next_turn(clients)
        assert mover is not None
        action, seq = hawkish(my_actions(mover.view)), mover.seq
        other = next(c for c in clients if c is not mover)
        with stack.database_outage():
            started = time.monotonic()
            refused = await mover.send_move(action, seq=seq)
            refused_in = await until(lambda: refused.error == "unavailable", 15, "the move refused")
            errors = other.stats.errors
            await other.send({"type": "sync"})
            await until(lambda: other.stats.errors > errors, 10, "the sync refused")
            reloader = next(c for c in clients if c not in (mover, other))
            states, errors = reloader.stats.states, reloader.stats.errors
            await reloader.drop(clean=False)
            await asyncio.sleep(1.5)
            # Let in and told to come back later (1013, `unavailable`), again and again: no state.
            assert reloader.stats.states == states and reloader.stats.errors > errors
            await asyncio.sleep(max(0.0, 4.0 - (time.monotonic() - started)))
        restored = time.monotonic()
        assert stack.database_accepts_connections()
        await reloader.wait_for(lambda v: reloader.stats.states > states, 30)
        reconnected = time.monotonic() - restored
        again = await mover.send_move(action, seq=seq, move_id=refused.move_id)  # the student's retry
        applied = await until(lambda: again.done_at is not None and again.error is None, 30, "the retry")
        await finish_round(clients)
    finally:
        await close_all(clients)
    report = check_log(stack, code)
    everyone_saw_the_log(clients, report)
    logged = [m for _, _, _, m, _ in events_of(stack, code) if m]
    assert logged.count(refused.move_id) == 1
    assert {e["code"] for _, _, e in moves.errors} == {"unavailable"}
    report_figures(
        record_property, "database_outage",
        database_down_s=restored - started, move_refused_s=refused_in, reconnected_after_s=reconnected,
        retry_applied_s=applied,
    )  # fmt: skip
    stack.check_alive()


# ----- (e) backup and restore ---------------------------------------------------------------------------


async def test_a_backup_restores_to_the_same_classes(stack: DrillStack, record_property: Any) -> None:
    """The backup service's command (`pg_dump --format=custom`, checked with `pg_restore --list`) on the
    drills' database, restored into a new database: the same rows, and every round there still replays
    to its snapshot (docs/operations.md, "Backups")."""
    import shutil
    import subprocess
    import sys
    from urllib.parse import urlsplit

    from tests.conftest import IN_CI, ROOT
    from tests.e2e.stack import INSPECT

    if not (shutil.which("pg_dump") and shutil.which("pg_restore")):
        message = "pg_dump and pg_restore are needed for the backup drill"
        if IN_CI:
            pytest.fail(message)
        pytest.skip(message)
    tables = ("games_classsession", "games_participant", "games_group", "games_round", "games_event")
    codes = [row[0] for row in query(stack, "SELECT code FROM games_classsession WHERE status = 'finished'")]
    assert codes, "the drills before this one leave finished classes behind"
    dump = stack.workdir / "backup.dump"
    restored_name = f"{stack.database_name}_restore"
    restored_url = urlsplit(stack.database_url)._replace(path=f"/{restored_name}").geturl()

    def run(*args: str) -> float:
        started = time.monotonic()
        done = subprocess.run(args, capture_output=True, text=True, timeout=120, check=False)
        assert done.returncode == 0, done.stderr
        return time.monotonic() - started

    dumped = await asyncio.to_thread(run, "pg_dump", "--format=custom", f"--file={dump}", stack.database_url)
    await asyncio.to_thread(run, "pg_restore", "--list", str(dump))
    with stack._admin_connection() as conn:
        conn.execute(f'CREATE DATABASE "{restored_name}"')
    try:
        restored = await asyncio.to_thread(
            run, "pg_restore", "--no-owner", "--exit-on-error", f"--dbname={restored_url}", str(dump)
        )
        import psycopg

        def counts(url: str) -> dict[str, int]:
            with psycopg.connect(url, connect_timeout=5) as conn:
                return {t: conn.execute(f"SELECT count(*) FROM {t}").fetchone()[0] for t in tables}

        assert counts(restored_url) == counts(stack.database_url)
        env = {**stack.env, "DATABASE_URL": restored_url}
        done = subprocess.run(
            [sys.executable, "-c", INSPECT, codes[0]], cwd=ROOT, env=env, capture_output=True, text=True,
            timeout=120, check=False,
        )  # fmt: skip
        assert done.returncode == 0, done.stderr
        report = json.loads(done.stdout.strip().splitlines()[-1])
        assert report["rounds"] and all(r["replayed"] == r["snapshot"] for r in report["rounds"])
    finally:
        with stack._admin_connection() as conn:
            conn.execute(f'DROP DATABASE IF EXISTS "{restored_name}" WITH (FORCE)')
    report_figures(
        record_property, "backup_restore",
        dump_s=dumped, restore_s=restored, dump_kib=dump.stat().st_size // 1024, events=counts_of(stack),
    )  # fmt: skip


def counts_of(stack: DrillStack) -> int:
    return int(query(stack, "SELECT count(*) FROM games_event")[0][0])


# ----- (f) the real server's caps ----------------------------------------------------------------------


async def test_the_real_server_caps_frames_and_bodies(stack: DrillStack, record_property: Any) -> None:
    """Through uvicorn itself (what in-process tests cannot show): a frame over 16 KiB gets `bad_message`
    and the socket lives on; one over 64 KiB is cut by the server (1009) and the student reconnects; a
    10 MB join body is refused at once; the server stays healthy throughout."""
    import urllib.request

    from websockets.asyncio.client import connect
    from websockets.exceptions import ConnectionClosed

    from games.play.client import join, post_json

    code = stack.create_class("--rounds", "1", "--no-bots")
    joined = await join(stack.url(0), code, "Prober")
    started = time.monotonic()
    big = await post_json(stack.url(0) + "/api/join", {"code": code, "name": "x", "pad": "x" * 10_000_000})
    refused_body = time.monotonic() - started
    assert (big.status, big.json()["error"]["code"]) == (400, "bad_request")
    headers = {"Cookie": joined.cookie_header}
    async with connect(joined.ws_url, origin=joined.origin, additional_headers=headers, proxy=None) as ws:
        assert json.loads(await asyncio.wait_for(ws.recv(), STEP))["type"] == "state"
        await ws.send(json.dumps({"type": "ping", "pad": "x" * 20_000}))
        error = json.loads(await asyncio.wait_for(ws.recv(), STEP))
        assert (error["type"], error["code"]) == ("error", "bad_message")
        await ws.send(json.dumps({"type": "ping"}))
        assert json.loads(await asyncio.wait_for(ws.recv(), STEP)) == {"type": "pong"}
        await ws.send("x" * 70_000)
        with pytest.raises(ConnectionClosed):
            await asyncio.wait_for(ws.recv(), STEP)
        assert ws.close_code == 1009  # message too big
    async with connect(joined.ws_url, origin=joined.origin, additional_headers=headers, proxy=None) as ws:
        assert json.loads(await asyncio.wait_for(ws.recv(), STEP))["type"] == "state"
    opener = urllib.request.build_opener(urllib.request.ProxyHandler({}))
    with opener.open(stack.url(0) + "/healthz", timeout=5) as response:
        assert response.status == 200
    stack.check_alive()
    report_figures(record_property, "caps", join_body_10mb_refused_s=refused_body)
