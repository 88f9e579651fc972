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
