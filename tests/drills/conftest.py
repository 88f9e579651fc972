"""One drill stack for the package: two ASGI servers, two Celery workers and beat on a fresh PostgreSQL
database and on a Redis server of its own (so that the Redis drill may restart it), with the broker's
visibility timeout at 5 s so that a killed worker's tasks come back within the drill's time, and the move
queue's lease at its default (3 s: a shard whose task died is started again by the next sweep after it).

Every test here is `@pytest.mark.integration`: without PostgreSQL and Redis it is skipped (outside CI)
before this fixture would start anything, and in CI it fails.
"""

from __future__ import annotations

import os
from collections.abc import Iterator
from pathlib import Path

import pytest

from tests.conftest import IN_CI
from tests.drills.stack import DrillStack, RedisServer

VISIBILITY_TIMEOUT = 5
LEASE_SECONDS = 3.0


@pytest.fixture(scope="package")
def redis_server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[RedisServer]:
    server = RedisServer(Path(tmp_path_factory.mktemp("drill-redis")))
    if server.binary is None:  # as for a missing service: skipped, but a failure in CI
        if IN_CI:
            pytest.fail("the drills need redis-server on this machine", pytrace=False)
        pytest.skip("the drills need redis-server on this machine")
    try:
        server.start()
        yield server
    finally:
        server.stop()


@pytest.fixture(scope="package")
def stack(tmp_path_factory: pytest.TempPathFactory, redis_server: RedisServer) -> Iterator[DrillStack]:
    from django.conf import settings

    stack = DrillStack(
        Path(tmp_path_factory.mktemp("drill-stack")),
        database_url=os.environ.get("DATABASE_URL") or settings.DATABASE_URL,
        redis_url=redis_server.url,
        extra_env={
            "CELERY_VISIBILITY_TIMEOUT": str(VISIBILITY_TIMEOUT),
            "MOVE_LEASE_SECONDS": str(LEASE_SECONDS),
            "JOIN_RATE_LIMIT": "0/60",
        },
    )
    try:
        stack.start(servers=2, workers=2)
        yield stack
    finally:
        stack.stop()


@pytest.hookimpl(wrapper=True, tryfirst=True)
def pytest_runtest_makereport(item: pytest.Item, call: pytest.CallInfo[None]) -> object:
    """Keep each phase's report on the test item (`explain_failures` reads `rep_call`)."""
    report = yield
    setattr(item, f"rep_{report.when}", report)
    return report
