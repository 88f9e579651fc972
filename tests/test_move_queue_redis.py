"""`games.play.move_queue.RedisStreamQueue` on a real Redis: one task per shard, a move arriving while the
task lets go is never stranded, moves taken and not acknowledged are taken again (first, in order) by the
next owner once the lease lapses, the rescue finds shards whose task was lost, and a full shard refuses."""

from __future__ import annotations

import asyncio
import threading
import time
import uuid
from collections.abc import Iterator
from typing import Any
from unittest import mock

import pytest
import redis

from games.play import move_queue, tasks
from games.play.move_queue import QueueFullError, RedisStreamQueue

pytestmark = pytest.mark.integration("redis")


@pytest.fixture
def queue(settings: Any) -> Iterator[RedisStreamQueue]:
    settings.MOVE_SHARDS = 1
    settings.MOVE_LEASE_SECONDS = 0.3
    prefix = f"test-moves-{uuid.uuid4().hex[:8]}"
    yield RedisStreamQueue(settings.REDIS_URL, prefix=prefix)
    client = redis.Redis.from_url(settings.REDIS_URL)
    keys = list(client.scan_iter(f"{prefix}*"))
    if keys:
        client.delete(*keys)
    client.close()


async def test_one_task_per_shard_and_a_move_arriving_at_the_end_is_taken(queue: RedisStreamQueue) -> None:
    started = await queue.append("p1", "alliance", "m1", 7)
    assert started is not None
    shard, owner = started
    assert await queue.append("p2", "alliance", "m2", 8) is None
    assert queue.claim(shard, owner) and not queue.claim(shard, "someone-else")
    taken = queue.take(shard, 10)
    assert [(m.participant_id, m.action, m.move_id, m.seq) for m in taken] == [
        ("p1", "alliance", "m1", 7),
        ("p2", "alliance", "m2", 8),
    ]
    assert await queue.append("p3", "alliance", "m3", 9) is None  # the task still holds the shard
    assert queue.finish(shard, owner, taken) is False  # not empty: take again, lease renewed
    again = queue.take(shard, 10)
    assert [m.move_id for m in again] == ["m3"]
    assert queue.finish(shard, owner, again) is True  # empty: let go in the same step
    assert await queue.append("p4", "alliance", "m4", 1) is not None  # so the next move starts a task
    assert queue.stats() == {"batches": 2, "moves": 3}


async def test_the_cap_limits_new_moves_per_take(queue: RedisStreamQueue) -> None:
    started = [await queue.append(f"p{i}", "a", f"m{i}", i) for i in range(5)]
    _, owner = started[0] or (0, "")
    assert queue.claim(0, owner)
    first = queue.take(0, 2)
    assert [m.move_id for m in first] == ["m0", "m1"]
    assert queue.finish(0, owner, first) is False
    assert [m.move_id for m in queue.take(0, 2)] == ["m2", "m3"]


async def test_moves_a_dead_task_took_come_back_first_and_in_order(queue: RedisStreamQueue) -> None:
    shard, owner = await queue.append("p1", "a", "m1", 1) or (0, "")
    await queue.append("p2", "a", "m2", 1)
    assert queue.claim(shard, owner)
    assert [m.move_id for m in queue.take(shard, 10)] == ["m1", "m2"]  # ... and the worker dies here
    await queue.append("p3", "a", "m3", 1)
    assert queue.rescue() == []  # its lease still runs
    time.sleep(0.4)
    ((rescued, successor),) = queue.rescue()
    assert rescued == shard and queue.claim(shard, successor)
    taken = queue.take(shard, 10)
    assert [m.move_id for m in taken] == ["m1", "m2", "m3"]
    assert queue.finish(shard, successor, taken) is True
    assert queue.take(shard, 10) == []


async def test_a_task_whose_lease_was_taken_over_stops(queue: RedisStreamQueue) -> None:
    shard, owner = await queue.append("p1", "a", "m1", 1) or (0, "")
    assert queue.claim(shard, owner)
    taken = queue.take(shard, 10)
    time.sleep(0.4)  # the lease lapses (a very slow batch) and the rescue starts a successor
    ((_, successor),) = queue.rescue()
    await queue.append("p2", "a", "m2", 1)
    assert queue.finish(shard, owner, taken) is True  # the shard is the successor's now
    assert not queue.claim(shard, owner) and queue.claim(shard, successor)


async def test_a_handed_over_shard_goes_on_under_its_successor(queue: RedisStreamQueue) -> None:
    shard, owner = await queue.append("p1", "a", "m1", 1) or (0, "")
    assert queue.claim(shard, owner)
    assert queue.hand_over(shard, owner, "next") and not queue.hand_over(shard, owner, "again")
    assert not queue.claim(shard, owner) and queue.claim(shard, "next")


async def test_a_full_shard_refuses_the_move(queue: RedisStreamQueue, settings: Any) -> None:
    settings.MOVE_QUEUE_LIMIT = 2
    await queue.append("p1", "a", "m1", 1)
    await queue.append("p2", "a", "m2", 1)
    with pytest.raises(QueueFullError):
        await queue.append("p3", "a", "m3", 1)


async def test_taking_after_redis_lost_the_group_recreates_it(queue: RedisStreamQueue) -> None:
    await queue.append("p1", "a", "m1", 1)
    client = redis.Redis.from_url(queue.url)
    client.xgroup_destroy(queue.stream_key(0), "resolvers")
    client.close()
    assert [m.move_id for m in queue.take(0, 10)] == ["m1"]


async def test_a_lingering_task_keeps_its_empty_shard_and_is_woken_by_the_next_move(
    queue: RedisStreamQueue,
) -> None:
    shard, owner = await queue.append("p1", "a", "m1", 1) or (0, "")
    assert queue.claim(shard, owner)
    taken = queue.take(shard, 10)
    assert queue.finish_or_linger(shard, owner, taken) == "idle"  # empty, and still held
    assert await queue.append("p2", "a", "m2", 2) is None  # so no new task: the lingering one takes it
    started = time.monotonic()
    woken = queue.wait(shard, 10, 1000)
    assert [m.move_id for m in woken] == ["m2"] and time.monotonic() - started < 0.5
    assert queue.finish_or_linger(shard, owner, woken) == "idle"
    assert queue.wait(shard, 10, 50) == []  # nothing came: the task lets go...
    assert queue.finish(shard, owner, []) is True
    assert await queue.append("p3", "a", "m3", 3) is not None  # ...and the next move starts a task
    assert queue.stats() == {"batches": 2, "moves": 2}


async def test_a_move_taken_by_a_wait_comes_back_if_the_task_dies(queue: RedisStreamQueue) -> None:
    shard, owner = await queue.append("p1", "a", "m1", 1) or (0, "")
    assert queue.claim(shard, owner)
    assert queue.finish_or_linger(shard, owner, queue.take(shard, 10)) == "idle"
    await queue.append("p2", "a", "m2", 2)
    assert [m.move_id for m in queue.wait(shard, 10, 1000)] == ["m2"]  # ... and the worker dies here
    time.sleep(0.4)  # its lease lapses
    ((rescued, successor),) = queue.rescue()
    assert rescued == shard and queue.claim(shard, successor)
    assert [m.move_id for m in queue.take(shard, 10)] == ["m2"]


async def test_a_lingering_task_whose_shard_was_taken_over_stops(queue: RedisStreamQueue) -> None:
    shard, owner = await queue.append("p1", "a", "m1", 1) or (0, "")
    assert queue.claim(shard, owner)
    taken = queue.take(shard, 10)
    time.sleep(0.4)  # its lease lapses, and the next move starts a new task
    _, successor = await queue.append("p2", "a", "m2", 2) or (0, "")
    assert queue.finish_or_linger(shard, owner, taken) == "stop"
    assert queue.claim(shard, successor)


def test_the_resolve_task_lingers_for_the_next_move_then_lets_go(
    queue: RedisStreamQueue, settings: Any
) -> None:
    """`tasks.resolve_moves` on this queue (run here, as a worker would): a move appended while it
    lingers is taken by it, with no new task; then it lets go, and the next move starts one."""
    settings.MOVE_LINGER_MS = 150
    # Not a participant's id: the task drops such a move unanswered, so this needs no class.
    started = asyncio.run(queue.append("not-a-participant", "a", "m1", 1))
    assert started is not None
    shard, owner = started
    appended_later: list[Any] = []

    def append_later() -> None:
        time.sleep(0.05)  # the task has resolved m1 and waits
        appended_later.append(asyncio.run(queue.append("not-a-participant", "a", "m2", 2)))

    helper = threading.Thread(target=append_later)
    with (
        mock.patch.object(move_queue, "get_queue", return_value=queue),
        mock.patch.object(move_queue, "embedded", return_value=False),  # as in a worker of the stack
    ):
        helper.start()
        began = time.monotonic()
        assert tasks.resolve_moves.apply((shard,), task_id=owner).get() == 2
        took = time.monotonic() - began
        helper.join()
    assert appended_later == [None]  # the lingering task held the shard: no second task
    assert queue.stats() == {"batches": 2, "moves": 2}
    assert 0.15 <= took < 2.0  # it waited one linger after m2, then let go...
    assert asyncio.run(queue.append("not-a-participant", "a", "m3", 3)) is not None  # ...so m3 starts one
