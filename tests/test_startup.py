"""Long-running processes keep what they loaded at start-up out of full garbage collections
(wargame/startup.py): the ASGI server once its application is built, a Celery pool process once forked and
set up. Checked in fresh interpreters, as the servers start."""

from __future__ import annotations

import pytest

FROZEN_AT_LEAST = 20_000  # Django, Channels and the app are ~100,000 objects; a bare interpreter ~0


def frozen_after(run_python, code: str) -> int:
    run = run_python("-c", f"import gc\n{code}\nprint(gc.get_freeze_count())")
    assert run.returncode == 0, run.stderr[-3000:]
    return int(run.stdout.split()[-1])


def test_the_asgi_application_freezes_what_it_loaded(run_python):
    assert frozen_after(run_python, "") == 0  # nothing is frozen unless we freeze it
    assert frozen_after(run_python, "import wargame.asgi") >= FROZEN_AT_LEAST


@pytest.mark.parametrize("signal", ["worker_process_init", "worker_init"])
def test_a_celery_worker_freezes_what_it_loaded_when_it_starts(run_python, signal):
    start = (
        "import django, os\n"
        "os.environ.setdefault('DJANGO_SETTINGS_MODULE', 'wargame.settings')\n"
        "django.setup()\n"
        "from celery import signals\n"
        "from wargame.celery import app\n"
        "app.loader.import_default_modules()\n"
    )
    assert frozen_after(run_python, start) == 0
    assert frozen_after(run_python, start + f"signals.{signal}.send(sender=None)") >= FROZEN_AT_LEAST


def test_a_pool_process_connects_to_the_database_when_it_starts(run_python, tmp_path):
    """After Celery's Django fixup has closed what the pool process inherited (the parent's connection),
    the process connects again at once, not in its first task (wargame/celery.py)."""
    code = (
        "import django, os, warnings\n"
        "os.environ.setdefault('DJANGO_SETTINGS_MODULE', 'wargame.settings')\n"
        "django.setup()\n"
        "from celery import signals\n"
        "from django.db import connection\n"
        "from wargame.celery import app\n"
        "warnings.simplefilter('ignore')\n"
        "signals.worker_init.send(sender=None)\n"
        "connection.ensure_connection()\n"
        "inherited = connection.connection\n"
        "signals.worker_process_init.send(sender=None)\n"
        "print(connection.connection is not None, connection.connection is not inherited)\n"
    )
    run = run_python("-c", code, env={"DATABASE_URL": f"sqlite:///{tmp_path / 'db.sqlite3'}"})
    assert run.returncode == 0, run.stderr[-3000:]
    assert run.stdout.split()[-2:] == ["True", "True"]  # connected, and not with the parent's connection
