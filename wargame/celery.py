"""The Celery application, configured from Django settings (the `CELERY_` namespace).

Workers: `celery -A wargame worker`; periodic tasks: `celery -A wargame beat`. Without REDIS_URL the
settings make every task run eagerly in the caller's process (embedded mode).
"""

from __future__ import annotations

import logging
import os
from typing import Any

from celery import Celery, signals

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "wargame.settings")

logger = logging.getLogger(__name__)

app = Celery("wargame")
app.config_from_object("django.conf:settings", namespace="CELERY")
app.autodiscover_tasks(["games.play"])


def survive_a_lost_broker_while_holding_tasks() -> None:
    """kombu 5.7's Redis transport crashes the whole worker ("Unrecoverable error: AttributeError:
    'NoneType' object has no attribute 'hostname'", exit status 1) when Redis goes away while the worker
    holds unacknowledged tasks: closing the lost connection tries to put them back through that same,
    already released, connection. Found by the Redis drill (tests/drills; docs/operations.md). Here that
    step gives up instead: the tasks stay in Redis's `unacked` hash, and any worker re-queues them after
    the visibility timeout (tasks are idempotent), while this worker reconnects as it should."""
    from kombu.transport import redis as kombu_redis

    original = kombu_redis.QoS.restore_unacked
    if getattr(original, "survives_a_lost_broker", False):
        return

    def restore_unacked(self: Any, client: Any = None) -> Any:
        try:
            return original(self, client)
        except AttributeError:  # the connection is gone: nothing to put the tasks back with
            logger.warning(
                "broker connection lost while holding %d unacknowledged task(s); "
                "they come back after the visibility timeout",
                len(self._delivered),
            )
            self._delivered.clear()
            return None

    restore_unacked.survives_a_lost_broker = True  # type: ignore[attr-defined]
    kombu_redis.QoS.restore_unacked = restore_unacked
    kombu_redis.QoS.ack = _leave_unacknowledged_if_lost(kombu_redis.QoS.ack)
    kombu_redis.QoS.reject = _leave_unacknowledged_if_lost(kombu_redis.QoS.reject)


def _leave_unacknowledged_if_lost(original: Any) -> Any:
    """The same crash one step later: a task that finishes after the broker connection it came on was
    lost (a resolve task lingering on its shard when Redis restarts, found by the Redis drill) is
    acknowledged through that closed channel ("'NoneType' object has no attribute 'client'"), and the
    worker exits. Here the acknowledgement gives up instead: the task stays in Redis's `unacked` hash
    and comes back after the visibility timeout (tasks are idempotent)."""
    if getattr(original, "survives_a_lost_broker", False):
        return original

    def guarded(self: Any, delivery_tag: Any, *args: Any, **kwargs: Any) -> Any:
        try:
            return original(self, delivery_tag, *args, **kwargs)
        except AttributeError:  # the channel's connection is gone
            logger.warning(
                "a task finished after its broker connection was lost; "
                "it comes back after the visibility timeout"
            )
            self._delivered.pop(delivery_tag, None)
            return None

    guarded.survives_a_lost_broker = True  # type: ignore[attr-defined]
    return guarded


survive_a_lost_broker_while_holding_tasks()


@signals.worker_init.connect
def keep_database_connections(**_: Any) -> None:
    """A worker keeps its database connections between tasks (WORKER_CONN_MAX_AGE seconds, checked before
    each task) instead of connecting for every task: workers are not ASGI servers, so the reason for
    CONN_MAX_AGE = 0 there (connections tied to a server's pool threads) does not apply. Runs in the
    worker's main process before its pool starts, so every pool process and thread inherits it."""
    from django.conf import settings

    if settings.WORKER_CONN_MAX_AGE <= 0:
        return
    for config in settings.DATABASES.values():
        config["CONN_MAX_AGE"] = settings.WORKER_CONN_MAX_AGE
        config["CONN_HEALTH_CHECKS"] = True  # a connection broken by a restart is replaced, not used
    signals.task_prerun.connect(close_old_connections, weak=False)
    # Connected here, after Celery's Django fixup connected its own receiver (which closes what a pool
    # process inherited from its parent), so that it runs after that one.
    signals.worker_process_init.connect(connect_databases, weak=False)


def connect_databases(**_: Any) -> None:
    """A pool process connects to its databases when it starts, not in its first batch of moves: there
    connecting cost 11-17 ms, under a round start's load (docs/performance.md). Should the database be
    away, the first task connects, as it would have anyway."""
    from django.db import DatabaseError, connections

    for connection in connections.all():
        try:
            connection.ensure_connection()
        except DatabaseError:
            logger.warning("pool process could not connect to %s yet", connection.alias, exc_info=True)


@signals.worker_init.connect
@signals.worker_process_init.connect
def freeze_loaded_objects(**_: Any) -> None:
    """A worker (before its pool starts, for a pool of threads) and each pool process (once forked and set
    up) keeps what it loaded out of full garbage collections: a 40-80 ms pause each, in the middle of a
    batch (wargame/startup.py)."""
    from wargame.startup import freeze_loaded_objects as freeze

    freeze()


def close_old_connections(sender: Any = None, **_: Any) -> None:
    """Before a task: drop connections that broke or grew too old, as Django does between requests."""
    if getattr(getattr(sender, "request", None), "is_eager", False):
        return
    from django.db import close_old_connections as close

    close()
