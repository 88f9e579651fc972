"""What handing a move to the workers costs the consumer (docs/performance.md, "Moves in batches"):

* `celery publish`: `resolve_move.delay(...)`, one Celery task per move (the `MOVE_QUEUE=task` path);
* `queue append`: `RedisStreamQueue.append`, one Lua call from the event loop, when a task already holds
  the shard (every move but the first of a burst);
* `queue append + task`: the same when the shard is idle, so the consumer also publishes `resolve_moves`
  (from the executor thread, as the consumer does).

CPU (user + system of this process) and wall time per call, `--count` calls each, one after the other, on
a Redis database claimed for the run (tests/e2e/stack.py) and emptied afterwards. Needs Redis only.
`python bench/run_all.py enqueue [--count N]`; results in bench/results/enqueue.json.
"""

from __future__ import annotations

import argparse
import asyncio
import json
import os
import sys
import tempfile
import time
import uuid
from collections.abc import Callable
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))
RESULTS = ROOT / "bench" / "results"


def measure(label: str, count: int, call: Callable[[int], Any]) -> dict[str, Any]:
    cpu, wall = time.process_time(), time.perf_counter()
    for i in range(count):
        call(i)
    cpu, wall = time.process_time() - cpu, time.perf_counter() - wall
    out = {"what": label, "calls": count, "cpu_ms": round(1000 * cpu / count, 4),
           "wall_ms": round(1000 * wall / count, 4)}  # fmt: skip
    print(f"  {label}: {out['cpu_ms']:.3f} ms CPU, {out['wall_ms']:.3f} ms wall per call", flush=True)
    return out


def run(count: int) -> list[dict[str, Any]]:
    import django

    django.setup()
    import redis

    from games.play import move_queue, tasks

    pid, loop = str(uuid.uuid4()), asyncio.new_event_loop()
    queue = move_queue.RedisStreamQueue(os.environ["REDIS_URL"], prefix=f"bench-moves-{uuid.uuid4().hex[:8]}")
    client = redis.Redis.from_url(os.environ["REDIS_URL"])

    def publish(i: int) -> None:
        tasks.resolve_move.delay(pid, "alliance", f"m{i}", i)

    def append(i: int) -> None:
        loop.run_until_complete(queue.append(pid, "alliance", f"a{i}", i))

    def append_and_start(i: int) -> None:
        client.delete(queue.lease_key(move_queue.shard_of(pid)))  # the shard is idle again
        started = loop.run_until_complete(queue.append(pid, "alliance", f"s{i}", i))
        if started is not None:
            tasks.resolve_moves.apply_async((started[0],), task_id=started[1])

    publish(-1), append(-1)  # connections made, scripts loaded
    try:
        return [
            measure("celery publish (one task per move)", count, publish),
            measure("queue append (a task holds the shard)", count, append),
            measure("queue append + task (the shard was idle)", count, append_and_start),
        ]
    finally:
        client.close()
        loop.close()


def main(argv: list[str]) -> int:
    parser = argparse.ArgumentParser(prog="bench enqueue", description=__doc__.split("\n\n")[0])
    parser.add_argument("--count", type=int, default=3000)
    args, _ = parser.parse_known_args(argv)
    from tests.e2e.stack import Stack

    base = os.environ.get("REDIS_URL") or "redis://127.0.0.1:6379/0"
    with tempfile.TemporaryDirectory(prefix="crisis-bench-enqueue-") as tmp:
        stack = Stack(Path(tmp), database_url="postgres://unused/", redis_url=base)
        stack._claim_redis_db()
        try:
            os.environ.update({"REDIS_URL": stack.redis_url, "DJANGO_SETTINGS_MODULE": "wargame.settings"})
            os.environ.setdefault("MOVE_QUEUE_LIMIT", str(10 * args.count))
            print(f"enqueue: {args.count} calls each; load average "
                  + " ".join(f"{x:.2f}" for x in os.getloadavg()), flush=True)  # fmt: skip
            figures = run(args.count)
        finally:
            stack._release_redis_db()
    out = {"figures": figures, "load": [round(x, 2) for x in os.getloadavg()]}
    RESULTS.mkdir(parents=True, exist_ok=True)
    (RESULTS / "enqueue.json").write_text(json.dumps(out, indent=2) + "\n")
    return 0


if __name__ == "__main__":
    raise SystemExit(main(sys.argv[1:]))
