"""`GET /healthz`: is this process able to reach its database and its channel layer?

Answers 200 `{"status": "ok", "database": "ok", "channel_layer": "ok"}`, or 503 with `"status":
"error"` and the failing part named (exception class only: the probe is public).
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
from typing import Any

from asgiref.sync import sync_to_async
from channels.layers import get_channel_layer
from django.db import connections
from django.http import HttpRequest, JsonResponse
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_safe

logger = logging.getLogger(__name__)

PROBE_TIMEOUT = 2.0


def _database() -> None:
    # The connection is closed at the end of the request (CONN_MAX_AGE = 0).
    with connections["default"].cursor() as cursor:
        cursor.execute("SELECT 1")
        cursor.fetchone()


async def _channel_layer() -> None:
    """A round trip through the layer: subscribe to a fresh channel, send to it, receive it back."""
    layer = get_channel_layer()
    if layer is None:
        raise RuntimeError("no channel layer configured")
    channel = await layer.new_channel("healthz.")
    try:
        await layer.send(channel, {"type": "healthz.ping"})
        message = await asyncio.wait_for(layer.receive(channel), PROBE_TIMEOUT)
    finally:
        await _release(layer, channel)
    if message.get("type") != "healthz.ping":
        raise RuntimeError("channel layer returned a different message")


async def _release(layer: Any, channel: str) -> None:
    """Drop the probe's channel. Layers have no delete call; both built-in ones clean a channel up
    (the pub/sub layer unsubscribes) when a receive on it is cancelled, as when a consumer exits."""
    with contextlib.suppress(TimeoutError):
        await asyncio.wait_for(layer.receive(channel), 0.01)


async def _probe(check: Any) -> str:
    try:
        await asyncio.wait_for(check(), PROBE_TIMEOUT * 2)
    except Exception as exc:
        logger.warning("healthz: %s failed: %r", getattr(check, "__name__", check), exc)
        return f"error: {type(exc).__name__}"
    return "ok"


@never_cache
@require_safe
async def healthz(request: HttpRequest) -> JsonResponse:
    database = await _probe(sync_to_async(_database, thread_sensitive=True))
    channel_layer = await _probe(_channel_layer)
    healthy = database == "ok" and channel_layer == "ok"
    body = {"status": "ok" if healthy else "error", "database": database, "channel_layer": channel_layer}
    return JsonResponse(body, status=200 if healthy else 503)
