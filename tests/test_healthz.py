"""`GET /healthz` reports the database and the channel layer."""

from __future__ import annotations

from typing import Any

import pytest


@pytest.mark.django_db
def test_healthy(client: Any) -> None:
    response = client.get("/healthz")
    assert response.status_code == 200
    assert response.json() == {"status": "ok", "database": "ok", "channel_layer": "ok"}
    assert "no-cache" in response.headers["Cache-Control"]


@pytest.mark.django_db
def test_broken_channel_layer_answers_503(client: Any, monkeypatch: pytest.MonkeyPatch) -> None:
    class Broken:
        async def new_channel(self, prefix: str = "") -> str:
            raise ConnectionError("redis down")

    monkeypatch.setattr("wargame.health.get_channel_layer", lambda: Broken())
    response = client.get("/healthz")
    assert response.status_code == 503
    assert response.json() == {"status": "error", "database": "ok", "channel_layer": "error: ConnectionError"}


@pytest.mark.django_db
def test_broken_database_answers_503(client: Any, monkeypatch: pytest.MonkeyPatch) -> None:
    def broken() -> None:
        raise OSError("database down")

    monkeypatch.setattr("wargame.health._database", broken)
    response = client.get("/healthz")
    assert response.status_code == 503
    assert response.json()["database"] == "error: OSError"


def test_only_safe_methods(client: Any) -> None:
    assert client.post("/healthz").status_code == 405


@pytest.mark.integration
@pytest.mark.django_db
def test_healthy_on_the_real_stack(client: Any) -> None:
    from django.conf import settings
    from django.db import connection

    assert connection.vendor == "postgresql"
    assert settings.CHANNEL_LAYERS["default"]["BACKEND"] == "channels_redis.pubsub.RedisPubSubChannelLayer"
    response = client.get("/healthz")
    assert response.json() == {"status": "ok", "database": "ok", "channel_layer": "ok"}


@pytest.mark.integration("redis")
async def test_probe_leaves_no_subscription_behind() -> None:
    """The pub/sub layer keeps a channel subscribed after a receive; the probe must drop its own."""
    from channels.layers import get_channel_layer

    from wargame.health import _channel_layer

    layer = get_channel_layer()
    for _ in range(3):
        await _channel_layer()
    assert layer._get_layer().channels == {}  # the layer's per-event-loop state (pinned channels_redis)
