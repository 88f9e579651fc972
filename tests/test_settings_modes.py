"""The run mode follows DATABASE_URL and REDIS_URL (DESIGN.md "Run modes"), checked in fresh interpreters."""

from __future__ import annotations

import json
from typing import Any

import pytest

RESOLVE = """
import json
import django
django.setup()
from django.conf import settings
from wargame.celery import app
layer = settings.CHANNEL_LAYERS["default"]
db = settings.DATABASES["default"]
print(json.dumps({
    "engine": db["ENGINE"],
    "db_name": str(db["NAME"]),
    "conn_max_age": db["CONN_MAX_AGE"],
    "layer": layer["BACKEND"],
    "layer_config": layer.get("CONFIG"),
    "cache": settings.CACHES["default"]["BACKEND"],
    "eager": app.conf.task_always_eager,
    "eager_propagates": app.conf.task_eager_propagates,
    "broker": app.conf.broker_url,
    "result_backend": app.conf.result_backend,
    "acks_late": app.conf.task_acks_late,
    "reject_on_worker_lost": app.conf.task_reject_on_worker_lost,
    "prefetch": app.conf.worker_prefetch_multiplier,
    "serializer": app.conf.task_serializer,
    "result_serializer": app.conf.result_serializer,
    "accept": list(app.conf.accept_content),
    "visibility_timeout": app.conf.broker_transport_options.get("visibility_timeout"),
    "beat_tasks": sorted(entry["task"] for entry in app.conf.beat_schedule.values()),
    "embedded_timers": settings.EMBEDDED_TIMERS,
    "session_engine": settings.SESSION_ENGINE,
}))
"""


@pytest.fixture
def resolve(run_python: Any) -> Any:
    def run(**env: str) -> dict[str, Any]:
        done = run_python("-c", RESOLVE, env={"DJANGO_SETTINGS_MODULE": "wargame.settings", **env})
        assert done.returncode == 0, done.stderr
        return json.loads(done.stdout.strip().splitlines()[-1])

    return run


def test_embedded_mode_without_urls(resolve: Any) -> None:
    mode = resolve()
    assert mode["engine"] == "django.db.backends.sqlite3"
    assert mode["db_name"].endswith("db.sqlite3")
    assert mode["layer"] == "channels.layers.InMemoryChannelLayer"
    assert mode["cache"].endswith("LocMemCache")
    assert mode["eager"] is True
    assert mode["eager_propagates"] is True
    assert mode["embedded_timers"] is True


def test_database_url_selects_postgresql(resolve: Any) -> None:
    mode = resolve(DATABASE_URL="postgres://crisis:secret@db.internal:5433/crisis")
    assert mode["engine"] == "django.db.backends.postgresql"
    assert mode["db_name"] == "crisis"
    assert mode["layer"] == "channels.layers.InMemoryChannelLayer"  # Redis is independent
    assert mode["eager"] is True


def test_redis_url_selects_pubsub_layer_and_celery_workers(resolve: Any) -> None:
    url = "redis://cache.internal:6380/3"
    mode = resolve(REDIS_URL=url)
    assert mode["layer"] == "channels_redis.pubsub.RedisPubSubChannelLayer"
    assert mode["layer_config"]["hosts"] == [{"address": url, "max_connections": 1000}]
    assert mode["cache"].endswith("RedisCache")
    assert mode["eager"] is False
    assert mode["broker"] == url
    assert mode["result_backend"] == url
    assert mode["embedded_timers"] is False


def test_redis_pool_size_is_configurable(resolve: Any) -> None:
    mode = resolve(REDIS_URL="redis://127.0.0.1:6379/0", REDIS_MAX_CONNECTIONS="250")
    assert mode["layer_config"]["hosts"][0]["max_connections"] == 250


@pytest.mark.parametrize("env", [{}, {"REDIS_URL": "redis://127.0.0.1:6379/0"}], ids=["embedded", "stack"])
def test_settings_every_mode_shares(resolve: Any, env: dict[str, str]) -> None:
    mode = resolve(**env)
    assert mode["conn_max_age"] == 0
    assert mode["acks_late"] is True
    assert mode["reject_on_worker_lost"] is True
    assert mode["prefetch"] == 1
    assert mode["serializer"] == mode["result_serializer"] == "json"
    assert mode["accept"] == ["json"]
    assert mode["visibility_timeout"] == 30
    assert mode["beat_tasks"] == ["games.tasks.sweep_deadlines"]
    assert mode["session_engine"] == "django.contrib.sessions.backends.db"


def test_debug_off_requires_a_secret_key(run_python: Any) -> None:
    done = run_python("-c", RESOLVE, env={"DJANGO_SETTINGS_MODULE": "wargame.settings", "DEBUG": "false"})
    assert done.returncode != 0
    assert "SECRET_KEY must be set" in done.stderr
