"""The play page's data (`play-data`): what its script would otherwise have to copy comes from the server,
the roles, the game's spine for the class's parameters (games/crisis/game.py) and the websocket close
codes (games/play/protocol.py)."""

from __future__ import annotations

import json
from typing import Any

import pytest
from django.test import Client

from games.crisis import game
from games.crisis.params import Params
from games.play import protocol, services

pytestmark = pytest.mark.django_db


def page_data(client: Client) -> dict[str, Any]:
    page = client.get("/play/").content.decode()
    return json.loads(page.split('id="play-data" type="application/json">', 1)[1].split("</script>")[0])


def joined(scenario: Any) -> Client:
    class_session = services.create_class(scenario)
    client = Client()
    body = {"code": class_session.code, "name": "Aiko"}
    response = client.post("/api/join", body, content_type="application/json")
    assert response.status_code == 201, response.content
    return client


def test_the_page_carries_roles_spine_and_close_codes(baseline_scenario: Any) -> None:
    data = page_data(joined(baseline_scenario))
    assert data["roles"] == list(game.ROLES)
    assert data["spine"] == game.spine(Params())
    assert data["spine"][0]["node"] == "alliance"  # no arming, no CBMs in the baseline
    codes = data["close_codes"]
    assert set(codes["fatal"]) == protocol.FATAL_CLOSE_CODES
    assert codes["flood"] == protocol.CLOSE_FLOOD and codes["not_joined"] == protocol.CLOSE_NOT_JOINED
    assert (codes["forbidden"], codes["no_class"]) == (protocol.CLOSE_FORBIDDEN, protocol.CLOSE_NO_CLASS)


def test_the_spine_follows_the_class_parameters(baseline_scenario: Any) -> None:
    baseline_scenario.params = {**baseline_scenario.params, "module_a": True}
    baseline_scenario.save()
    spine = page_data(joined(baseline_scenario))["spine"]
    assert [step["node"] for step in spine][:2] == ["arming", "alliance"]
