"""Whether a student is connected, counted over all their sockets (docs/live-play.md, "Protocol boundary").

A student may have several sockets at once (a phone and a laptop, two tabs, a reconnect that overlaps
the old socket's close). Closing one must not mark them gone, or a stand-in bot would play for a student
who is still looking at the other screen. The count lives in Django's cache, shared by every ASGI
process in stack mode (Redis) and in-process in embedded mode. If an ASGI process dies, its sockets'
counts are left too high until they expire: such a student is then never replaced by a stand-in before
the decision deadline, whose timeout default still applies. If the cache is down, every close counts.
"""

from __future__ import annotations

import logging
from typing import Any

from django.core.cache import cache

from games.play import services

logger = logging.getLogger(__name__)

TTL = 6 * 60 * 60  # longer than any class; refreshed by every connect


def _key(participant_id: Any) -> str:
    return f"presence:{participant_id}"


def connected(participant_id: Any) -> None:
    try:
        key = _key(participant_id)
        cache.add(key, 0, TTL)
        cache.incr(key)
        cache.touch(key, TTL)
    except Exception:  # the cache is down: presence degrades to one socket per student
        logger.warning("presence count unavailable for %s", participant_id, exc_info=True)
    services.participant_connected(participant_id)


def disconnected(participant_id: Any) -> None:
    if _decrement(_key(participant_id)) <= 0:
        services.participant_disconnected(participant_id)


def _decrement(key: str) -> int:
    try:
        return cache.decr(key)
    except ValueError:  # expired, or never counted
        return 0
    except Exception:
        logger.warning("presence count unavailable for %s", key, exc_info=True)
        return 0
