"""A join that meets a busy database (SQLite's write lock held past the lock wait) is answered 503 with a
clear message, as JSON on `/api/join` and as the join page on `POST /join`: never a server error.
tests/test_classroom_server.py holds the real lock against a running server."""

from __future__ import annotations

import json
import uuid
from typing import Any

import pytest
from django.db import OperationalError
from django.test import Client

from games.models import Participant
from games.play import services

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def private_cache(settings: Any) -> None:
    settings.CACHES = {
        "default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache", "LOCATION": uuid.uuid4().hex}
    }


@pytest.fixture
def lobby(baseline_scenario: Any) -> Any:
    return services.create_class(baseline_scenario)


@pytest.fixture
def locked(monkeypatch: pytest.MonkeyPatch) -> list[int]:
    """The database stays locked for the next `locked[0]` joins (all of them by default)."""
    remaining = [1_000]
    real_join = services.join_class

    def join_class(*args: Any, **kwargs: Any) -> Any:
        if remaining[0] > 0:
            remaining[0] -= 1
            raise OperationalError("database is locked")
        return real_join(*args, **kwargs)

    monkeypatch.setattr(services, "join_class", join_class)
    return remaining


def api_join(client: Client, code: str, name: str = "Aiko", **headers: str) -> Any:
    body = json.dumps({"code": code, "name": name})
    return client.post("/api/join", body, content_type="application/json", headers=headers)


def form_join(client: Client, code: str, name: str = "Aiko", **headers: str) -> Any:
    client.get("/")
    token = client.cookies["csrftoken"].value
    return client.post("/join", {"code": code, "name": name, "csrfmiddlewaretoken": token}, headers=headers)


@pytest.mark.usefixtures("locked")
def test_api_join_answers_503_busy_as_json_with_retry_after(lobby: Any) -> None:
    response = api_join(Client(), lobby.code)
    assert response.status_code == 503
    assert response["Content-Type"] == "application/json"
    assert response.json() == {
        "error": {"code": "busy", "message": "The server is busy. Wait a moment and try again."}
    }
    assert response["Retry-After"] == "2"
    assert not Participant.objects.exists()


@pytest.mark.usefixtures("locked")
def test_the_join_form_answers_503_with_the_page_and_the_message(lobby: Any) -> None:
    response = form_join(Client(enforce_csrf_checks=True), lobby.code)
    assert response.status_code == 503
    html = response.content.decode()
    assert 'id="join-error"' in html and "The server is busy. Wait a moment and try again." in html
    assert f'value="{lobby.code}"' in html and 'value="Aiko"' in html  # what was typed is kept


@pytest.mark.usefixtures("locked")
def test_the_busy_message_speaks_japanese(lobby: Any) -> None:
    response = api_join(Client(), lobby.code, accept_language="ja")
    message = response.json()["error"]["message"]
    assert message == "サーバーが混み合っています。少し待ってからもう一度お試しください。"


def test_the_same_browser_joins_once_the_database_is_free(
    lobby: Any, locked: list[int], settings: Any
) -> None:
    settings.JOIN_RATE_LIMIT = "1/60"  # a busy answer is not a failed attempt: it does not use up the limit
    locked[0] = 2
    client = Client()
    assert api_join(client, lobby.code).status_code == 503
    assert api_join(client, lobby.code).status_code == 503
    response = api_join(client, lobby.code)
    assert response.status_code == 201
    assert Participant.objects.get().name == "Aiko"


def test_other_database_errors_are_not_disguised_as_busy(
    lobby: Any, monkeypatch: pytest.MonkeyPatch
) -> None:
    def broken(*args: Any, **kwargs: Any) -> Any:
        raise OperationalError("no such table: games_participant")

    monkeypatch.setattr(services, "join_class", broken)
    with pytest.raises(OperationalError, match="no such table"):
        api_join(Client(), lobby.code)
