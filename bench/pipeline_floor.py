"""The pipeline floor: the hops DESIGN.md prescribes for a move, with nothing of ours in them.

`bench/floor.py` answers a move inside its websocket server. This relay answers it the way DESIGN.md's
layers do, with the bare minimum at each hop, to show what the architecture itself costs on this machine:

    socket -> server -> Celery task (Redis broker; acks_late, reject_on_worker_lost, prefetch 1, JSON,
    a prefork pool of CELERY_CONCURRENCY processes) -> one PostgreSQL transaction (lock the group's row,
    append the move to an event table with unique (group, round, seq) and unique move_id, update the row)
    -> one Redis pipeline of three PUBLISHes (one frame per player) -> the server's one subscription
    -> three sockets.

No Django, no Channels, no engine, no views: the frames are `floor.Group`'s, padded like ours. A round's
last move schedules the next round (a Celery task with a countdown of --result-seconds), as our class
does. The same checks as the floor: a move off its turn or on a stale seq gets an `error`.

Run (bench/load.py does all of it for the `stress` part): `python -m bench.pipeline_floor setup --groups
N` creates the tables in PIPELINE_DATABASE_URL; `celery -A bench.pipeline_floor worker --pool prefork`
runs the tasks; `python -m bench.pipeline_floor serve --port P` serves the sockets at
`ws://HOST:P/?group=G&slot=S` and prints `ready`. Configuration, for every process alike, in the
environment: PIPELINE_DATABASE_URL, PIPELINE_REDIS_URL, PIPELINE_CHANNEL, PIPELINE_ROUNDS,
PIPELINE_MOVES, PIPELINE_FRAME_BYTES, PIPELINE_RESULT_SECONDS, CELERY_CONCURRENCY.
"""

from __future__ import annotations

import argparse
import asyncio
import contextlib
import functools
import json
import os
import signal
import sys
import threading
from concurrent.futures import ThreadPoolExecutor
from typing import Any

from celery import Celery

from bench import floor

DATABASE_URL = os.environ.get("PIPELINE_DATABASE_URL", "postgres://postgres@127.0.0.1:5432/postgres")
REDIS_URL = os.environ.get("PIPELINE_REDIS_URL", "redis://127.0.0.1:6379/0")
CHANNEL = os.environ.get("PIPELINE_CHANNEL", "pipeline-floor")
SETTINGS = argparse.Namespace(
    rounds=int(os.environ.get("PIPELINE_ROUNDS", "3")),
    moves=int(os.environ.get("PIPELINE_MOVES", "3")),
    frame_bytes=int(os.environ.get("PIPELINE_FRAME_BYTES", "0")),
    result_seconds=float(os.environ.get("PIPELINE_RESULT_SECONDS", "1")),
)

# Our settings (wargame/settings.py, DESIGN.md "Layers"), so that the Celery hop costs what ours does.
app = Celery("pipeline_floor", broker=REDIS_URL)
app.conf.update(
    task_acks_late=True,
    task_reject_on_worker_lost=True,
    worker_prefetch_multiplier=1,
    worker_concurrency=int(os.environ.get("CELERY_CONCURRENCY", "4")),
    task_serializer="json",
    accept_content=["json"],
    task_ignore_result=True,
    broker_transport_options={"visibility_timeout": 30},
    broker_connection_retry_on_startup=True,
)

SCHEMA = """
CREATE TABLE IF NOT EXISTS pf_group (
    id integer PRIMARY KEY, round integer NOT NULL, seq integer NOT NULL, finished boolean NOT NULL
);
CREATE TABLE IF NOT EXISTS pf_event (
    id bigserial PRIMARY KEY, group_id integer NOT NULL REFERENCES pf_group, round integer NOT NULL,
    seq integer NOT NULL, move_id text NOT NULL UNIQUE, action text NOT NULL, UNIQUE (group_id, round, seq)
);
"""


# --------------------------------------------------------------------------------------------------
# Worker side: one transaction, one pipelined publish
# --------------------------------------------------------------------------------------------------
_LOCAL = threading.local()  # a connection and renderers per pool thread (`--pool threads`) or process


def database() -> Any:
    """This thread's PostgreSQL connection (kept between tasks, as our workers keep theirs)."""
    if getattr(_LOCAL, "database", None) is None:
        import psycopg

        _LOCAL.database = psycopg.connect(DATABASE_URL, autocommit=True)
    return _LOCAL.database


@functools.cache
def publisher() -> Any:
    import redis

    return redis.Redis.from_url(REDIS_URL)  # thread-safe: a connection pool


def group_of(number: int) -> floor.Group:
    """A renderer of the group's frames; its round and seq are set from the row before each use."""
    groups = _LOCAL.__dict__.setdefault("groups", {})
    if number not in groups:
        groups[number] = floor.Group(number, SETTINGS)
    return groups[number]


def push(group: floor.Group) -> None:
    pipe = publisher().pipeline(transaction=False)
    for slot in range(3):
        pipe.publish(CHANNEL, f"{group.number} {slot} {group.frame(slot)}")
    pipe.execute()


def refuse(number: int, slot: int, code: str, move_id: Any) -> None:
    frame = json.dumps({"type": "error", "code": code, "message": code, "ref": move_id})
    publisher().publish(CHANNEL, f"{number} {slot} {frame}")


def lock(group: floor.Group) -> None:
    """Lock the group's row (in the caller's transaction) and load its round and seq into `group`."""
    sql = "SELECT round, seq, finished FROM pf_group WHERE id = %s FOR UPDATE"
    group.round, group.seq, group.finished = database().execute(sql, (group.number,)).fetchone()


@app.task(name="pipeline_floor.move")
def move(number: int, slot: int, seq: int, move_id: str, action: str) -> None:
    group = group_of(number)
    with database().transaction():
        lock(group)
        if seq != (group.round << 40) | group.seq:
            problem = "stale"
        elif group.mover() != slot or action not in floor.ACTIONS[slot]:
            problem = "not_your_turn"
        else:
            inserted = (
                database()
                .execute(
                    "INSERT INTO pf_event (group_id, round, seq, move_id, action) VALUES (%s, %s, %s, %s, %s)"
                    " ON CONFLICT DO NOTHING RETURNING id",
                    (number, group.round, group.seq + 1, move_id, action),
                )
                .fetchone()
            )
            problem = None if inserted else "stale"  # a repeated move id
        if problem is None:
            database().execute("UPDATE pf_group SET seq = seq + 1 WHERE id = %s", (number,))
            group.seq += 1
    if problem is not None:
        refuse(number, slot, problem, move_id)
        return
    push(group)
    if group.mover() is None:
        next_round.apply_async((number, group.round), countdown=SETTINGS.result_seconds)


@app.task(name="pipeline_floor.next_round")
def next_round(number: int, finished_round: int) -> None:
    group = group_of(number)
    with database().transaction():
        lock(group)
        if group.round != finished_round or group.finished:  # a repeated task: already done
            return
        if group.round >= SETTINGS.rounds:
            group.finished = True
        else:
            group.round, group.seq = group.round + 1, 0
        database().execute(
            "UPDATE pf_group SET round = %s, seq = %s, finished = %s WHERE id = %s",
            (group.round, group.seq, group.finished, number),
        )
    push(group)


def setup(groups: int) -> None:
    with database().transaction():
        database().execute(SCHEMA)
        database().execute("TRUNCATE pf_event, pf_group")
        database().execute(
            "INSERT INTO pf_group SELECT g, 1, 0, false FROM generate_series(1, %s) AS g", (groups,)
        )


def applied() -> dict[str, int]:
    """What the database holds after a run: moves applied and distinct move ids."""
    row = database().execute("SELECT count(*), count(DISTINCT move_id) FROM pf_event").fetchone()
    return {"moves_applied": row[0], "distinct_move_ids": row[1]}


# --------------------------------------------------------------------------------------------------
# Server side: sockets in, tasks out; one subscription in, frames out
# --------------------------------------------------------------------------------------------------
async def serve(args: argparse.Namespace) -> None:
    from websockets.asyncio.server import ServerConnection
    from websockets.asyncio.server import serve as ws_serve
    from websockets.exceptions import ConnectionClosed

    sockets: dict[tuple[int, int], ServerConnection] = {}
    enqueue = ThreadPoolExecutor(max_workers=4, thread_name_prefix="enqueue-move")  # as our consumers
    loop = asyncio.get_running_loop()

    async def relay() -> None:
        import redis.asyncio as aioredis

        client = aioredis.Redis.from_url(REDIS_URL)
        async with client.pubsub() as pubsub:
            await pubsub.subscribe(CHANNEL)
            async for message in pubsub.listen():
                if message["type"] != "message":
                    continue
                number, slot, frame = message["data"].decode().split(" ", 2)
                ws = sockets.get((int(number), int(slot)))
                if ws is not None:
                    with contextlib.suppress(ConnectionClosed):
                        await ws.send(frame)

    async def handler(ws: ServerConnection) -> None:
        seat = await floor.seat_of(ws)
        if seat is None:
            return
        number, slot = seat
        sockets[(number, slot)] = ws
        with contextlib.suppress(ConnectionClosed):
            await ws.send(floor.Group(number, SETTINGS).frame(slot))  # every group starts at round 1, seq 0
            async for raw in ws:
                try:
                    message = json.loads(raw)
                except ValueError:
                    await floor.error(ws, "bad_json", None)
                    continue
                if message.get("type") == "move":
                    move_id, action = str(message.get("move_id")), str(message.get("action"))
                    call = functools.partial(move.delay, number, slot, message.get("seq"), move_id, action)
                    await loop.run_in_executor(enqueue, call)
                elif message.get("type") == "ping":
                    await ws.send('{"type":"pong"}')
        if sockets.get((number, slot)) is ws:
            del sockets[(number, slot)]

    stop = loop.create_future()
    for sig in (signal.SIGTERM, signal.SIGINT):
        loop.add_signal_handler(sig, lambda: stop.done() or stop.set_result(None))
    relaying = asyncio.create_task(relay())
    async with ws_serve(handler, args.host, args.port, compression=None, ping_interval=None, max_size=65536):
        print("ready", flush=True)
        await stop
    relaying.cancel()


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="bench/pipeline_floor.py", description=__doc__.split("\n\n")[0])
    commands = parser.add_subparsers(dest="command", required=True)
    setup_cmd = commands.add_parser("setup", help="create the tables and one row per group")
    setup_cmd.add_argument("--groups", type=int, required=True)
    commands.add_parser("applied", help="print what the database holds (JSON)")
    serve_cmd = commands.add_parser("serve", help="serve the sockets")
    serve_cmd.add_argument("--host", default="127.0.0.1")
    serve_cmd.add_argument("--port", type=int, required=True)
    args = parser.parse_args(argv)
    if args.command == "setup":
        setup(args.groups)
    elif args.command == "applied":
        print(json.dumps(applied()))
    else:
        import uvloop

        uvloop.run(serve(args))
    return 0


if __name__ == "__main__":
    sys.exit(main())
