"""The e2e stack (tests/e2e/stack.py), started by the first test of this package that needs it and
stopped after its last.

Every test here is `@pytest.mark.integration`: without PostgreSQL and Redis it is skipped (outside CI)
before this fixture would start anything, and in CI it fails.
"""

from __future__ import annotations

import os
from collections.abc import Iterator
from pathlib import Path

import pytest

from tests.e2e.stack import Stack


@pytest.fixture(scope="package")
def stack(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Stack]:
    """Two ASGI servers, two Celery workers and beat on a fresh database; stopped and dropped at the end."""
    from django.conf import settings

    workdir = Path(tmp_path_factory.mktemp("e2e-stack"))
    stack = Stack(
        workdir,
        database_url=os.environ.get("DATABASE_URL") or settings.DATABASE_URL,
        redis_url=os.environ.get("REDIS_URL") or settings.REDIS_URL,
    )
    try:
        stack.start(servers=2, workers=2)
        yield stack
    finally:
        stack.stop()
