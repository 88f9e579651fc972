"""Load benchmarks on the full stack (DESIGN.md "Targets"; figures and method in docs/performance.md).

Five parts, each a whole class played over the public protocol by headless students, then the same load on
the floor (`bench/floor.py`, a bare `websockets` relay) for comparison:

* `classroom`: 300 students (100 groups), no think time, paced to 100 moves/s, one ASGI server, one worker;
* `burst`: the same class with fast players (every group's first mover within ~0.5 s of a round's start);
* `lecture`: the same class with human think time (lognormal, median 1.5 s);
* `stress`: 1,500 connections (500 groups), no think time but paced to 500 moves/s;
* `scaleout`: two ASGI servers and two workers, every group's players spread over both servers.

Besides latency and delivery, each run reports the CPU per move of every process (ours, PostgreSQL's and
Redis's), the PostgreSQL commits per move (`pg_stat_database.xact_commit` of the run's database) and the
average size of the batches the move queue's tasks resolved (games.play.move_queue's counters).

How a run goes: `tests/e2e/stack.py` starts a fresh PostgreSQL database, a Redis database of its own and
the processes (uvicorn, Celery workers, beat) with `JOIN_RATE_LIMIT=0/60`; `create_class --scenario
baseline --rounds R --decision-seconds 60` opens the class; N students join over `POST /api/join`
(`games.play.client.join`, asyncio, bounded concurrency); `start_class` groups them; the seats are read from
the database so that, with two servers, each group has players on both; the sockets open at a bounded rate
(a burst of handshakes is a known pitfall); then every student plays: on a `state` that offers it actions it
waits its think time, then for the pacer (a global rate cap), then sends a `move` on that `seq`.

What is measured, per move: from sending the `move` until ALL THREE players of the group have received
the `state` that results from it (matched by group, round number and `view.round.seq`). Also: states
expected (3 per event in the database, which also gives the moves applied) versus received, refusals by
error code, `seq` gaps seen by clients (a round seq jumping by more than one), and the resident memory of
the uvicorn and Celery processes (their whole process groups, from /proc) before and after the students
connect. Everything is bounded: joins, connects, play (`--duration`) and teardown each have a time limit;
the stack and the floor are stopped on success, error or Ctrl-C.

Run one part: `python bench/run_all.py stress [--students N] [--rate R] [--duration S] ...`
(`python bench/load.py --help` lists the options). Results go to bench/results/<part>.json.
"""

from __future__ import annotations

import argparse
import asyncio
import contextlib
import itertools
import json
import math
import os
import platform
import random
import signal
import socket
import subprocess
import sys
import tempfile
import time
import uuid
from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))
RESULTS = ROOT / "bench" / "results"
ROLES = ("japan", "us", "challenger")

# Each part's defaults; every one can be changed on the command line.
PRESETS: dict[str, dict[str, Any]] = {
    "classroom": {"students": 300, "rounds": 12, "think": "0", "rate": 100.0, "servers": 1, "workers": 1,
                  "duration": 60.0},
    "burst": {"students": 300, "rounds": 6, "think": "lognormal:0.3:0.6", "rate": 0.0, "servers": 1,
              "workers": 1, "duration": 90.0},
    "lecture": {"students": 300, "rounds": 4, "think": "lognormal:1.5:0.6", "rate": 0.0, "servers": 1,
                "workers": 1, "duration": 90.0},
    "stress": {"students": 1500, "rounds": 4, "think": "0", "rate": 500.0, "servers": 1, "workers": 1,
               "duration": 30.0, "pipeline_floor": True},
    "scaleout": {"students": 300, "rounds": 3, "think": "0", "rate": 60.0, "servers": 2, "workers": 2,
                 "duration": 40.0},
}  # fmt: skip
# The DESIGN.md targets each part checks (milliseconds; memory in KiB per connected student).
# `served`: moves/s reached / offered (the pacer's jitter costs a little); `cpu`: milliseconds of CPU per
# move of every server-side process (ours, PostgreSQL, Redis; not the harness); `commits`: PostgreSQL
# commits per move (both at saturation: stress).
TARGETS: dict[str, dict[str, float]] = {
    "classroom": {"p99_ms": 20.0, "lost": 0, "kib_per_student": 100.0},
    "burst": {"p99_ms": 50.0, "lost": 0},
    "lecture": {"p99_ms": 50.0, "lost": 0, "kib_per_student": 100.0},
    "stress": {"p50_ms": 10.0, "p99_ms": 100.0, "lost": 0, "errors": 0, "kib_per_student": 100.0,
               "served": 0.97, "cpu": 3.0, "commits": 0.2},
    "scaleout": {"lost": 0},
}  # fmt: skip


def classroom(argv: list[str]) -> int:
    return run_part("classroom", argv)


def burst(argv: list[str]) -> int:
    return run_part("burst", argv)


def lecture(argv: list[str]) -> int:
    return run_part("lecture", argv)


def stress(argv: list[str]) -> int:
    return run_part("stress", argv)


def scaleout(argv: list[str]) -> int:
    return run_part("scaleout", argv)


def main(argv: list[str]) -> int:
    part = argv[0] if argv and argv[0] in PRESETS else "classroom"
    return run_part(part, argv[1:] if argv and argv[0] in PRESETS else argv)


# --------------------------------------------------------------------------------------------------
# Options
# --------------------------------------------------------------------------------------------------
def parse(part: str, argv: list[str]) -> argparse.Namespace:
    preset = PRESETS[part]
    parser = argparse.ArgumentParser(prog=f"bench {part}", description=__doc__.split("\n\n")[0])
    parser.add_argument(
        "--students", type=int, default=preset["students"], help="rounded down to groups of 3"
    )
    parser.add_argument(
        "--class-size",
        type=int,
        default=300,
        help="students per class (300, the default class limit): 1,500 students are 5 classes",
    )
    parser.add_argument("--rounds", type=int, default=preset["rounds"])
    parser.add_argument(
        "--think",
        default=preset["think"],
        help='seconds before each move: "0", "1.5", or "lognormal:MEDIAN:SIGMA"',
    )
    parser.add_argument("--rate", type=float, default=preset["rate"], help="cap on moves/s overall (0: none)")
    parser.add_argument(
        "--duration",
        type=float,
        default=preset["duration"],
        help="stop sending moves after this many seconds of play",
    )
    parser.add_argument("--servers", type=int, default=preset["servers"], help="ASGI (uvicorn) processes")
    parser.add_argument("--workers", type=int, default=preset["workers"], help="Celery worker processes")
    parser.add_argument(
        "--worker-args",
        default="",
        help="extra `celery worker` options, e.g. '--pool threads --concurrency 4'",
    )
    parser.add_argument("--server-args", default="", help="extra uvicorn options")
    parser.add_argument(
        "--env",
        action="append",
        default=[],
        metavar="NAME=VALUE",
        help="extra environment for the stack's processes (repeatable)",
    )
    parser.add_argument("--result-seconds", type=int, default=1, help="pause between a class's rounds")
    parser.add_argument("--join-concurrency", type=int, default=20)
    parser.add_argument("--connect-concurrency", type=int, default=50, help="websocket handshakes at once")
    parser.add_argument("--seed", type=int, default=20260611)
    parser.add_argument("--no-floor", action="store_true", help="skip the floor run")
    parser.add_argument(
        "--frame-bytes",
        type=int,
        default=3000,
        help="state frame size on the floor when ours did not run (else ours' mean)",
    )
    parser.add_argument("--floor-only", action="store_true", help="only the floor run(s)")
    parser.add_argument(
        "--pipeline-floor",
        action=argparse.BooleanOptionalAction,
        default=preset.get("pipeline_floor", False),
        help="also run the pipeline floor (bench/pipeline_floor.py: DESIGN.md's hops, nothing of ours)",
    )
    parser.add_argument("--profile", metavar="DIR",
                        help="record py-spy profiles (collapsed stacks) of the servers and workers during "
                             "play, if py-spy is installed")  # fmt: skip
    parser.add_argument("--out", help="results file (default bench/results/<part>.json)")
    parser.add_argument("--logs", metavar="DIR", help="keep the stack's process logs in DIR")
    args, _ = parser.parse_known_args(argv)
    args.part = part
    args.class_size = max(3, args.class_size - args.class_size % 3)
    args.students = max(3, args.students - args.students % 3)
    return args


class Think:
    """Think time before a move: a constant, or lognormal with the given median and sigma (capped at 6x
    the median, so a run stays bounded)."""

    def __init__(self, spec: str, rng: random.Random) -> None:
        self.spec, self.rng = spec, rng
        kind, _, rest = spec.partition(":")
        if kind == "lognormal":
            median, _, sigma = rest.partition(":")
            self.median, self.sigma = float(median), float(sigma or 0.5)
        else:
            self.median, self.sigma = float(spec), 0.0

    def __call__(self) -> float:
        if self.sigma == 0:
            return self.median
        return min(self.median * math.exp(self.sigma * self.rng.gauss(0, 1)), 6 * self.median)


class Pacer:
    """A global cap on the move rate: each move takes the next free slot, 1/rate apart."""

    def __init__(self, rate: float) -> None:
        self.interval = 1.0 / rate if rate > 0 else 0.0
        self.next = 0.0

    async def wait(self) -> None:
        if not self.interval:
            return
        now = time.perf_counter()
        slot = max(now, self.next)
        self.next = slot + self.interval
        if slot > now:
            await asyncio.sleep(slot - now)


# --------------------------------------------------------------------------------------------------
# Recording
# --------------------------------------------------------------------------------------------------
@dataclass
class Recorder:
    """Per-move latency to all three players, deliveries, refusals and gaps."""

    sent: dict[tuple[int, int, int], float] = field(default_factory=dict)  # key of the resulting state
    arrivals: Counter = field(default_factory=Counter)
    latencies: list[float] = field(default_factory=list)
    first: dict[tuple[int, int, int], float] = field(default_factory=dict)  # first of the three arrivals
    first_latencies: list[float] = field(default_factory=list)
    round_seen: dict[int, float] = field(default_factory=dict)  # round number -> first state of it seen
    early: list[float] = field(default_factory=list)  # latencies of moves sent in a round's first 3 s
    # (seconds from the round's first state to the move, latency): where in a round the slow moves are
    offsets: list[tuple[float, float]] = field(default_factory=list)
    round_last: dict[int, float] = field(default_factory=dict)  # round number -> last first state of it
    errors: Counter = field(default_factory=Counter)
    gaps: int = 0
    states: int = 0
    duplicates: int = 0
    frame_bytes: int = 0
    moves_sent: int = 0
    first_move: float | None = None
    last_move: float | None = None

    def state(self, client: Client, number: int, seq: int, at: float) -> None:
        if number not in self.round_seen:
            self.round_seen[number] = at
        if seq == 0:
            self.round_last[number] = at
            return
        key = (client.group, number, seq)
        if (number, seq) in client.seen:
            self.duplicates += 1
            return
        client.seen.add((number, seq))
        self.arrivals[key] += 1
        if self.arrivals[key] == 1:
            self.first[key] = at
        if self.arrivals[key] == 3 and key in self.sent:
            self.latencies.append(at - self.sent[key])
            offset = self.sent[key] - self.round_seen.get(number, 0.0)
            self.offsets.append((offset, at - self.sent[key]))
            if offset < 3.0:
                self.early.append(at - self.sent[key])
            self.first_latencies.append(self.first.pop(key) - self.sent[key])


def percentiles(values: list[float]) -> dict[str, float | None]:
    if not values:
        return {"n": 0, "p50_ms": None, "p95_ms": None, "p99_ms": None, "max_ms": None, "mean_ms": None}
    ordered = sorted(values)

    def pick(q: float) -> float:
        return round(ordered[min(len(ordered) - 1, max(0, math.ceil(q * len(ordered)) - 1))] * 1000, 2)

    return {"n": len(ordered), "p50_ms": pick(0.50), "p95_ms": pick(0.95), "p99_ms": pick(0.99),
            "max_ms": round(ordered[-1] * 1000, 2),
            "mean_ms": round(sum(ordered) / len(ordered) * 1000, 2)}  # fmt: skip


OFFSET_BUCKETS = (0.0, 0.1, 0.25, 0.5, 1.0, 2.0, math.inf)  # seconds after a round's first state


def by_offset(offsets: list[tuple[float, float]]) -> dict[str, dict[str, float | None]]:
    """Latency percentiles of the moves sent in each span of time after their round's first state."""
    spans = itertools.pairwise(OFFSET_BUCKETS)
    return {
        f"{low:g}-{high:g}s": percentiles([lat for off, lat in offsets if low <= off < high])
        for low, high in spans
    }


# --------------------------------------------------------------------------------------------------
# One headless student (lean: the harness runs on the same two cores as the server)
# --------------------------------------------------------------------------------------------------
class Client:
    def __init__(self, run: Run, index: int, url: str, headers: dict[str, str], origin: str | None,
                 group: int, slot: int) -> None:  # fmt: skip
        self.run, self.index, self.url, self.headers, self.origin = run, index, url, headers, origin
        self.group, self.slot = group, slot  # the group is learned from the views when not given
        self.group_offset = 0
        self.ws: Any = None
        self.ready = asyncio.Event()
        self.finished = False
        self.view: dict[str, Any] | None = None
        self.frame_seq = -1
        self.current: tuple[int, int] = (0, -1)
        self.seen: set[tuple[int, int]] = set()
        self.acted: set[tuple[int, int]] = set()
        self.reader: asyncio.Task[None] | None = None
        self.rng = random.Random(f"{run.args.seed}:{index}")

    async def connect(self, attempts: int = 4) -> None:
        from websockets.asyncio.client import connect

        for attempt in range(attempts):
            try:
                self.ws = await connect(
                    self.url, origin=self.origin, additional_headers=self.headers, compression=None,
                    proxy=None, open_timeout=30, ping_interval=None, close_timeout=2, max_size=2**20,
                )  # fmt: skip
                break
            except Exception as exc:
                self.run.handshake_failures[type(exc).__name__] += 1
                if attempt == attempts - 1:
                    raise
                await asyncio.sleep(0.2 * 2**attempt)
        self.reader = asyncio.create_task(self.read())
        await asyncio.wait_for(self.ready.wait(), 30)

    async def read(self) -> None:
        from websockets.exceptions import ConnectionClosed

        try:
            async for raw in self.ws:
                self.on_frame(raw, time.perf_counter())
        except ConnectionClosed:
            pass
        if not self.run.closing:
            self.run.dropped += 1

    def on_frame(self, raw: str | bytes, at: float) -> None:
        run = self.run
        frame = json.loads(raw)
        kind = frame.get("type")
        if kind == "error":
            run.recorder.errors[frame.get("code")] += 1
            return
        if kind != "state":
            return
        run.recorder.states += 1
        run.recorder.frame_bytes += len(raw)
        view = frame["view"]
        if frame["seq"] >= self.frame_seq:
            self.frame_seq, self.view = frame["seq"], view
        if not self.finished and view.get("class", {}).get("status") == "finished":
            self.finished = True
            run.finished_one()
        rnd = view.get("round")
        if rnd and self.group is None:
            self.group = self.group_offset + view["you"]["group"]
            run.seated += 1
        if rnd:
            number, seq = rnd["number"], rnd["seq"]
            last_number, last_seq = self.current
            if number == last_number and seq > last_seq + 1:
                run.recorder.gaps += seq - last_seq - 1
            if (number, seq) > self.current:
                self.current = (number, seq)
            run.recorder.state(self, number, seq, at)
        self.ready.set()
        if run.go.is_set():
            self.maybe_act()

    def maybe_act(self) -> None:
        view = self.view or {}
        rnd = view.get("round") or {}
        actions = rnd.get("actions")
        if not actions or view.get("class", {}).get("status") != "running" or self.run.stop_moves:
            return
        key = (rnd["number"], rnd["seq"])
        if key in self.acted or key != self.current:
            return
        self.acted.add(key)
        self.run.spawn(self.move(self.rng.choice(actions), self.frame_seq, key))

    async def move(self, action: str, seq: int, key: tuple[int, int]) -> None:
        run = self.run
        think = run.think()
        if think > 0:
            await asyncio.sleep(think)
        await run.pacer.wait()
        if run.stop_moves or self.current != key:
            return
        frame = json.dumps({"type": "move", "action": action, "move_id": uuid.uuid4().hex, "seq": seq})
        now = time.perf_counter()
        run.recorder.sent[(self.group, key[0], key[1] + 1)] = now
        run.recorder.moves_sent += 1
        run.recorder.first_move = run.recorder.first_move or now
        run.recorder.last_move = now
        try:
            await self.ws.send(frame)
        except Exception:
            run.recorder.errors["send_failed"] += 1

    async def close(self) -> None:
        if self.ws is not None:
            with contextlib.suppress(Exception):
                await asyncio.wait_for(self.ws.close(), 5)
        if self.reader is not None:
            self.reader.cancel()
            with contextlib.suppress(asyncio.CancelledError, Exception):
                await self.reader


class Run:
    """One load run (ours or the floor's): the clients, the pacing and what was recorded."""

    def __init__(self, args: argparse.Namespace, label: str) -> None:
        self.args, self.label = args, label
        self.rng = random.Random(args.seed)
        self.think = Think(args.think, self.rng)
        self.pacer = Pacer(args.rate)
        self.recorder = Recorder()
        self.clients: list[Client] = []
        self.go = asyncio.Event()
        self.all_finished = asyncio.Event()
        self.finished_count = 0
        self.seated = 0
        self.stop_moves = False
        self.closing = False
        self.dropped = 0
        self.handshake_failures: Counter = Counter()
        self.tasks: set[asyncio.Task[None]] = set()

    def spawn(self, coroutine: Any) -> None:
        task = asyncio.create_task(coroutine)
        self.tasks.add(task)
        task.add_done_callback(self.tasks.discard)

    def finished_one(self) -> None:
        self.finished_count += 1
        if self.finished_count >= len(self.clients):
            self.all_finished.set()

    async def connect_all(self) -> float:
        gate = asyncio.Semaphore(self.args.connect_concurrency)
        started = time.perf_counter()

        async def one(client: Client) -> None:
            async with gate:
                await client.connect()

        await asyncio.wait_for(asyncio.gather(*(one(c) for c in self.clients)), 300)
        return time.perf_counter() - started

    async def wait_seated(self, timeout: float) -> None:
        """Until every student has been shown a seat (the start's push, or a `sync`)."""
        until = time.perf_counter() + timeout
        while self.seated < len(self.clients) and time.perf_counter() < until:
            await asyncio.sleep(0.1)
        for client in self.clients:  # a push lost in a burst: ask, as a real client does
            if client.group is None and client.ws is not None:
                with contextlib.suppress(Exception):
                    await client.ws.send('{"type":"sync"}')
        while self.seated < len(self.clients) and time.perf_counter() < until + 10:
            await asyncio.sleep(0.1)

    async def play(self) -> float:
        """Release the students; returns the seconds of play (bounded by --duration and a grace)."""
        started = time.perf_counter()
        self.go.set()
        for client in self.clients:
            client.maybe_act()
        with contextlib.suppress(TimeoutError):
            await asyncio.wait_for(self.all_finished.wait(), self.args.duration)
        self.stop_moves = True
        played = time.perf_counter() - started
        # Let the moves in flight land: until each has its three states, or nothing arrived for 3 s, or 30 s.
        until = time.perf_counter() + 30
        while time.perf_counter() < until and not self.settled():
            states = self.recorder.states
            await asyncio.sleep(3.0)
            if self.recorder.states == states:
                break
        for task in list(self.tasks):
            task.cancel()
        return played

    def settled(self) -> bool:
        return all(self.recorder.arrivals[key] >= 3 for key in self.recorder.sent)

    async def close_all(self) -> None:
        self.closing = True
        gate = asyncio.Semaphore(200)

        async def one(client: Client) -> None:
            async with gate:
                await client.close()

        with contextlib.suppress(TimeoutError):
            await asyncio.wait_for(asyncio.gather(*(one(c) for c in self.clients)), 60)

    def figures(self, played: float, expected: int, received: int) -> dict[str, Any]:
        rec = self.recorder
        span = (rec.last_move - rec.first_move) if rec.first_move and rec.last_move else played
        return {
            "clients": len(self.clients),
            "groups": len(self.clients) // 3,
            "moves_sent": rec.moves_sent,
            "moves_per_s": round(rec.moves_sent / span, 1) if span > 0 else None,
            "play_seconds": round(played, 2),
            "latency": percentiles(rec.latencies),
            "latency_first_of_three": percentiles(rec.first_latencies),
            # Moves sent within 3 s of their round's first state: the burst when a round starts.
            "latency_round_start": percentiles(rec.early),
            "latency_by_offset": by_offset(rec.offsets),
            # From a round's first state reaching a student to the last: how long a round start takes to
            # reach the whole class.
            "round_start_spread": percentiles(
                [rec.round_last[n] - rec.round_seen[n] for n in rec.round_last if n in rec.round_seen]
            ),
            "states_expected": expected,
            "states_received": received,
            "delivered": round(received / expected, 6) if expected else None,
            "lost": expected - received,
            "errors": dict(rec.errors),
            "error_count": sum(rec.errors.values()),
            "seq_gaps": rec.gaps,
            "duplicate_states": rec.duplicates,
            "dropped_connections": self.dropped,
            "handshake_retries": dict(self.handshake_failures),
            "mean_state_bytes": round(rec.frame_bytes / rec.states) if rec.states else None,
        }


# --------------------------------------------------------------------------------------------------
# Processes: memory, profiles
# --------------------------------------------------------------------------------------------------
def group_pids(pgid: int) -> list[int]:
    pids = []
    for entry in Path("/proc").iterdir():
        if not entry.name.isdigit():
            continue
        try:
            stat = (entry / "stat").read_text()
        except OSError:
            continue
        fields = stat[stat.rindex(")") + 2 :].split()
        if int(fields[2]) == pgid:
            pids.append(int(entry.name))
    return pids


def rss_kib(pid: int) -> int:
    try:
        for line in Path(f"/proc/{pid}/status").read_text().splitlines():
            if line.startswith("VmRSS:"):
                return int(line.split()[1])
    except OSError:
        pass
    return 0


def cpu_seconds(pid: int) -> float:
    """User + system CPU time of one process so far."""
    try:
        stat = Path(f"/proc/{pid}/stat").read_text()
    except OSError:
        return 0.0
    fields = stat[stat.rindex(")") + 2 :].split()
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")


def backing_cpu() -> dict[str, float]:
    """CPU seconds used so far by the machine's PostgreSQL and Redis servers (by process name; PostgreSQL's
    exited backends count through the postmaster's children's time). Machine-wide: anything else using
    those servers during the run counts too."""
    totals = {"postgres": 0.0, "redis": 0.0}
    for stat_path in Path("/proc").glob("[0-9]*/stat"):
        try:
            stat = stat_path.read_text()
        except OSError:
            continue
        name = stat[stat.index("(") + 1 : stat.rindex(")")]
        key = "postgres" if name == "postgres" else "redis" if name == "redis-server" else None
        if key is None:
            continue
        fields = stat[stat.rindex(")") + 2 :].split()
        children = int(fields[13]) + int(fields[14]) if key == "postgres" else 0
        totals[key] += (int(fields[11]) + int(fields[12]) + children) / os.sysconf("SC_CLK_TCK")
    return totals


def cpu(services: list[Any]) -> dict[str, float]:
    """CPU seconds used so far by each service's process group (pool children that exited are lost)."""
    return {s.name: sum(cpu_seconds(pid) for pid in group_pids(s.process.pid)) for s in services}


def memory(services: list[Any]) -> dict[str, int]:
    """Resident KiB of each service's whole process group (Celery's pool children included)."""
    return {s.name: sum(rss_kib(pid) for pid in group_pids(s.process.pid)) for s in services}


def start_profiles(args: argparse.Namespace, services: list[Any], seconds: float) -> list[subprocess.Popen]:
    if not args.profile:
        return []
    import shutil

    spy = shutil.which("py-spy") or str(Path(sys.executable).parent / "py-spy")
    if not Path(spy).exists():
        print("  (py-spy is not installed: no profiles)")
        return []
    out = Path(args.profile)
    out.mkdir(parents=True, exist_ok=True)
    procs = []
    for service in services:
        for pid in group_pids(service.process.pid):
            target = out / f"{args.part}-{service.name}-{pid}.txt"
            procs.append(subprocess.Popen(
                [spy, "record", "--pid", str(pid), "--duration", str(int(seconds)), "--rate", "250",
                 "--format", "raw", "--output", str(target), "--nonblocking", "--gil"],
                stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
            ))  # fmt: skip
    return procs


def machine() -> dict[str, Any]:
    mem_kib = 0
    with contextlib.suppress(OSError):
        for line in Path("/proc/meminfo").read_text().splitlines():
            if line.startswith("MemTotal:"):
                mem_kib = int(line.split()[1])
    return {"cpus": os.cpu_count(), "memory_gib": round(mem_kib / 2**20, 1),
            "python": platform.python_version(), "load": [round(x, 2) for x in os.getloadavg()]}  # fmt: skip


def load_text() -> str:
    return "load average " + " ".join(f"{x:.2f}" for x in os.getloadavg())


# --------------------------------------------------------------------------------------------------
# Ours: the full stack
# --------------------------------------------------------------------------------------------------
SEATS = r"""
import json, sys
import django
django.setup()
from games.models import ClassSession, Round
out = {}
for index, code in enumerate(sys.argv[1:]):
    class_session = ClassSession.objects.get(code=code)
    current = Round.objects.filter(class_session=class_session, number=class_session.current_round)
    for rnd in current.select_related("group"):
        for slot, role in enumerate(("japan", "us", "challenger")):
            out[str(getattr(rnd, role + "_id"))] = [index * GROUPS + rnd.group.number, slot]
print(json.dumps(out))
""".replace("GROUPS", "100000")

OUTCOME = r"""
import json, sys
import django
django.setup()
from django.db.models import Count
from games.models import ClassSession, Event, Round
codes = sys.argv[1:]
classes = {c.code: c for c in ClassSession.objects.filter(code__in=codes)}
rounds = []
for index, code in enumerate(codes):
    rows = Round.objects.filter(class_session=classes[code])
    rows = rows.values_list("group__number", "number", "seq", "status")
    rounds += [[index * 100000 + g, n, s, st] for g, n, s, st in rows]
events = Event.objects.filter(round__class_session__code__in=codes)
kinds = dict(events.values_list("kind").annotate(n=Count("id")))
moves = events.filter(kind="move")
print(json.dumps({
    "status": sorted({c.status for c in classes.values()}),
    "round": min(c.current_round for c in classes.values()), "rounds": rounds, "events": kinds,
    "move_ids": moves.count(), "distinct_move_ids": moves.values("move_id").distinct().count(),
}))
"""


def stack_urls() -> tuple[str, str]:
    """The PostgreSQL server and Redis to run on (loopback defaults, as in CI; override by environment)."""
    return (os.environ.get("DATABASE_URL") or "postgres://postgres@127.0.0.1:5432/postgres",
            os.environ.get("REDIS_URL") or "redis://127.0.0.1:6379/0")  # fmt: skip


async def join_all(args: argparse.Namespace, urls: list[str], codes: list[str]) -> tuple[list[Any], float]:
    """Every student joins over `POST /api/join`: student i joins class i // class_size."""
    from games.play.client import join

    gate = asyncio.Semaphore(args.join_concurrency)
    started = time.perf_counter()

    async def one(i: int) -> Any:
        async with gate:
            code = codes[i // args.class_size]
            return await join(urls[i % len(urls)], code, f"Student {i + 1}", timeout=60, retry_for=60)

    joined = await asyncio.wait_for(asyncio.gather(*(one(i) for i in range(args.students))), 600)
    return joined, time.perf_counter() - started


def run_ours(args: argparse.Namespace) -> dict[str, Any]:
    from tests.e2e.stack import Stack, StackError

    database_url, redis_url = stack_urls()
    with tempfile.TemporaryDirectory(prefix=f"crisis-bench-{args.part}-") as tmp:
        stack = Stack(Path(tmp), database_url=database_url, redis_url=redis_url)
        # Production-like: DEBUG off (Django would otherwise keep every query it runs).
        env = {
            "JOIN_RATE_LIMIT": "0/60",
            "LOG_LEVEL": "WARNING",
            "DEBUG": "false",
            "SECRET_KEY": f"bench-{uuid.uuid4().hex}{uuid.uuid4().hex}",
            "ALLOWED_HOSTS": "127.0.0.1,localhost",
        }
        env.update(dict(item.split("=", 1) for item in args.env))
        try:
            started = time.perf_counter()
            stack.start(
                servers=args.servers, workers=args.workers, env=env,
                server_args=args.server_args.split(), worker_args=["--loglevel", "WARNING",
                                                                    *args.worker_args.split()],
            )  # fmt: skip
            print(f"  stack up in {time.perf_counter() - started:.1f} s: {args.servers} ASGI server(s), "
                  f"{args.workers} worker(s) [{args.worker_args}]; {load_text()}", flush=True)  # fmt: skip
            options = ["--rounds", str(args.rounds), "--decision-seconds", "60", "--result-seconds",
                       str(args.result_seconds), "--max-students", str(args.class_size),
                       "--no-bots"]  # fmt: skip
            codes = [stack.create_class(*options) for _ in range(math.ceil(args.students / args.class_size))]
            result = asyncio_run(play_ours(args, stack, codes))
            outcome = stack.python("-c", OUTCOME, *codes, timeout=120)
            if outcome.returncode != 0:
                raise StackError(f"reading the outcome failed: {outcome.stderr}")
            db = json.loads(outcome.stdout.strip().splitlines()[-1])
            stack.check_alive()
            return account(args, result, db)
        except BaseException:
            with contextlib.suppress(Exception):
                print(stack.logs(), file=sys.stderr)
            raise
        finally:
            stack.stop()
            if args.logs:
                import shutil

                Path(args.logs).mkdir(parents=True, exist_ok=True)
                for log in Path(tmp).glob("*.log"):
                    shutil.copy(log, Path(args.logs) / log.name)


async def start_classes(stack: Any, codes: list[str]) -> None:
    for code in codes:
        done = await asyncio.to_thread(stack.manage, "start_class", code)
        if done.returncode != 0:
            raise RuntimeError(f"start_class failed: {done.stderr}")


async def play_ours(args: argparse.Namespace, stack: Any, codes: list[str]) -> dict[str, Any]:
    """Join; then, with one server, open the sockets in the lobby and start the classes (the students see
    the start as it happens); with several, start first and read the seats, so that every group gets
    players on two servers (the grouping is the server's), then open the sockets."""
    urls = [stack.url(i) for i in range(args.servers)]
    joined, join_seconds = await join_all(args, urls, codes)
    print(f"  {len(joined)} students joined {len(codes)} class(es) in {join_seconds:.1f} s "
          f"({len(joined) / join_seconds:.0f}/s); {load_text()}", flush=True)  # fmt: skip
    seats: dict[str, list[int]] = {}
    if len(urls) > 1:
        await start_classes(stack, codes)
        seats_out = await asyncio.to_thread(stack.python, "-c", SEATS, *codes)
        seats = json.loads(seats_out.stdout.strip().splitlines()[-1])
    run = Run(args, "ours")
    spread = 0
    for i, joined_one in enumerate(joined):
        group, slot = seats.get(joined_one.participant, (None, None))
        # With two servers: Japan on the first, the US on the second, the Challenger alternating.
        server = (slot if slot < 2 else group) % len(urls) if len(urls) > 1 else 0
        ws_url = (
            urls[server].replace("http://", "ws://") + joined_one.ws_url[joined_one.ws_url.index("/ws/") :]
        )
        client = Client(run, i, ws_url, {"Cookie": joined_one.cookie_header}, joined_one.origin, group, slot)
        client.group_offset = (i // args.class_size) * 100000  # group numbers are per class
        run.clients.append(client)
    if len(urls) > 1:
        by_group: dict[int, set[str]] = {}
        for client in run.clients:
            by_group.setdefault(client.group, set()).add(client.url.split("/ws/")[0])
        spread = sum(len(servers) > 1 for servers in by_group.values())
    asgi = [s for s in stack.services if s.name.startswith("asgi")]
    workers = [s for s in stack.services if s.name.startswith("worker")]
    before = memory(asgi + workers)
    connect_seconds = await run.connect_all()
    await asyncio.sleep(1.0)
    after = memory(asgi + workers)
    print(f"  {len(run.clients)} sockets open in {connect_seconds:.1f} s; {load_text()}", flush=True)
    if len(urls) == 1:
        await start_classes(stack, codes)
        await run.wait_seated(120)
    profiles = start_profiles(args, asgi + workers, min(args.duration, 30))
    load_before = os.getloadavg()
    commits_before, batches_before = commits(stack), queue_counts(stack)
    cpu_before, own_before, backing_before = cpu(stack.services), time.process_time(), backing_cpu()
    played = await run.play()
    cpu_after, own_after, backing_after = cpu(stack.services), time.process_time(), backing_cpu()
    load_after = os.getloadavg()
    await asyncio.sleep(2.0)  # PostgreSQL's backends report their counters within a second of going idle
    commits_after, batches_after = commits(stack), queue_counts(stack)
    end = memory(asgi + workers)
    await run.close_all()
    for proc in profiles:
        with contextlib.suppress(subprocess.TimeoutExpired):
            proc.wait(timeout=40)
    asgi_names = [s.name for s in asgi]
    worker_names = [s.name for s in workers]
    asgi_delta = sum(after[n] - before[n] for n in asgi_names)
    moves = max(run.recorder.moves_sent, 1)
    used = {n: cpu_after[n] - cpu_before.get(n, 0.0) for n in cpu_after}
    cpu_ms = {
        "asgi": round(1000 * sum(v for n, v in used.items() if n.startswith("asgi")) / moves, 3),
        "workers": round(1000 * sum(v for n, v in used.items() if n.startswith("worker")) / moves, 3),
        "beat": round(1000 * used.get("beat", 0.0) / moves, 3),
        "harness": round(1000 * (own_after - own_before) / moves, 3),
        **{
            name: round(1000 * (backing_after[name] - backing_before[name]) / moves, 3)
            for name in backing_after
        },
    }
    cpu_ms["server_total"] = round(sum(v for k, v in cpu_ms.items() if k != "harness"), 3)
    batches = {k: batches_after.get(k, 0) - batches_before.get(k, 0) for k in ("batches", "moves")}
    return {
        "cpu_ms_per_move": cpu_ms,
        "commits": commits_after - commits_before,
        "commits_per_move": round((commits_after - commits_before) / moves, 3),
        "batches": batches,
        "mean_batch": round(batches["moves"] / batches["batches"], 2) if batches["batches"] else None,
        "run": run, "played": played, "join_seconds": round(join_seconds, 2),
        "connect_seconds": round(connect_seconds, 2), "groups_spread": spread,
        "load_during": [round(x, 2) for x in load_before], "load_after": [round(x, 2) for x in load_after],
        "memory_kib": {
            "asgi_before_connect": sum(before[n] for n in asgi_names),
            "asgi_connected": sum(after[n] for n in asgi_names),
            "asgi_end": sum(end[n] for n in asgi_names),
            "workers_end": sum(end[n] for n in worker_names),
            "per_student_kib": round(asgi_delta / len(run.clients), 1),
            "per_student_total_kib": round(sum(after[n] for n in asgi_names) / len(run.clients), 1),
        },
    }  # fmt: skip


def commits(stack: Any) -> int:
    """Transactions committed so far in the run's database (pg_stat_database.xact_commit): every commit of
    every process, read-only ones (a query outside a transaction) included."""
    with stack._admin_connection() as conn:
        conn.execute("SELECT pg_stat_clear_snapshot()")
        row = conn.execute(
            "SELECT xact_commit FROM pg_stat_database WHERE datname = %s", (stack.database_name,)
        ).fetchone()
    return int(row[0]) if row else 0


def queue_counts(stack: Any) -> dict[str, int]:
    """The move queue's counters (batches resolved, moves in them) in the run's Redis database."""
    import redis

    from games.play.move_queue import KEY_PREFIX

    client = redis.Redis.from_url(stack.redis_url, socket_timeout=5)
    try:
        return {k.decode(): int(v) for k, v in client.hgetall(f"{KEY_PREFIX}:stats").items()}
    finally:
        client.close()


def account(args: argparse.Namespace, result: dict[str, Any], db: dict[str, Any]) -> dict[str, Any]:
    """States expected from the database (3 per event of every round) against those received."""
    run: Run = result["run"]
    final = {(g, n): s for g, n, s, _ in db["rounds"]}
    expected = 3 * sum(final.values())
    received = sum(1 for c in run.clients for (n, s) in c.seen if s <= final.get((c.group, n), -1))
    figures = run.figures(result["played"], expected, received)
    applied = db["events"].get("move", 0)
    figures.update(
        moves_applied=applied,
        moves_unanswered=figures["moves_sent"] - applied - sum(
            n for code, n in run.recorder.errors.items() if code != "send_failed"),
        other_events={k: v for k, v in db["events"].items() if k != "move"},
        duplicate_move_ids=db["move_ids"] - db["distinct_move_ids"],
        class_status=",".join(db["status"]), class_round=db["round"],
        rounds_finished=sum(1 for *_, st in db["rounds"] if st == "finished"),
        join_seconds=result["join_seconds"], connect_seconds=result["connect_seconds"],
        groups_spread=result["groups_spread"], memory_kib=result["memory_kib"],
        cpu_ms_per_move=result["cpu_ms_per_move"], commits=result["commits"],
        commits_per_move=result["commits_per_move"], batches=result["batches"],
        mean_batch=result["mean_batch"], offered_per_s=args.rate or None,
        load_during=result["load_during"], load_after=result["load_after"],
    )  # fmt: skip
    return figures


# --------------------------------------------------------------------------------------------------
# The floor: bench/floor.py under the same load
# --------------------------------------------------------------------------------------------------
def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def run_floor(args: argparse.Namespace, frame_bytes: int) -> dict[str, Any]:
    port = free_port()
    command = [sys.executable, str(ROOT / "bench" / "floor.py"), "--port", str(port), "--rounds",
               str(args.rounds), "--moves", "3", "--frame-bytes", str(frame_bytes), "--result-seconds",
               str(args.result_seconds), "--uvloop"]  # fmt: skip
    proc = subprocess.Popen(command, cwd=ROOT, stdout=subprocess.PIPE, stderr=subprocess.STDOUT,
                            start_new_session=True, text=True)  # fmt: skip
    try:
        line = ""
        deadline = time.monotonic() + 30
        while time.monotonic() < deadline and proc.poll() is None:
            line = proc.stdout.readline() if proc.stdout else ""
            if line.strip() == "ready":
                break
        if line.strip() != "ready":
            raise RuntimeError(f"the floor server did not start: {line}")
        return asyncio_run(play_floor(args, port, {"server": proc.pid}))
    finally:
        with contextlib.suppress(ProcessLookupError):
            os.killpg(proc.pid, signal.SIGTERM)
        try:
            proc.wait(timeout=10)
        except subprocess.TimeoutExpired:
            with contextlib.suppress(ProcessLookupError):
                os.killpg(proc.pid, signal.SIGKILL)
            proc.wait(timeout=5)


async def play_floor(args: argparse.Namespace, port: int, groups: dict[str, int],
                     label: str = "floor") -> dict[str, Any]:  # fmt: skip
    """Play the load against a floor on `port`; `groups` names the process groups to account for (the
    first is the websocket server, whose memory is measured)."""
    run = Run(args, label)
    for i in range(args.students):
        group, slot = i // 3 + 1, i % 3
        url = f"ws://127.0.0.1:{port}/?group={group}&slot={slot}"
        run.clients.append(Client(run, i, url, {}, None, group, slot))
    server = next(iter(groups.values()))
    before = sum(rss_kib(pid) for pid in group_pids(server))
    connect_seconds = await run.connect_all()
    await asyncio.sleep(1.0)
    after = sum(rss_kib(pid) for pid in group_pids(server))

    def used() -> dict[str, float]:
        return {name: sum(cpu_seconds(pid) for pid in group_pids(pgid)) for name, pgid in groups.items()}

    cpu_before, own_before, backing_before = used(), time.process_time(), backing_cpu()
    played = await run.play()
    cpu_after, own_after, backing_after = used(), time.process_time(), backing_cpu()
    await run.close_all()
    final: dict[tuple[int, int], int] = {}
    for client in run.clients:
        for n, s in client.seen:
            final[(client.group, n)] = max(final.get((client.group, n), 0), s)
    moves_applied = sum(final.values())
    expected = 3 * moves_applied
    received = sum(len([1 for n, s in c.seen if s >= 1]) for c in run.clients)
    figures = run.figures(played, expected, received)
    moves = max(run.recorder.moves_sent, 1)
    cpu_ms = {name: round(1000 * (cpu_after[name] - cpu_before[name]) / moves, 3) for name in groups}
    cpu_ms["harness"] = round(1000 * (own_after - own_before) / moves, 3)
    if label != "floor":  # the floor touches neither PostgreSQL nor Redis
        cpu_ms.update({name: round(1000 * (backing_after[name] - backing_before[name]) / moves, 3)
                       for name in backing_after})  # fmt: skip
    figures["cpu_ms_per_move"] = cpu_ms
    figures.update(connect_seconds=round(connect_seconds, 2), moves_applied=moves_applied,
                   memory_kib={"server_connected": after,
                               "per_student_kib": round((after - before) / len(run.clients), 1)})  # fmt: skip
    return figures


# --------------------------------------------------------------------------------------------------
# The pipeline floor: bench/pipeline_floor.py (DESIGN.md's hops with nothing of ours) under the same load
# --------------------------------------------------------------------------------------------------
def run_pipeline_floor(args: argparse.Namespace, frame_bytes: int) -> dict[str, Any]:
    from tests.e2e.stack import Stack

    class PipelineStack(Stack):
        def start_pipeline(self, port: int) -> dict[str, int]:
            self.prepare({
                "PIPELINE_DATABASE_URL": self.database_url, "PIPELINE_CHANNEL": f"pipeline-{self.run_id}",
                "PIPELINE_ROUNDS": str(args.rounds), "PIPELINE_MOVES": "3",
                "PIPELINE_FRAME_BYTES": str(frame_bytes), "PIPELINE_RESULT_SECONDS": str(args.result_seconds),
                "CELERY_CONCURRENCY": os.environ.get("CELERY_WORKER_CONCURRENCY", "4"),
            })  # fmt: skip
            self.env["PIPELINE_REDIS_URL"] = self.redis_url
            made = self.python("-m", "bench.pipeline_floor", "setup", "--groups", str(args.students // 3))
            if made.returncode != 0:
                raise RuntimeError(f"pipeline floor setup failed: {made.stderr}")
            self.worker_names = [f"pipeline-{self.run_id}@localhost"]
            worker = self._spawn("worker", ["-m", "celery", "-A", "bench.pipeline_floor", "worker",
                                            "--pool", "prefork", "--loglevel", "WARNING", "--hostname",
                                            self.worker_names[0], "--without-gossip", "--without-mingle",
                                            "--without-heartbeat", *args.worker_args.split()])  # fmt: skip
            server = self._spawn("server", ["-m", "bench.pipeline_floor", "serve", "--port", str(port)])
            wait_port(port, server)
            self._wait_workers()
            return {"server": server.process.pid, "worker": worker.process.pid}

        def applied(self) -> dict[str, int]:
            out = self.python("-m", "bench.pipeline_floor", "applied")
            return json.loads(out.stdout.strip().splitlines()[-1])

    database_url, redis_url = stack_urls()
    with tempfile.TemporaryDirectory(prefix="crisis-bench-pipeline-") as tmp:
        stack = PipelineStack(Path(tmp), database_url=database_url, redis_url=redis_url)
        try:
            port = free_port()
            figures = asyncio_run(play_floor(args, port, stack.start_pipeline(port), label="pipeline"))
            db = stack.applied()
            stack.check_alive()
            expected = 3 * db["moves_applied"]  # the database, not the clients, says what happened
            figures.update(moves_applied=db["moves_applied"], states_expected=expected,
                           delivered=round(figures["states_received"] / expected, 6) if expected else None,
                           lost=expected - figures["states_received"],
                           duplicate_move_ids=db["moves_applied"] - db["distinct_move_ids"])  # fmt: skip
            return figures
        except BaseException:
            with contextlib.suppress(Exception):
                print(stack.logs(), file=sys.stderr)
            raise
        finally:
            stack.stop()


def wait_port(port: int, service: Any, timeout: float = 30) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if not service.alive():
            raise RuntimeError(f"{service.name} exited:\n{service.tail()}")
        with contextlib.suppress(OSError), socket.create_connection(("127.0.0.1", port), timeout=1):
            return
        time.sleep(0.1)
    raise RuntimeError(f"{service.name} did not listen on {port} within {timeout} s")


# --------------------------------------------------------------------------------------------------
# The part
# --------------------------------------------------------------------------------------------------
def asyncio_run(coroutine: Any) -> Any:
    try:
        import uvloop
    except ImportError:
        return asyncio.run(coroutine)
    return uvloop.run(coroutine)


def line(label: str, f: dict[str, Any]) -> str:
    lat = f["latency"]
    mem = f.get("memory_kib", {}).get("per_student_kib")

    def ms(v: float | None) -> str:
        return "-" if v is None else f"{v:.1f}"

    delivered = "-" if f["delivered"] is None else f"{100 * f['delivered']:.3f}%"
    return (f"{label}: {f['clients']} clients, {f['moves_sent']} moves at {f['moves_per_s']}/s: "
            f"p50 {ms(lat['p50_ms'])} p95 {ms(lat['p95_ms'])} p99 {ms(lat['p99_ms'])} "
            f"max {ms(lat['max_ms'])} ms; "
            f"delivered {f['states_received']}/{f['states_expected']} ({delivered}); "
            f"errors {f['error_count']} {f['errors'] or ''}; seq gaps {f['seq_gaps']}; "
            f"{mem} KiB/student")  # fmt: skip


def verdict(part: str, ours: dict[str, Any]) -> list[str]:
    target, misses = TARGETS[part], []
    lat = ours["latency"]
    for name, limit in target.items():
        value: Any
        if name.endswith("_ms"):
            value = lat[name]
            ok = value is not None and value < limit
        elif name == "kib_per_student":
            value = ours["memory_kib"]["per_student_kib"]
            ok = value < limit
        elif name == "lost":
            value = ours["lost"] + ours.get("moves_unanswered", 0)
            ok = value <= limit and ours["states_expected"] > 0
        elif name == "served":
            offered = ours["offered_per_s"]
            value = round((ours["moves_per_s"] or 0) / offered, 3) if offered else 1
            ok = value >= limit
        elif name == "cpu":
            value = ours["cpu_ms_per_move"]["server_total"]
            ok = value < limit
        elif name == "commits":
            value = ours["commits_per_move"]
            ok = value is not None and value <= limit
        else:
            value = ours["error_count"]
            ok = value <= limit
        if not ok:
            relation = {"lost": "<=", "errors": "<=", "commits": "<=", "served": ">="}.get(name, "<")
            misses.append(f"{name} {value} (target {relation} {limit})")
    return misses


def run_part(part: str, argv: list[str]) -> int:
    args = parse(part, argv)
    previous = signal.getsignal(signal.SIGTERM)
    signal.signal(signal.SIGTERM, lambda *_: sys.exit(143))  # so `finally` stops what we started
    try:
        return _run_part(part, args)
    except Exception as exc:  # reported, so that `make bench` goes on with the other parts
        print(f"{part}: FAILED to run: {exc!r} (it needs PostgreSQL and Redis)", flush=True)
        return 2
    finally:
        signal.signal(signal.SIGTERM, previous)


def _run_part(part: str, args: argparse.Namespace) -> int:
    info = machine()
    print(f"{part}: {args.students} students ({args.students // 3} groups), {args.rounds} rounds, think "
          f"{args.think}, rate cap {args.rate or 'none'}/s, {args.servers} server(s), {args.workers} "
          f"worker(s); {info['cpus']} CPUs, {info['memory_gib']} GiB, Python {info['python']}; "
          f"{load_text()}", flush=True)  # fmt: skip
    results: dict[str, Any] = {
        "part": part,
        "machine": info,
        "options": {k: v for k, v in vars(args).items() if k not in ("profile", "out")},
    }
    status = 0
    if not args.floor_only:
        ours = run_ours(args)
        results["ours"] = ours
        print("  " + line("ours", ours), flush=True)
        print(f"  moves applied {ours['moves_applied']}, unanswered {ours['moves_unanswered']}, duplicate "
              f"move ids {ours['duplicate_move_ids']}, other events {ours['other_events']}; rounds finished "
              f"{ours['rounds_finished']}; class {ours['class_status']} at round {ours['class_round']}; "
              f"groups spread over servers {ours['groups_spread']}; memory {ours['memory_kib']}; load "
              f"during {ours['load_during']}", flush=True)  # fmt: skip
        print(f"  CPU ms per move (user+system, whole process groups; postgres and redis: the machine's "
              f"servers): {ours['cpu_ms_per_move']}", flush=True)  # fmt: skip
        print(f"  PostgreSQL commits {ours['commits']} ({ours['commits_per_move']} per move); move batches "
              f"{ours['batches']['batches']} of {ours['mean_batch']} moves on average; {load_text()}",
              flush=True)  # fmt: skip
        misses = verdict(part, ours)
        results["misses"] = misses
        if misses:
            print("  MISSED: " + "; ".join(misses), flush=True)
            status = 1
    if not args.no_floor:
        size = (results.get("ours") or {}).get("mean_state_bytes") or args.frame_bytes
        floor = run_floor(args, size)
        results["floor"] = floor
        print("  " + line("floor", floor), flush=True)
        print(f"  floor CPU ms per move: {floor['cpu_ms_per_move']}", flush=True)
        if "ours" in results:
            ratio = {k: (round(results["ours"]["latency"][k] / floor["latency"][k], 1)
                         if results["ours"]["latency"][k] and floor["latency"][k] else None)
                     for k in ("p50_ms", "p95_ms", "p99_ms")}  # fmt: skip
            results["ratio_to_floor"] = ratio
            print(f"  ratio to floor: p50 {ratio['p50_ms']}x, p95 {ratio['p95_ms']}x, p99 {ratio['p99_ms']}x",
                  flush=True)  # fmt: skip
    if args.pipeline_floor:
        size = (results.get("ours") or {}).get("mean_state_bytes") or args.frame_bytes
        pipeline = run_pipeline_floor(args, size)
        results["pipeline_floor"] = pipeline
        print("  " + line("pipeline floor", pipeline), flush=True)
        print(f"  pipeline floor: moves applied {pipeline['moves_applied']}, duplicate move ids "
              f"{pipeline['duplicate_move_ids']}; CPU ms per move: {pipeline['cpu_ms_per_move']}",
              flush=True)  # fmt: skip
    results["load_end"] = [round(x, 2) for x in os.getloadavg()]
    label = next(name for name in ("ours", "floor", "pipeline_floor") if name in results)
    summary = f"{part}: " + line(label.replace("_", " "), results[label])
    if "ratio_to_floor" in results:
        summary += f"; p99 {results['ratio_to_floor']['p99_ms']}x the floor"
    summary += f"; {load_text()}"
    results["summary"] = summary
    out = Path(args.out) if args.out else RESULTS / f"{part}.json"
    out.parent.mkdir(parents=True, exist_ok=True)
    out.write_text(json.dumps(results, indent=2) + "\n")
    print(summary, flush=True)
    return status


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
