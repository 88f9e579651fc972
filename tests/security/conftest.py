"""Shared pieces of the security tests: a private cache per test, classes, joins and sockets.

Everything here runs in embedded mode whatever the environment says: an in-memory channel layer and
inline (eager) Celery tasks, through the real ASGI application (`wargame.asgi.application`).
"""

from __future__ import annotations

import json
import uuid
from collections.abc import Iterator
from typing import Any

import pytest
from channels.testing import WebsocketCommunicator
from django.test import Client

from games.crisis.params import Params
from games.models import Scenario
from games.play import services
from wargame.asgi import application

ORIGIN = (b"origin", b"http://localhost")
TIMEOUT = 5
# What the protocol allows in an `error` frame (DESIGN.md, "The player protocol").
ERROR_CODES = frozenset(
    {"bad_json", "bad_message", "not_seated", "not_your_turn", "illegal_action", "stale", "rate_limited",
     "unavailable"}
)  # fmt: skip
MOVE_ERROR_CODES = frozenset({"not_seated", "not_your_turn", "illegal_action", "stale", "unavailable"})
# Close codes of docs/live-play.md ("Protocol boundary").
CLOSE_CODES = frozenset({4401, 4403, 4404, 1008, 1013})


@pytest.fixture(autouse=True)
def private_cache(settings: Any) -> Iterator[None]:
    """A private in-memory cache (join limits count per address, and every test client is 127.0.0.1);
    never a shared Redis that other runs may be using."""
    settings.CACHES = {
        "default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache", "LOCATION": uuid.uuid4().hex}
    }
    yield


def scenario(slug: str = "baseline", **changes: Any) -> Scenario:
    """The baseline scenario, or a scenario with these changes to the spec's defaults (exact values)."""
    params = Params().replace(**changes).as_dict(exact=True)
    found, _ = Scenario.objects.get_or_create(
        slug=slug, defaults={"name_en": slug, "name_ja": slug, "params": params}
    )
    return found


def new_class(**options: Any) -> str:
    return services.create_class(scenario(), **options).code


def api_join(code: str, name: str, client: Client | None = None) -> tuple[str, str]:
    """(participant id, session key) of a browser that joined over `POST /api/join`."""
    client = client or Client()
    response = client.post(
        "/api/join", json.dumps({"code": code, "name": name}), content_type="application/json"
    )
    assert response.status_code == 201, response.content
    return response.json()["participant"], response.cookies["sessionid"].value


def socket_for(
    session_key: str | None, path: str = "/ws/play/", extra_cookies: str = "", origin: bytes = ORIGIN[1]
) -> WebsocketCommunicator:
    headers = [(b"origin", origin)]
    cookies = "; ".join(filter(None, [f"sessionid={session_key}" if session_key else "", extra_cookies]))
    if cookies:
        headers.append((b"cookie", cookies.encode()))
    return WebsocketCommunicator(application, path, headers=headers)


async def close_code(socket: WebsocketCommunicator) -> int | None:
    """The code the server closed with (failing if it sent anything else first); then close our side."""
    output = await socket.receive_output(timeout=TIMEOUT)
    assert output["type"] == "websocket.close", output
    await socket.disconnect()
    return output.get("code")


def check_error(frame: dict[str, Any], codes: frozenset[str] = ERROR_CODES) -> None:
    """An `error` frame of the documented shape."""
    assert frame["type"] == "error", frame
    assert set(frame) == {"type", "code", "message", "ref"}, frame
    assert frame["code"] in codes, frame
    assert isinstance(frame["message"], str) and frame["message"], frame
    assert frame["ref"] is None or isinstance(frame["ref"], str), frame
