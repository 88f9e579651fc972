"""Websocket consumers: parse and validate a frame, call one service or task, send (DESIGN.md, STYLE.md).

`ProtocolConsumer` is what every socket shares (capped, rate-limited frames; JSON out); `PlayConsumer`
speaks the player protocol at `/ws/play/`. Close codes and limits: docs/live-play.md, "Protocol boundary".
"""

from __future__ import annotations

import asyncio
import functools
import logging
from concurrent.futures import ThreadPoolExecutor
from typing import Any

from channels.consumer import get_handler_name
from channels.db import database_sync_to_async
from channels.generic.websocket import AsyncWebsocketConsumer
from django.conf import settings
from django.db import Error as DatabaseError

from games.models import Participant
from games.play import identity, move_queue, participant_view, presence, protocol, tasks
from games.play.protocol import CLOSE_FLOOD, CLOSE_NOT_JOINED, CLOSE_TRY_LATER
from games.realtime.groups import participant_group
from games.realtime.layer_watch import WATCH
from games.vocabulary import errors

logger = logging.getLogger(__name__)


async def enqueue_move(participant_id: str, action: str, move_id: str, seq: int) -> None:
    """Hand the move to the workers: append it to its shard of the move queue (games.play.move_queue)
    and, when no task is pending for that shard, start one. Raises when the move could not be queued
    (Redis down, the shard's backlog full); the caller answers `unavailable`."""
    if move_queue.mode() == "task" and not move_queue.embedded():
        await _publish_task(participant_id, action, move_id, seq)
        return
    started = await move_queue.get_queue().append(participant_id, action, move_id, seq)
    if started is None:  # a task is pending or running for this shard: it will take the move
        return
    shard, owner = started
    start = functools.partial(tasks.resolve_moves.apply_async, (shard,), task_id=owner)
    if move_queue.embedded():  # the task runs here and now, and uses the database
        await database_sync_to_async(start)()
        return
    try:
        # A plain executor, not `sync_to_async`: publishing needs none of asgiref's context handling,
        # which cost almost as much CPU as the publish itself (docs/performance.md).
        await asyncio.get_running_loop().run_in_executor(_publisher(), start)
    except Exception:  # the move is queued; the sweep starts the shard once the lease lapses
        logger.warning("could not start a task for shard %s (move %s queued)", shard, move_id, exc_info=True)


async def _publish_task(participant_id: str, action: str, move_id: str, seq: int) -> None:
    """`MOVE_QUEUE=task`: one Celery task per move (`MOVE_TASK`, default `games.tasks.resolve_move`), as
    before batching; kept to measure against (docs/performance.md)."""
    name = move_queue.setting("MOVE_TASK", "")
    args = (participant_id, action, move_id, seq)
    if name:
        publish = functools.partial(tasks.resolve_move.app.send_task, name, args)
    else:
        publish = functools.partial(tasks.resolve_move.delay, *args)
    await asyncio.get_running_loop().run_in_executor(_publisher(), publish)


_PUBLISHER: ThreadPoolExecutor | None = None


def _publisher() -> ThreadPoolExecutor:
    """Threads that publish tasks to the broker (a few: a publish waits on one Redis round trip)."""
    global _PUBLISHER
    if _PUBLISHER is None:
        _PUBLISHER = ThreadPoolExecutor(max_workers=4, thread_name_prefix="enqueue-move")
    return _PUBLISHER


class ProtocolConsumer(AsyncWebsocketConsumer):
    """What both consumers share: frames in (capped, rate-limited, parsed), JSON frames out."""

    client_types: tuple[str, ...] = protocol.CLIENT_TYPES
    closed = False

    async def websocket_connect(self, message: dict[str, Any]) -> None:
        rate, burst = protocol.parse_rate(settings.WS_RATE_LIMIT)
        self.limit = protocol.RateLimit(rate, burst, flood=settings.WS_FLOOD_CLOSE)
        await super().websocket_connect(message)

    async def dispatch(self, message: dict[str, Any]) -> None:
        """Channels' own dispatch first runs `close_old_connections` on the consumers' one database thread
        for EVERY message, frames in and updates out alike: a thread hop that queued each update behind
        the database work of other sockets, and a large share of the ASGI process's CPU under load
        (docs/performance.md). These consumers reach the database only through `database_sync_to_async`,
        which closes old connections itself around each call, so the hop is left out."""
        handler = getattr(self, get_handler_name(message), None)
        if handler is None:
            raise ValueError(f"No handler for message type {message['type']}")
        await handler(message)

    async def receive(self, text_data: str | None = None, bytes_data: bytes | None = None) -> None:
        if self.closed:  # frames already on their way when we closed
            return
        frame, problem = None, None
        try:
            frame = protocol.parse(
                text_data, bytes_data, max_bytes=settings.WS_MAX_FRAME_BYTES, types=self.client_types
            )
        except protocol.BadFrame as exc:
            problem = exc
        if not self.limit.allow():
            ref = frame.move_id if frame and frame.move_id else getattr(problem, "ref", None)
            await self.send_error("rate_limited", ref=ref)
            if self.limit.flooding:
                await self.close(CLOSE_FLOOD)
            return
        if problem is not None:
            await self.send_error(problem.code, problem.message, problem.ref)
            return
        assert frame is not None
        await getattr(self, f"on_{frame.type}")(frame)

    async def on_ping(self, frame: protocol.Frame) -> None:
        await self.send_frame({"type": "pong"})

    async def send_frame(self, content: dict[str, Any]) -> None:
        await self.send_text(protocol.encode(content))

    async def send_text(self, text: str) -> None:
        if not self.closed:  # the ASGI server refuses a send after a close
            await self.send(text_data=text)

    async def close(self, code: int | bool | None = None, reason: str | None = None) -> None:
        if not self.closed:
            self.closed = True
            await super().close(code, reason)

    async def send_error(self, code: str, message: str | None = None, ref: str | None = None) -> None:
        """An `error` frame; without `message`, the code's words (games.vocabulary.errors), in English."""
        message = message or errors.in_english(errors.PLAY, code)
        await self.send_frame({"type": "error", "code": code, "message": message, "ref": ref})

    async def join_group(self, group: str) -> bool:
        """Subscribe this socket to `group`; if the channel layer is down, say so and close (without the
        group this socket would hear nothing; the client reconnects with backoff)."""
        try:
            await self.channel_layer.group_add(group, self.channel_name)
        except Exception:
            logger.warning("channel layer unavailable while joining %s", group, exc_info=True)
            await self.send_error("unavailable")
            await self.close(CLOSE_TRY_LATER)
            return False
        return True

    async def layer_down(self) -> None:
        """Redis stopped answering (games.realtime.layer_watch): updates cannot reach this socket for now."""
        await self.send_error("unavailable")


class PlayConsumer(ProtocolConsumer):
    """One student's socket: their own view of their seat, and their moves."""

    participant_id: str | None = None
    sent_seq = -1

    async def connect(self) -> None:
        # Accept first, then close with a code the page can read (a refused handshake is only a 1006).
        await self.accept()
        try:
            participant = await database_sync_to_async(identity.current_participant)(
                self.scope.get("session")
            )
        except DatabaseError:
            logger.warning("database unavailable while authenticating a socket", exc_info=True)
            await self.send_error("unavailable")
            await self.close(CLOSE_TRY_LATER)
            return
        if participant is None:
            await self.close(CLOSE_NOT_JOINED)
            return
        pid = str(participant.pk)
        if not await self.join_group(participant_group(pid)):
            return
        self.participant_id = pid
        WATCH.watch(self)
        try:
            await database_sync_to_async(presence.connected)(self.participant_id)
        except DatabaseError:
            logger.warning("could not mark %s connected", self.participant_id, exc_info=True)
        await self.send_current_state()

    async def disconnect(self, code: int) -> None:
        if self.participant_id is None:
            return
        WATCH.forget(self)
        try:
            await self.channel_layer.group_discard(participant_group(self.participant_id), self.channel_name)
        except Exception:  # Redis is down; its subscriptions went with it. Presence still counts.
            logger.warning("channel layer unavailable while disconnecting %s", self.participant_id)
        try:
            await database_sync_to_async(presence.disconnected)(self.participant_id)
        except DatabaseError:
            logger.warning("could not mark %s disconnected", self.participant_id, exc_info=True)

    async def receive(self, text_data: str | None = None, bytes_data: bytes | None = None) -> None:
        if self.participant_id is not None:
            await super().receive(text_data, bytes_data)

    async def on_move(self, frame: protocol.Frame) -> None:
        try:
            await enqueue_move(self.participant_id, frame.action, frame.move_id, frame.seq)
        except Exception:  # Redis is down or the shard is full (or, in embedded mode, the inline task failed)
            logger.warning("could not enqueue move %s", frame.move_id, exc_info=True)
            await self.send_error("unavailable", ref=frame.move_id)

    async def on_sync(self, frame: protocol.Frame) -> None:
        await self.send_current_state()

    async def send_current_state(self) -> None:
        try:
            seq, view = await database_sync_to_async(participant_view.participant_state)(self.participant_id)
        except Participant.DoesNotExist:  # the class was deleted under the student
            await self.close(CLOSE_NOT_JOINED)
            return
        except DatabaseError:
            logger.warning(
                "database unavailable while building %s's state", self.participant_id, exc_info=True
            )
            await self.send_error("unavailable")
            return
        await self.send_state(seq, view)

    async def send_state(
        self, seq: int, view: dict[str, Any] | None = None, *, frame: str | None = None
    ) -> None:
        """Never go back: a view older than one already sent on this socket is dropped. `frame` is the
        state frame already encoded by the sender (games.play.broadcast), else `view` is encoded here."""
        if seq < self.sent_seq:
            return
        self.sent_seq = seq
        await self.send_text(frame if frame is not None else protocol.state_frame(seq, view or {}))

    # Channel-layer events (games.play.broadcast)
    async def state_push(self, event: dict[str, Any]) -> None:
        await self.send_state(event["seq"], event.get("view"), frame=event.get("frame"))

    async def error_push(self, event: dict[str, Any]) -> None:
        await self.send_error(event["code"], event["message"], event.get("ref"))

    async def layer_resync(self, event: dict[str, Any]) -> None:
        """Redis is back: whatever was pushed while it was away is lost, so send the whole state."""
        await self.send_current_state()
