"""Shared fixtures, and the rule for tests that need the real services.

A test marked `@pytest.mark.integration` needs PostgreSQL and Redis (or only those named:
`@pytest.mark.integration("redis")`). When a service is unreachable or not configured, the test is
skipped with the reason, except in CI (`CI=true`), where it FAILS: CI must never go green by skipping
the tests that matter. `make test` in CI points DATABASE_URL and REDIS_URL at the local services.
"""

from __future__ import annotations

import os
import subprocess
import sys
from collections.abc import Callable, Iterator
from functools import cache
from pathlib import Path
from typing import Any

import pytest
from hypothesis import settings as hypothesis_settings

# CI explores the same examples every run (a landing must not depend on a lucky draw); developers' runs
# stay random and keep failing examples in .hypothesis/ to replay them first.
hypothesis_settings.register_profile("ci", derandomize=True, database=None, print_blob=True)

ROOT = Path(__file__).resolve().parent.parent
IN_CI = os.environ.get("CI", "").strip().lower() in {"1", "true", "yes"}
if IN_CI:
    hypothesis_settings.load_profile("ci")
SERVICES = ("postgres", "redis")
# Variables that choose the run mode; subprocess tests start from none of them.
MODE_VARIABLES = (
    "DATABASE_URL",
    "REDIS_URL",
    "REDIS_MAX_CONNECTIONS",
    "CHANNEL_LAYER_PREFIX",
    "DEBUG",
    "SECRET_KEY",
    "ALLOWED_HOSTS",
    "CSRF_TRUSTED_ORIGINS",
    "EMBEDDED_TIMERS",
    "CELERY_VISIBILITY_TIMEOUT",
    "DJANGO_SETTINGS_MODULE",
    "DEMO_INSTRUCTOR_PASSWORD",
)


# --------------------------------------------------------------------------------------------------
# Real services
# --------------------------------------------------------------------------------------------------
@cache
def service_problem(name: str) -> str | None:
    """Why the named service cannot be used by this test run, or None when it can."""
    from django.conf import settings

    if name == "postgres":
        db = settings.DATABASES["default"]
        if "postgresql" not in db["ENGINE"]:
            return "needs PostgreSQL: set DATABASE_URL=postgres://... (embedded mode uses SQLite)"
        try:
            import psycopg

            with psycopg.connect(
                host=db.get("HOST") or None,
                port=db.get("PORT") or None,
                user=db.get("USER") or None,
                password=db.get("PASSWORD") or None,
                dbname="postgres",
                connect_timeout=3,
            ):
                pass
        except Exception as exc:
            return f"PostgreSQL at DATABASE_URL is unreachable: {exc}"
        return None
    if name == "redis":
        if not settings.REDIS_URL:
            return "needs Redis: set REDIS_URL=redis://... (embedded mode uses in-memory stand-ins)"
        try:
            import redis

            client = redis.Redis.from_url(settings.REDIS_URL, socket_connect_timeout=3, socket_timeout=3)
            client.ping()
            client.close()
        except Exception as exc:
            return f"Redis at REDIS_URL is unreachable: {exc}"
        return None
    raise ValueError(f"unknown service {name!r}; known: {', '.join(SERVICES)}")


def require_services(*names: str) -> None:
    """Skip (outside CI) or fail (in CI) the running test unless every named service is usable."""
    problems = [problem for name in names or SERVICES if (problem := service_problem(name))]
    if not problems:
        return
    message = "; ".join(problems)
    if IN_CI:
        pytest.fail(f"integration test cannot run in CI: {message}", pytrace=False)
    pytest.skip(message)


def pytest_runtest_setup(item: pytest.Item) -> None:
    marker = item.get_closest_marker("integration")
    if marker is not None:
        require_services(*marker.args)


@pytest.fixture
def services() -> Callable[..., None]:
    """`services("redis")` inside a test: the same check as the `integration` marker."""
    return require_services


# --------------------------------------------------------------------------------------------------
# Django helpers
# --------------------------------------------------------------------------------------------------
@pytest.fixture
def baseline_scenario(db: None) -> Any:
    from games.models import Scenario

    # Transactional tests flush the database, data migrations included: put the baseline back.
    scenario, _ = Scenario.objects.get_or_create(
        slug="baseline", defaults={"name_en": "Baseline: defence pact", "name_ja": "基準シナリオ：防御同盟"})
    return scenario


@pytest.fixture
def staff(client: Any) -> Any:
    """A Django test client logged in as a staff user (an instructor)."""
    from django.contrib.auth import get_user_model

    user = get_user_model().objects.create_user("teacher", password="pw", is_staff=True)
    client.force_login(user)
    return client


@pytest.fixture
def eager_celery() -> Iterator[Any]:
    """Run Celery tasks inline for this test, whatever the run mode (stack mode has real workers)."""
    from wargame.celery import app

    saved = (app.conf.task_always_eager, app.conf.task_eager_propagates)
    app.conf.task_always_eager = True
    app.conf.task_eager_propagates = True
    yield app
    app.conf.task_always_eager, app.conf.task_eager_propagates = saved


@pytest.fixture
def in_memory_channel_layer(settings: Any) -> Iterator[Any]:
    """This test's channel layer is a fresh in-memory one, whatever the run mode."""
    from channels.layers import channel_layers, get_channel_layer

    settings.CHANNEL_LAYERS = {"default": {"BACKEND": "channels.layers.InMemoryChannelLayer"}}
    channel_layers.backends.clear()
    yield get_channel_layer()
    channel_layers.backends.clear()


# --------------------------------------------------------------------------------------------------
# Subprocesses (settings are read once per process, so run modes are tested in fresh interpreters)
# --------------------------------------------------------------------------------------------------
def clean_environment(**overrides: str) -> dict[str, str]:
    """os.environ without the run-mode variables (and without reading .env), plus `overrides`."""
    env = {key: value for key, value in os.environ.items() if key not in MODE_VARIABLES}
    env["DJANGO_READ_DOT_ENV_FILE"] = "false"
    env["PYTHONPATH"] = os.pathsep.join(filter(None, [str(ROOT), os.environ.get("PYTHONPATH")]))
    env.update(overrides)
    return env


@pytest.fixture
def run_python() -> Callable[..., subprocess.CompletedProcess[str]]:
    """Run `python <args>` in the project root with a clean environment plus the given variables."""

    def run(
        *args: str, env: dict[str, str] | None = None, timeout: float = 120
    ) -> subprocess.CompletedProcess[str]:
        return subprocess.run(
            [sys.executable, *args],
            cwd=ROOT,
            env=clean_environment(**(env or {})),
            capture_output=True,
            text=True,
            timeout=timeout,
            check=False,
        )

    return run


@pytest.fixture
def manage_py(run_python: Callable[..., subprocess.CompletedProcess[str]]) -> Callable[..., Any]:
    """Run `manage.py <args>` in a fresh interpreter (see `run_python`)."""

    def run(*args: str, env: dict[str, str] | None = None, timeout: float = 120) -> Any:
        return run_python("manage.py", *args, env=env, timeout=timeout)

    return run


# --------------------------------------------------------------------------------------------------
# A real Celery worker (stack mode)
# --------------------------------------------------------------------------------------------------
def test_database_url() -> str:
    """The URL of the database this test run uses (pytest-django's `test_<name>`), for other processes."""
    from urllib.parse import quote

    from django.db import connection

    db = connection.settings_dict
    credentials = quote(db["USER"] or "", safe="")
    if db["PASSWORD"]:
        credentials += ":" + quote(db["PASSWORD"], safe="")
    return f"postgres://{credentials}@{db['HOST'] or '127.0.0.1'}:{db['PORT'] or 5432}/{db['NAME']}"


test_database_url.__test__ = False  # a helper, not a test


@pytest.fixture
def celery_worker(transactional_db: None) -> Iterator[str]:
    """A `celery worker` process on the test database and REDIS_URL, answering pings; yields its name.

    The test's writes must be committed to be seen by the worker, hence `transactional_db`.
    """
    require_services("postgres", "redis")
    import time
    import uuid

    from django.conf import settings

    from wargame.celery import app

    name = f"test-{uuid.uuid4().hex[:8]}@crisis"
    env = {"DATABASE_URL": test_database_url(), "REDIS_URL": settings.REDIS_URL}
    command = "-m celery -A wargame worker --pool solo --loglevel WARNING --without-gossip --without-mingle"
    command = [*command.split(), "--hostname", name]
    worker = subprocess.Popen([sys.executable, *command], cwd=ROOT, env=clean_environment(**env))
    try:
        deadline = time.monotonic() + 60
        while not app.control.ping(destination=[name], timeout=0.5):
            if worker.poll() is not None or time.monotonic() > deadline:
                pytest.fail(f"the Celery worker did not start (exit status {worker.poll()})")
        yield name
    finally:
        worker.terminate()
        try:
            worker.wait(timeout=20)
        except subprocess.TimeoutExpired:
            worker.kill()
            worker.wait()
