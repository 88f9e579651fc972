"""The other way of forming batches that docs/performance.md measures ("Moves in batches"): the
`celery-batches` task class. The consumer publishes one Celery message per move (`MOVE_QUEUE=task`,
`MOVE_TASK=bench.resolve_moves_batches`); the worker's main process buffers the messages of this task and
hands them to a pool process as one list every `BATCHES_FLUSH_EVERY` messages or `BATCHES_FLUSH_INTERVAL`
seconds, which resolves them with the same `tasks.resolve_batch` as the move queue's tasks (one
transaction, one pipeline of pushes) and then acknowledges them (acks_late).

Not a project dependency: celery-batches 0.11 declares `celery<5.7` (it ran here with 5.7.0 all the same)
and was not kept. To measure it, install it outside the project's environment and load this module into
the workers, e.g.:

    pip install --no-deps --target /tmp/cbatches celery-batches==0.11
    bench/run_all.py stress --no-floor --no-pipeline-floor --env MOVE_QUEUE=task \
        --env MOVE_TASK=bench.resolve_moves_batches --env PYTHONPATH=$PWD:/tmp/cbatches \
        --worker-args '--include bench.batches_eval --prefetch-multiplier 64'

(A worker buffers at most prefetch-multiplier x concurrency messages, so the multiplier bounds a batch.)
"""

from __future__ import annotations

import os
from typing import Any

from celery import shared_task
from celery_batches import Batches

FLUSH_EVERY = int(os.environ.get("BATCHES_FLUSH_EVERY", "100"))
FLUSH_INTERVAL = float(os.environ.get("BATCHES_FLUSH_INTERVAL", "0.005"))


@shared_task(
    base=Batches,
    name="bench.resolve_moves_batches",
    flush_every=FLUSH_EVERY,
    flush_interval=FLUSH_INTERVAL,
    ignore_result=True,
)
def resolve_moves_batches(requests: list[Any]) -> None:
    """One buffered batch of `resolve_move` calls (participant, action, move_id, seq), resolved as one."""
    from games.play import tasks
    from games.play.move_queue import QueuedMove

    moves = [QueuedMove(str(index), *request.args) for index, request in enumerate(requests)]
    tasks.resolve_batch(moves)
