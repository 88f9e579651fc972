"""Sending views to clients after a transaction has committed (never before: Zulip's rule).

Every student gets their own view through their own group; nothing shared is rebroadcast.  Delivery
over the channel layer is at most once, so a failure here is logged, not raised: the database already
holds the truth and clients resync (`sync`) after any reconnect or `seq` gap.
"""

from __future__ import annotations

import logging
import os
import threading
from typing import Any

import redis
from asgiref.sync import async_to_sync
from channels import DEFAULT_CHANNEL_LAYER
from channels.layers import get_channel_layer
from channels_redis.pubsub import RedisPubSubChannelLayer
from django.conf import settings

from games import protocol
from games.groups import instructor_group, participant_group

logger = logging.getLogger(__name__)

SEND_TIMEOUT = 10.0  # seconds a batch may take to reach the channel layer before we give up (and log)
# After a Redis restart a kept connection fails once ("Connection closed by server") and then reconnects:
# without another attempt that push was lost, and a student waited for an update that never came (found
# by the Redis drill, tests/drills). Against a Redis that is really down the attempts fail at once.
SEND_ATTEMPTS = 3


class _PubSubPublisher:
    """Publishes a batch of group messages in ONE Redis round trip, for the pub/sub channel layer.

    What `RedisPubSubChannelLayer.group_send` does one message at a time (a PUBLISH of the layer's own
    serialization to the channel `<prefix>__group__<group>`, each behind a lock and an event-loop hop),
    pipelined on a plain redis-py client: 0.55 -> 0.08 ms of CPU for a move's four messages, and one
    round trip instead of 300 for a round start (docs/performance.md). The subscribers are the layer's
    own (`group_add` in the consumers), so what arrives is exactly what group_send would deliver. One
    client per process, made lazily and again after a fork."""

    def __init__(self) -> None:
        self.lock = threading.Lock()
        self.client: redis.Redis | None = None
        self.pid = 0

    @staticmethod
    def config(layer: Any) -> tuple[str, str] | None:
        """(Redis URL, channel prefix) when `layer` is the pub/sub layer on one Redis given by URL."""
        if not isinstance(layer, RedisPubSubChannelLayer):
            return None
        options = settings.CHANNEL_LAYERS[DEFAULT_CHANNEL_LAYER].get("CONFIG", {})
        hosts = options.get("hosts") or []
        if len(hosts) != 1 or not isinstance(hosts[0], dict) or "address" not in hosts[0]:
            return None
        return hosts[0]["address"], options.get("prefix", "asgi")

    def _client(self, url: str) -> redis.Redis:
        with self.lock:
            if self.client is None or self.pid != os.getpid():
                self.client = redis.Redis.from_url(
                    url, socket_connect_timeout=2, socket_timeout=SEND_TIMEOUT, health_check_interval=30
                )
                self.pid = os.getpid()
            return self.client

    def publish(self, layer: Any, url: str, prefix: str, messages: list[tuple[str, dict[str, Any]]]) -> None:
        payloads = [(f"{prefix}__group__{group}", layer.serialize(message)) for group, message in messages]
        for attempt in range(1, SEND_ATTEMPTS + 1):
            try:
                pipe = self._client(url).pipeline(transaction=False)
                for channel, payload in payloads:
                    pipe.publish(channel, payload)
                pipe.execute()
                return
            except redis.RedisError:
                if attempt == SEND_ATTEMPTS:
                    raise


_PUBLISHER = _PubSubPublisher()


def send(group: str, message: dict[str, Any]) -> None:
    send_all([(group, message)])


def send_all(messages: list[tuple[str, dict[str, Any]]]) -> None:
    """Deliver (group, message) pairs in ONE batch: pipelined to Redis for the pub/sub layer (from a
    Celery worker and an ASGI server's sync threads alike), else through the layer's own `group_send`
    (the in-memory layer of embedded mode and tests)."""
    layer = get_channel_layer()
    if layer is None or not messages:
        return
    try:
        if config := _PUBLISHER.config(layer):
            _PUBLISHER.publish(layer, *config, messages)
        else:
            async_to_sync(_group_send_all)(layer, messages)
    except Exception:  # the channel layer is down: the database holds the truth, and clients resync
        logger.warning("could not deliver %d message(s)", len(messages), exc_info=True)


async def _group_send_all(layer: Any, messages: list[tuple[str, dict[str, Any]]]) -> None:
    for group, message in messages:
        for attempt in range(1, SEND_ATTEMPTS + 1):
            try:
                await layer.group_send(group, message)
                break
            except Exception:  # a layer on a Redis that restarted: clients resync when it is back
                if attempt == SEND_ATTEMPTS:
                    logger.warning("could not deliver to %s", group, exc_info=True)


def state_message(participant_id: Any, seq: int, view: dict[str, Any]) -> tuple[str, dict[str, Any]]:
    """The push of a state frame, encoded here (in the worker) so that the ASGI process, which carries
    every socket on one event loop, only compares the seq and writes the text (docs/performance.md)."""
    return participant_group(participant_id), {
        "type": "state.push",
        "seq": seq,
        "frame": protocol.state_frame(seq, view),
    }


def push_state(participant_id: Any, seq: int, view: dict[str, Any]) -> None:
    send(*state_message(participant_id, seq, view))


def push_error(participant_id: Any, code: str, message: str, ref: str | None) -> None:
    send(
        participant_group(participant_id),
        {"type": "error.push", "code": code, "message": message, "ref": ref},
    )


def push_round(round_id: int) -> None:
    """Each student seated in the round gets their own view; staff get a summary."""
    from games import services
    from games.models import Round

    rnd = (
        Round.objects.select_related("class_session", "group", "japan", "us", "challenger")
        .filter(pk=round_id)
        .first()
    )
    if rnd is None:
        return
    cls = rnd.class_session
    messages = [
        state_message(participant.pk, *services.build_state(participant, cls, rnd))
        for participant in (rnd.japan, rnd.us, rnd.challenger)
        if not participant.is_bot
    ]
    messages.append((instructor_group(cls.code), {"type": "class.changed", "round": round_id}))
    send_all(messages)


def push_round_views(rnd: Any, cls: Any, state: Any) -> None:
    """`push_round` from objects in memory (the move's own transaction, just committed): no query when
    the round was loaded with its group and seats."""
    from games import services

    messages = [
        state_message(participant.pk, *services.build_state(participant, cls, rnd, state))
        for participant in (rnd.japan, rnd.us, rnd.challenger)
        if not participant.is_bot
    ]
    messages.append((instructor_group(cls.code), {"type": "class.changed", "round": rnd.pk}))
    send_all(messages)


def push_class(class_id: int) -> None:
    """A class-level change (lobby, start, round change, pause, release): every student's view."""
    from games import services
    from games.models import ClassSession

    cls = ClassSession.objects.filter(pk=class_id).first()
    if cls is None:
        return
    rounds = services.rounds_by_participant(cls)
    # Shared by every view of this push: the lobby (one query, not one per student) and each round's
    # engine state (parsed once, not once per seat).
    lobby = services.lobby_view(cls) if cls.status == ClassSession.Status.LOBBY else None
    states = {rnd.pk: services.state_of(rnd, cls) for rnd in {id(r): r for r in rounds.values()}.values()}
    messages = []
    for participant in cls.participants.filter(is_bot=False):
        rnd = rounds.get(participant.pk)
        seq, view = services.build_state(participant, cls, rnd, states.get(rnd.pk) if rnd else None, lobby)
        messages.append(state_message(participant.pk, seq, view))
    messages.append((instructor_group(cls.code), {"type": "class.changed", "round": None}))
    send_all(messages)
