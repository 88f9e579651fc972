"""Demo data for `manage.py seed_demo` (and so for `make run`): a class anyone can try at once.

The demo class is on the `baseline` scenario with a fixed code, `DEMO_CODE`, from the join-code alphabet
(no 0/O or 1/I). It starts by itself as soon as one student joins, with bots in the empty seats; students
who join later take a bot's seat from the next round on. Seeding is idempotent: a demo class in the
lobby or in play is kept as it is; one that has finished keeps its history under a fresh random code and
a new demo class takes `DEMO_CODE`, so every `make run` offers a class that can be joined.
"""

from __future__ import annotations

from typing import Any

from django.contrib.auth.models import AbstractBaseUser
from django.db import transaction

from games.models import ClassSession, Scenario
from games.play import services

DEMO_CODE = "PLAY42"
DEMO_OPTIONS: dict[str, Any] = {"rounds": 3, "autostart": 1, "decision_seconds": 60, "result_seconds": 8}


def create_demo_class(instructor: AbstractBaseUser) -> str | None:
    """Open (or reuse) the demo class and return its join code; None without the baseline scenario."""
    scenario = Scenario.objects.filter(slug="baseline").first()
    if scenario is None:
        return None
    with transaction.atomic():
        existing = ClassSession.objects.select_for_update().filter(code=DEMO_CODE).first()
        if existing is not None and existing.status != ClassSession.Status.FINISHED:
            return existing.code
        if existing is not None:
            services.retire_code(existing.code)
        services.create_class(scenario, code=DEMO_CODE, created_by=instructor, **DEMO_OPTIONS)
    return DEMO_CODE


def join_url(base_url: str, code: str) -> str:
    """The link the join page fills the code in from (the QR code's link)."""
    return f"{base_url.rstrip('/')}/?code={code}"

