"""`manage.py play_bots --code CODE --students N`: N headless students that join over the PUBLIC protocol
(`games.play.client`: `POST /api/join`, then `/ws/play/`) and play until the class ends (DESIGN.md, Commands).

They are ordinary students to the server: nothing here touches the database, so the command works against
any server it can reach (`--url`), and what it measures is what a browser would see. A join the server
answers busy (429, 503) or cannot take (no connection) is retried with backoff for `--join-retry` seconds,
then the command gives up and says why.
"""

from __future__ import annotations

import asyncio
import logging
import time
from collections import Counter
from dataclasses import dataclass, field
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from games.play.client import (
    RETRY_JOIN_STATUSES,
    ClientError,
    ClientHooks,
    JoinError,
    PlayerClient,
    RandomStrategy,
    View,
)
from games.vocabulary import join_code

logger = logging.getLogger(__name__)


@dataclass
class Tally(ClientHooks):
    """Outcomes seen by the bots, one per (round, group), and move latencies."""

    outcomes: dict[tuple[int, int], str] = field(default_factory=dict)
    latencies: list[float] = field(default_factory=list)

    def on_state(self, client: PlayerClient, seq: int, view: View, at: float) -> None:
        rnd = view.get("round") or {}
        outcome = rnd.get("outcome")
        if outcome and rnd.get("number") is not None:
            self.outcomes[(rnd["number"], view["you"].get("group") or 0)] = outcome.get("label") or "?"

    def on_move_done(self, client: PlayerClient, move: Any) -> None:
        if move.error is None and move.latency is not None:
            self.latencies.append(move.latency)


class JoinGaveUpError(ClientError):
    """A bot could not join: refused for good, or the server stayed busy or out of reach too long."""


async def join_or_give_up(client: PlayerClient, retry_for: float) -> None:
    """Join, retrying (with backoff) while the server answers busy (429, 503) or cannot be reached, for at
    most `retry_for` seconds; then a `JoinGaveUpError` that says why in words."""
    try:
        await client.join(retry_for=retry_for)
    except JoinError as exc:
        if exc.status in RETRY_JOIN_STATUSES:
            raise JoinGaveUpError(
                f"could not join: the server was still busy after {retry_for:g}s of retries "
                f"({exc.status} {exc.code}: {exc.message})"
            ) from exc
        raise JoinGaveUpError(f"could not join: {exc.message} ({exc.status} {exc.code})") from exc
    except (OSError, TimeoutError) as exc:
        reason = exc.strerror if isinstance(exc, OSError) and exc.strerror else type(exc).__name__
        raise JoinGaveUpError(
            f"could not reach {client.base_url} for {retry_for:g}s ({reason}): is the server running there?"
        ) from exc


async def play_bots(
    url: str,
    code: str,
    students: int,
    *,
    think: float,
    seed: Any,
    timeout: float,
    prefix: str,
    join_retry: float = 60.0,
) -> tuple[list[PlayerClient], list[BaseException | None], Tally]:
    tally = Tally()
    clients = [
        PlayerClient(url, code, f"{prefix} {i + 1}", hooks=tally, seed=f"{seed}:{i}", reconnect_for=timeout)
        for i in range(students)
    ]

    async def run(client: PlayerClient, number: int) -> None:
        await join_or_give_up(client, join_retry)
        await client.connect()
        await client.play(RandomStrategy(think=think, seed=f"{seed}:strategy:{number}"), timeout=timeout)

    try:
        results = await asyncio.gather(*(run(c, i) for i, c in enumerate(clients)), return_exceptions=True)
    finally:
        await asyncio.gather(*(c.close() for c in clients), return_exceptions=True)
    return clients, [r if isinstance(r, BaseException) else None for r in results], tally


class Command(BaseCommand):
    help = "Join N bot students to a class over the public protocol and play until the class ends."
    requires_system_checks: list[str] = []  # a pure client: no database, no models

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--code", required=True, help="the class's join code")
        parser.add_argument("--students", type=int, required=True, help="how many bot students join")
        parser.add_argument("--url", default="http://127.0.0.1:8000", help="the server (default %(default)s)")
        parser.add_argument("--think", type=float, default=1.0, help="seconds each bot thinks before acting")
        parser.add_argument("--seed", default="0", help="seed of the bots' choices (default 0)")
        parser.add_argument(
            "--timeout", type=float, default=3600.0, help="give up after this many seconds (default one hour)"
        )
        parser.add_argument("--name", default="Bot student", help="name prefix (default %(default)r)")
        parser.add_argument(
            "--join-retry",
            type=float,
            default=60.0,
            help="seconds each bot keeps retrying a join the server answers busy or cannot take (default 60)",
        )

    def handle(self, *args: Any, **options: Any) -> None:
        students = options["students"]
        if not 1 <= students <= 5000:
            raise CommandError("--students must be between 1 and 5000.")
        if options["think"] < 0 or options["timeout"] <= 0 or options["join_retry"] < 0:
            raise CommandError("--think and --join-retry must be >= 0 and --timeout > 0.")
        code = join_code.normalise(options["code"])
        started = time.monotonic()
        clients, failures, tally = asyncio.run(
            play_bots(
                options["url"],
                code,
                students,
                think=options["think"],
                seed=options["seed"],
                timeout=options["timeout"],
                prefix=options["name"],
                join_retry=options["join_retry"],
            )
        )
        elapsed = time.monotonic() - started
        self.stdout.write(self.summary(code, clients, tally, elapsed))
        failed = [(c.name, f) for c, f in zip(clients, failures, strict=True) if f is not None]
        if failed:
            reasons = Counter(describe(f) for _, f in failed)
            detail = "; ".join(f"{n} x {reason}" for reason, n in reasons.most_common(5))
            raise CommandError(f"{len(failed)} of {students} bot(s) did not play to the end: {detail}")

    @staticmethod
    def summary(code: str, clients: list[PlayerClient], tally: Tally, elapsed: float) -> str:
        views = [c.view for c in clients if c.view]
        status = Counter(v["class"]["status"] for v in views).most_common(1)[0][0] if views else "unknown"
        rounds = max((v["class"].get("round") or 0 for v in views), default=0)
        moves = sum(c.stats.moves for c in clients)
        reconnects = sum(c.stats.reconnects for c in clients)
        errors = Counter(code for c in clients for code, n in c.stats.error_codes.items() for _ in range(n))
        lines = [
            f"{len(clients)} bot student(s) in class {code}: {moves} move(s) over {rounds} round(s) in "
            f"{elapsed:.1f}s; class {status}; {reconnects} reconnection(s); "
            f"errors: {dict(errors) if errors else 'none'}."
        ]
        if tally.latencies:
            ordered = sorted(tally.latencies)
            median = ordered[len(ordered) // 2]
            lines.append(f"Move to update: median {median * 1000:.1f} ms, max {ordered[-1] * 1000:.1f} ms.")
        if tally.outcomes:
            counts = Counter(tally.outcomes.values())
            lines.append("Outcomes: " + ", ".join(f"{label} x{n}" for label, n in counts.most_common()) + ".")
        return "\n".join(lines)


def describe(failure: BaseException) -> str:
    if isinstance(failure, JoinGaveUpError):
        return str(failure)
    if isinstance(failure, ClientError | TimeoutError):
        return str(failure).split(": ", 1)[-1] or type(failure).__name__
    return repr(failure)
