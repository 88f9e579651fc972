"""Celery wiring: the beat schedule names registered tasks, and a real worker runs them in stack mode."""

from __future__ import annotations

from typing import Any

import pytest

from games.play.tasks import sweep_deadlines
from wargame.celery import app


def test_beat_schedule_names_registered_tasks() -> None:
    app.loader.import_default_modules()
    for entry in app.conf.beat_schedule.values():
        assert entry["task"] in app.tasks


@pytest.mark.django_db
def test_sweep_deadlines_runs_in_process_when_eager(eager_celery: Any) -> None:
    assert sweep_deadlines.delay().get() == 0  # nothing is due in an empty database


@pytest.mark.integration
@pytest.mark.slow
def test_a_real_worker_runs_tasks_over_redis(celery_worker: str) -> None:
    """Stack mode end to end: JSON over the Redis broker to a worker process and the result back."""
    result = sweep_deadlines.apply_async(ignore_result=False)
    assert result.get(timeout=30) == 0
