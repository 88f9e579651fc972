"""The projector view: the join code and QR code while the lobby is open, then class results as counts,
and never any player's private information (no US or Challenger type, no names, no per-group data)."""

from __future__ import annotations

import json
from datetime import timedelta
from typing import Any

import pytest
from django.test import Client
from django.utils import timezone

from games.models import Scenario
from games.play import services
from tests.live import make_class, play_first_actions

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def fast_password_hashing(settings: Any) -> None:
    """Staff logins are created per test; the default PBKDF2 hasher would spend a second or two on each."""
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


PRIVATE = (
    "us_type",
    "challenger_type",
    "resolute",
    "determined",
    "hesitant",
    "theta",
    "private",
    '"R"',
    '"N"',
)


def projector(client: Client, code: str) -> tuple[str, dict[str, Any]]:
    page = client.get(f"/instructor/classes/{code}/projector/")
    data = client.get(f"/instructor/classes/{code}/projector.json")
    assert page.status_code == data.status_code == 200
    return page.content.decode(), data.json()


def assert_nothing_private(page: str, data: dict[str, Any], names: list[str]) -> None:
    text = json.dumps(data)
    for word in PRIVATE:
        assert word not in text, word
        assert word not in page.replace("&quot;", '"'), word
    for name in names:
        assert name not in page and name not in text, name
    at_the_end = {"discussion"} if data["class"]["status"] == "finished" else set()  # the class debrief's
    teaching = {"round_summary", "class_summary"}  # null until a round, or the class, is over
    teaching |= {"polls"}  # the current round's polls: counts until every group has finished it
    assert set(data) == {"class", "nodes", "outcomes", "server_time"} | teaching | at_the_end


def test_the_lobby_shows_the_code_the_qr_code_and_how_many_joined(admin_client: Client) -> None:
    class_session, people = make_class(students=5)
    page, data = projector(admin_client, class_session.code)
    assert f'<p class="proj-code" data-join-code>{class_session.code}</p>' in page
    assert '<svg class="qr" role="img" aria-label="QR code of the join link"' in page
    assert '<strong class="proj-host">testserver</strong>' in page
    assert data["class"]["status"] == "lobby" and data["class"]["joined"] == 5
    assert_nothing_private(page, data, [p.name for p in people])


def test_during_and_after_play_it_shows_counts_only(admin_client: Client) -> None:
    scenario = Scenario.objects.get(slug="hesitant-challenger")  # Module C: the Challenger has a type too
    class_session, people = make_class(scenario, students=7, rounds=2)
    for person in people:
        person.name = f"Secret name {person.pk.hex[:6]}"
        person.save(update_fields=["name"])
    services.start_class(class_session.code)
    page, data = projector(admin_client, class_session.code)
    assert data["class"]["status"] == "running" and data["class"]["round"] == 1
    assert data["nodes"] == [{"node": "alliance", "count": 3}]
    assert sum(data["outcomes"]["all"].values()) == 0
    assert_nothing_private(page, data, [p.name for p in people])

    play_first_actions(class_session, people, now=timezone.now() + timedelta(seconds=1))
    page, data = projector(admin_client, class_session.code)
    assert data["class"]["status"] == "finished"
    assert data["nodes"] == [{"node": "end", "count": 3}]
    assert sum(data["outcomes"]["all"].values()) == 6
    assert data["class"]["progress"]["fraction"] == 1.0
    assert data["discussion"]["scenario"] == [{"key": "scenario", "text": scenario.questions_en}]
    assert all(q["text"] for q in data["discussion"]["class"])
    assert_nothing_private(page, data, [p.name for p in people])


def test_the_projector_speaks_japanese(admin_client: Client) -> None:
    class_session, _ = make_class(students=0)
    page = admin_client.get(
        f"/instructor/classes/{class_session.code}/projector/", headers={"accept-language": "ja"}
    )
    text = page.content.decode()
    assert "クラスに参加" in text
    assert '<strong class="proj-host">testserver</strong> を開き、このコードを入力してください：' in text


@pytest.mark.parametrize("page", ["dashboard", "projector"])
def test_the_staff_pages_carry_the_close_codes_their_socket_stops_on(admin_client: Client, page: str) -> None:
    """After 4403 (not staff) or 4404 (no such class) the staff socket must stop, not retry forever."""
    from games.play import protocol

    class_session, _people = make_class(Scenario.objects.get(slug="baseline"), students=1)
    suffix = "" if page == "dashboard" else "projector/"
    html = admin_client.get(f"/instructor/classes/{class_session.code}/{suffix}").content.decode()
    marker = '<script id="close-codes" type="application/json">'
    codes = json.loads(html.split(marker, 1)[1].split("</script>", 1)[0])
    assert set(codes["fatal"]) == set(protocol.FATAL_CLOSE_CODES)
    assert (codes["forbidden"], codes["no_class"]) == (protocol.CLOSE_FORBIDDEN, protocol.CLOSE_NO_CLASS)
