"""`manage.py seed_demo`: the login `make run` prints works, however often it runs."""

from __future__ import annotations

from io import StringIO
from typing import Any

import pytest
from django.contrib.auth import authenticate
from django.core.management import CommandError, call_command

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def debug_on(settings: Any) -> None:
    settings.DEBUG = True  # as under `make run`; pytest-django turns it off


def seed() -> str:
    out = StringIO()
    call_command("seed_demo", stdout=out)
    return out.getvalue()


def test_creates_the_instructor_superuser(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv("DEMO_INSTRUCTOR_PASSWORD", raising=False)
    output = seed()
    assert "instructor / crisis-table" in output
    user = authenticate(username="instructor", password="crisis-table")
    assert user is not None
    assert user.is_staff
    assert user.is_superuser


def test_is_idempotent_and_honours_the_password_override(monkeypatch: pytest.MonkeyPatch) -> None:
    seed()
    monkeypatch.setenv("DEMO_INSTRUCTOR_PASSWORD", "another-secret-42")
    assert "Updated instructor login: instructor / another-secret-42" in seed()
    assert authenticate(username="instructor", password="another-secret-42") is not None
    from django.contrib.auth import get_user_model

    assert get_user_model().objects.filter(username="instructor").count() == 1


def test_refuses_the_default_password_without_debug(settings: Any, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv("DEMO_INSTRUCTOR_PASSWORD", raising=False)
    settings.DEBUG = False
    with pytest.raises(CommandError, match="DEMO_INSTRUCTOR_PASSWORD"):
        seed()
