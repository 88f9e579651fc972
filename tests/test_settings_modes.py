"""The run mode follows DATABASE_URL, REDIS_URL and CLASSROOM (DESIGN.md "Run modes"), checked in fresh
interpreters."""

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


# ----- every SQLite database is tuned alike ------------------------------------------------------------
SQLITE = """
import json
import django
django.setup()
from django.conf import settings
from django.db import connection
with connection.cursor() as cursor:
    cursor.execute("PRAGMA journal_mode")
    journal = cursor.fetchone()[0]
    cursor.execute("PRAGMA busy_timeout")
    busy_ms = cursor.fetchone()[0]
db = settings.DATABASES["default"]
print(json.dumps({"options": db["OPTIONS"], "journal": journal, "busy_ms": busy_ms, "name": str(db["NAME"])}))
"""


def sqlite_tuning(run_python: Any, **env: str) -> dict[str, Any]:
    done = run_python("-c", SQLITE, env={"DJANGO_SETTINGS_MODULE": "wargame.settings", **env})
    assert done.returncode == 0, done.stderr
    return json.loads(done.stdout.strip().splitlines()[-1])


def test_a_sqlite_database_url_gets_wal_immediate_transactions_and_the_lock_wait(
    run_python: Any, tmp_path: Any
) -> None:
    path = tmp_path / "x.sqlite3"
    tuned = sqlite_tuning(run_python, DATABASE_URL=f"sqlite:///{path}")
    assert tuned["name"] == str(path)
    assert tuned["journal"] == "wal"
    assert tuned["busy_ms"] == 20_000
    assert tuned["options"]["transaction_mode"] == "IMMEDIATE"
    assert "synchronous=NORMAL" in tuned["options"]["init_command"]


def test_the_default_sqlite_file_and_a_url_are_tuned_the_same(run_python: Any, tmp_path: Any) -> None:
    default = sqlite_tuning(run_python)["options"]
    from_url = sqlite_tuning(run_python, DATABASE_URL=f"sqlite:///{tmp_path / 'y.sqlite3'}")["options"]
    assert default == from_url


def test_the_lock_wait_is_configurable_and_url_options_win(run_python: Any, tmp_path: Any) -> None:
    path = tmp_path / "z.sqlite3"
    tuned = sqlite_tuning(run_python, DATABASE_URL=f"sqlite:///{path}", SQLITE_TIMEOUT="2.5")
    assert tuned["busy_ms"] == 2500
    tuned = sqlite_tuning(run_python, DATABASE_URL=f"sqlite:///{path}?timeout=3", SQLITE_TIMEOUT="2.5")
    assert tuned["busy_ms"] == 3000
    assert tuned["journal"] == "wal"


# ----- embedded mode prints no broker warning ----------------------------------------------------------
def test_sending_a_task_in_embedded_mode_logs_no_kombu_warning(run_python: Any) -> None:
    code = (
        "import django; django.setup()\n"
        "from wargame.celery import app\n"
        "@app.task(name='probe.noop')\n"
        "def noop(): return 'ran'\n"
        "print(noop.delay().get())\n"
    )
    done = run_python("-c", code, env={"DJANGO_SETTINGS_MODULE": "wargame.settings"})
    assert done.returncode == 0, done.stderr
    assert done.stdout.strip().endswith("ran")
    assert "kombu" not in done.stderr and "No hostname" not in done.stderr, done.stderr


# ----- classroom mode: served to the room's network ------------------------------------------------------
CLASSROOM = """
import json
import django
django.setup()
from django.conf import settings
from wargame import network
print(json.dumps({
    "debug": settings.DEBUG,
    "secret_key": settings.SECRET_KEY,
    "allowed_hosts": settings.ALLOWED_HOSTS,
    "csrf_trusted_origins": settings.CSRF_TRUSTED_ORIGINS,
    "lan_address": settings.LAN_ADDRESS,
    "detected": network.lan_address(),
    "finders": settings.WHITENOISE_USE_FINDERS,
    "public_url": settings.PUBLIC_URL,
}))
"""


def classroom(run_python: Any, state_dir: Any, **env: str) -> dict[str, Any]:
    variables = {"DJANGO_SETTINGS_MODULE": "wargame.settings", "CLASSROOM": "true"}
    done = run_python("-c", CLASSROOM, env={**variables, "STATE_DIR": str(state_dir), **env})
    assert done.returncode == 0, done.stderr
    return json.loads(done.stdout.strip().splitlines()[-1])


def test_classroom_mode_turns_debug_off_and_keeps_static_files_served(run_python: Any, tmp_path: Any) -> None:
    mode = classroom(run_python, tmp_path / "state")
    assert mode["debug"] is False
    assert mode["finders"] is True  # WhiteNoise serves frontend/static without collectstatic


def test_classroom_mode_makes_a_secret_key_once_and_keeps_it_private(run_python: Any, tmp_path: Any) -> None:
    import stat

    state_dir = tmp_path / "state"
    first = classroom(run_python, state_dir)["secret_key"]
    second = classroom(run_python, state_dir)["secret_key"]
    assert first == second
    assert len(first) >= 50 and "insecure" not in first
    key_file = state_dir / "secret_key"
    assert key_file.read_text().strip() == first
    assert stat.S_IMODE(key_file.stat().st_mode) == 0o600
    assert stat.S_IMODE(state_dir.stat().st_mode) == 0o700
    assert classroom(run_python, tmp_path / "other")["secret_key"] != first  # each checkout its own


def test_classroom_mode_uses_a_secret_key_given_in_the_environment(run_python: Any, tmp_path: Any) -> None:
    given = "given-" + "k" * 50
    assert classroom(run_python, tmp_path / "state", SECRET_KEY=given)["secret_key"] == given
    assert not (tmp_path / "state" / "secret_key").exists()


def test_classroom_mode_allows_loopback_and_the_machines_own_addresses(
    run_python: Any, tmp_path: Any
) -> None:
    mode = classroom(run_python, tmp_path / "state")
    hosts = mode["allowed_hosts"]
    assert {"localhost", "127.0.0.1", "[::1]"} <= set(hosts)
    assert "*" not in hosts and "testserver" not in hosts
    assert mode["lan_address"] == mode["detected"]
    if mode["lan_address"]:  # a machine with no network at all has only its loopback
        assert mode["lan_address"] in hosts


def test_a_public_url_is_allowed_and_trusted_for_forms(run_python: Any, tmp_path: Any) -> None:
    mode = classroom(run_python, tmp_path / "state", PUBLIC_URL="http://crisis-laptop.local:8123/")
    assert mode["public_url"] == "http://crisis-laptop.local:8123"
    assert "crisis-laptop.local" in mode["allowed_hosts"]
    assert "http://crisis-laptop.local:8123" in mode["csrf_trusted_origins"]


def test_an_explicit_allowed_hosts_replaces_the_detected_ones(run_python: Any, tmp_path: Any) -> None:
    mode = classroom(run_python, tmp_path / "state", ALLOWED_HOSTS="crisis.school.example")
    assert mode["allowed_hosts"] == ["crisis.school.example"]
