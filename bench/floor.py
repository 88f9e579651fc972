"""The floor: a bare `websockets` relay server with the shape of a class, to put our figures in proportion.

It knows nothing of Django, Channels, Celery, PostgreSQL or Redis. A client connects to
`ws://HOST:PORT/?group=G&slot=S` (slots 0, 1, 2 are Japan, the US and the Challenger); the server keeps, per
group of three, a round number, a round seq and whose turn it is, and answers every frame exactly as the
real server's protocol does in shape: on connect a `state`; on a `move` by the player to move (on the
current `seq`), the round seq grows by one and each of the three players gets its own `state` frame (one
`json.dumps` per player, as our consumers do), padded to `--frame-bytes` so that frames are as large as
the real views. A round is `--moves` decisions long (US, Challenger, Japan, US, ...); after a round's last
move the group waits `--result-seconds` and starts the next; after `--rounds` rounds the class is
`finished`. A move that is not the player's turn or not on the current seq gets an `error` (`not_your_turn`,
`stale`), as ours would. There is no barrier between groups (ours waits for every group before the next
round), which only makes the floor faster.

Run: `python bench/floor.py --port P [--rounds R] [--moves M] [--frame-bytes B]`; `bench/load.py` starts and
stops it for the "floor" half of each load run. It prints `ready` once listening and stops on SIGTERM.
"""

from __future__ import annotations

import argparse
import asyncio
import contextlib
import json
import signal
import sys
from typing import Any
from urllib.parse import parse_qs, urlsplit

from websockets.asyncio.server import ServerConnection, serve
from websockets.exceptions import ConnectionClosed

ROLES = ("japan", "us", "challenger")
ORDER = (1, 2, 0)  # who moves: the US, the Challenger, Japan, the US, ...
ACTIONS = {0: ["concede", "resist"], 1: ["alliance", "no_alliance"], 2: ["status_quo", "challenge"]}


class Group:
    def __init__(self, number: int, args: argparse.Namespace) -> None:
        self.number, self.args = number, args
        self.members: dict[int, ServerConnection] = {}
        self.round, self.seq, self.finished = 1, 0, False
        self.pad = ""
        self.pad = "x" * max(0, args.frame_bytes - len(self.frame(0)))

    def mover(self) -> int | None:
        if self.finished or self.seq >= self.args.moves:
            return None
        return ORDER[self.seq % 3]

    def frame(self, slot: int) -> str:
        mover = self.mover()
        round_view: dict[str, Any] = {
            "number": self.round,
            "seq": self.seq,
            "node": f"node{self.seq}",
            "to_move": ROLES[mover] if mover is not None else None,
            "actions": ACTIONS[slot] if mover == slot else [],
            "history": [{"role": ROLES[ORDER[i % 3]], "action": "x"} for i in range(self.seq)],
            "pad": self.pad,
        }
        if mover is None:
            round_view["outcome"] = {"terminal": "SQ"}
        view = {
            "class": {"status": "finished" if self.finished else "running", "round": self.round,
                      "rounds": self.args.rounds},
            "you": {"role": ROLES[slot], "group": self.number},
            "round": round_view,
        }  # fmt: skip
        seq = (self.round << 40) | self.seq
        return json.dumps({"type": "state", "seq": seq, "view": view}, separators=(",", ":"))

    async def push(self) -> None:
        for slot, ws in list(self.members.items()):
            with contextlib.suppress(ConnectionClosed):
                await ws.send(self.frame(slot))

    async def move(self, slot: int, message: dict[str, Any], ws: ServerConnection) -> None:
        if message.get("seq") != ((self.round << 40) | self.seq):
            await error(ws, "stale", message.get("move_id"))
            return
        if self.mover() != slot or message.get("action") not in ACTIONS[slot]:
            await error(ws, "not_your_turn", message.get("move_id"))
            return
        self.seq += 1
        await self.push()
        if self.mover() is None:
            asyncio.get_running_loop().call_later(
                self.args.result_seconds, lambda: asyncio.ensure_future(self.next_round())
            )

    async def next_round(self) -> None:
        if self.round >= self.args.rounds:
            self.finished = True
        else:
            self.round, self.seq = self.round + 1, 0
        await self.push()


async def error(ws: ServerConnection, code: str, ref: Any) -> None:
    frame = {"type": "error", "code": code, "message": code, "ref": ref}
    with contextlib.suppress(ConnectionClosed):
        await ws.send(json.dumps(frame, separators=(",", ":")))


async def seat_of(ws: ServerConnection) -> tuple[int, int] | None:
    """(group, slot) from the socket's `?group=G&slot=S`; a socket without them is closed (4400)."""
    query = parse_qs(urlsplit(ws.request.path).query)
    try:
        return int(query["group"][0]), int(query["slot"][0])
    except (KeyError, ValueError, IndexError):
        await ws.close(4400)
        return None


async def run(args: argparse.Namespace) -> None:
    groups: dict[int, Group] = {}

    async def handler(ws: ServerConnection) -> None:
        seat = await seat_of(ws)
        if seat is None:
            return
        number, slot = seat
        group = groups.setdefault(number, Group(number, args))
        group.members[slot] = ws
        with contextlib.suppress(ConnectionClosed):
            await ws.send(group.frame(slot))
            async for raw in ws:
                try:
                    message = json.loads(raw)
                except ValueError:
                    await error(ws, "bad_json", None)
                    continue
                if message.get("type") == "move":
                    await group.move(slot, message, ws)
                elif message.get("type") == "ping":
                    await ws.send('{"type":"pong"}')
                else:
                    await ws.send(group.frame(slot))
        if group.members.get(slot) is ws:
            del group.members[slot]

    stop = asyncio.get_running_loop().create_future()
    for sig in (signal.SIGTERM, signal.SIGINT):
        asyncio.get_running_loop().add_signal_handler(sig, lambda: stop.done() or stop.set_result(None))
    async with serve(handler, args.host, args.port, compression=None, ping_interval=None, max_size=65536):
        print("ready", flush=True)
        await stop


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="bench/floor.py", description=__doc__.split("\n\n")[0])
    parser.add_argument("--host", default="127.0.0.1")
    parser.add_argument("--port", type=int, required=True)
    parser.add_argument("--rounds", type=int, default=3)
    parser.add_argument("--moves", type=int, default=3, help="decisions per round")
    parser.add_argument("--frame-bytes", type=int, default=0, help="pad state frames to about this size")
    parser.add_argument("--result-seconds", type=float, default=1.0)
    parser.add_argument("--uvloop", action="store_true", help="run on uvloop, as uvicorn does")
    args = parser.parse_args(argv)
    runner: Any = asyncio.run
    if args.uvloop:
        with contextlib.suppress(ImportError):
            import uvloop

            runner = uvloop.run
    runner(run(args))
    return 0


if __name__ == "__main__":
    sys.exit(main())
