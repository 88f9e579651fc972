"""The live dashboard (/instructor/classes/<code>/) and its JSON snapshot: every group with its node, whose
turn it is, the deadline, the history and the outcome; who is connected and who is a bot; progress."""

from __future__ import annotations

import json
import re
from datetime import timedelta
from typing import Any

import pytest
from django.test import Client
from django.utils import timezone

from games.models import Participant, Round
from games.play import services
from tests.live import make_class, play_first_actions

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def fast_password_hashing(settings: Any) -> None:
    """Staff logins are created per test; the default PBKDF2 hasher would spend a second or two on each."""
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


def snapshot(client: Client, code: str) -> dict[str, Any]:
    response = client.get(f"/instructor/classes/{code}/snapshot.json")
    assert response.status_code == 200
    assert response["Content-Type"] == "application/json"
    return response.json()


def test_the_lobby_snapshot_counts_who_joined(admin_client: Client) -> None:
    class_session, people = make_class(students=2, autostart=5)
    services.participant_connected(people[0].pk)
    data = snapshot(admin_client, class_session.code)
    c = data["class"]
    assert (c["code"], c["status"], c["round"], c["rounds"]) == (class_session.code, "lobby", 0, 3)
    assert (c["joined"], c["connected"], c["bots"], c["autostart"]) == (2, 1, 0, 5)
    assert c["scenario"] == {"slug": "baseline", "name": "Baseline: defence pact"}
    assert c["progress"] == {
        "rounds_done": 0,
        "rounds": 3,
        "groups_finished": 0,
        "groups": 0,
        "fraction": 0.0,
    }
    assert data["groups"] == []
    assert [(p["name"], p["connected"], p["bot"], p["group"]) for p in data["participants"]] == [
        ("Student 1", True, False, None),
        ("Student 2", False, False, None),
    ]
    assert data["server_time"].endswith("Z")


def test_a_running_class_shows_every_group_its_node_turn_deadline_and_seats(admin_client: Client) -> None:
    class_session, people = make_class(students=4, decision_seconds=60)
    services.start_class(class_session.code)
    for person in people[:3]:
        services.participant_connected(person.pk)
    services.participant_disconnected(people[0].pk)
    data = snapshot(admin_client, class_session.code)
    assert data["class"]["status"] == "running" and data["class"]["bots"] == 2
    assert [g["number"] for g in data["groups"]] == [1, 2]
    for group in data["groups"]:
        rnd = Round.objects.get(class_session=class_session, group__number=group["number"])
        entry = group["round"]
        assert (entry["id"], entry["node"], entry["to_move"], entry["status"]) == (
            rnd.pk,
            "alliance",
            "us",
            "playing",
        )
        assert group["us_type"] == {"R": "resolute", "N": "non_resolute"}[rnd.us_type]  # staff may see it
        assert entry["us_type"] == group["us_type"]
        assert set(entry["players"]) == {"japan", "us", "challenger"}
        assert entry["to_move_player"] == entry["players"]["us"]
        assert entry["history"] == [] and entry["outcome"] is None
        if entry["players"]["us"]["bot"]:
            assert entry["deadline"] is None
        else:
            assert entry["deadline"] == rnd.deadline.isoformat().replace("+00:00", "Z")
    seats = {p["name"]: p for p in data["participants"]}
    assert seats["Student 1"]["connected"] is False and seats["Student 1"]["disconnected_at"]
    assert seats["Student 2"]["connected"] is True
    assert seats["Student 4"]["connected"] is False and seats["Student 4"]["disconnected_at"] is None
    bots = [p for p in data["participants"] if p["bot"]]
    assert len(bots) == 2 and all(b["connected"] and b["group"] == 2 for b in bots)
    assert all(p["role"] in {"japan", "us", "challenger"} for p in data["participants"])


def test_history_outcomes_and_progress_follow_the_play(admin_client: Client) -> None:
    class_session, people = make_class(students=3, rounds=2)
    services.start_class(class_session.code)
    now = timezone.now()
    rnd = Round.objects.get(class_session=class_session)
    while services.force_timeout(rnd.pk, now=now):  # timeout defaults until the round ends
        pass
    data = snapshot(admin_client, class_session.code)
    entry = data["groups"][0]["round"]
    assert entry["status"] == "finished" and entry["node"] == "end" and entry["to_move"] is None
    assert entry["history"][0]["node"] == "alliance"
    assert entry["outcome"]["label"] in data["outcomes"]["current"]
    assert data["outcomes"]["current"][entry["outcome"]["label"]] == 1
    assert sum(data["outcomes"]["all"].values()) == 1
    progress = data["class"]["progress"]
    assert (progress["rounds_done"], progress["groups_finished"], progress["fraction"]) == (1, 1, 0.5)
    assert data["class"]["next_round_at"] is not None

    play_first_actions(class_session, people, now=now + timedelta(seconds=30))
    data = snapshot(admin_client, class_session.code)
    assert data["class"]["status"] == "finished"
    assert data["class"]["progress"]["fraction"] == 1.0
    assert sum(data["outcomes"]["all"].values()) == 2
    assert sum(data["outcomes"]["current"].values()) == 1


def test_the_dashboard_page_embeds_the_snapshot_join_link_and_hooks(admin_client: Client) -> None:
    class_session, _ = make_class(students=3)
    page = admin_client.get(f"/instructor/classes/{class_session.code.lower()}/").content.decode()
    embedded = json.loads(
        re.search(
            r'<script id="dashboard-snapshot" type="application/json">(.*?)</script>', page, re.S
        ).group(1)
    )
    assert embedded["class"]["code"] == class_session.code
    assert f'data-ws-path="/ws/instructor/{class_session.code}/"' in page
    assert f'data-snapshot-url="/instructor/classes/{class_session.code}/snapshot.json"' in page
    assert f'href="http://testserver/?code={class_session.code}"' in page
    assert '<svg class="qr" role="img" aria-label="QR code of the join link"' in page
    assert "data-groups" in page and "data-people" in page
    assert f'href="/instructor/classes/{class_session.code}/projector/"' in page
    strings = json.loads(
        re.search(r'<script id="dashboard-strings" type="application/json">(.*?)</script>', page, re.S).group(
            1
        )
    )
    assert strings["nodes"]["alliance"] == "The United States decides on the alliance"


def test_the_dashboard_speaks_japanese(admin_client: Client) -> None:
    class_session, _ = make_class(students=3)
    page = admin_client.get(
        f"/instructor/classes/{class_session.code}/", headers={"accept-language": "ja"}
    ).content.decode()
    assert '<html lang="ja">' in page
    assert "振り返りを公開" in page and "クラスを終了" in page
    strings = json.loads(
        re.search(r'<script id="dashboard-strings" type="application/json">(.*?)</script>', page, re.S).group(
            1
        )
    )
    assert strings["roles"]["us"] == "米国"


def test_the_qr_code_encodes_the_join_link_of_the_host_the_instructor_uses(admin_client: Client) -> None:
    class_session, _ = make_class(students=0)
    url = f"/instructor/classes/{class_session.code}/"
    page = admin_client.get(url, HTTP_HOST="localhost").content.decode()
    assert f"http://localhost/?code={class_session.code}" in page


def test_unknown_classes_are_404(admin_client: Client) -> None:
    assert admin_client.get("/instructor/classes/NOPE99/").status_code == 404
    assert admin_client.get("/instructor/classes/NOPE99/snapshot.json").status_code == 404


def test_the_class_list_links_every_class(admin_client: Client) -> None:
    first, _ = make_class(students=0)
    second, _ = make_class(students=0)
    page = admin_client.get("/instructor/").content.decode()
    for class_session in (first, second):
        assert f'href="/instructor/classes/{class_session.code}/"' in page
        assert f'data-class="{class_session.code}"' in page


def test_the_snapshot_takes_a_bounded_number_of_queries(
    admin_client: Client, django_assert_max_num_queries
) -> None:
    class_session, _ = make_class(students=30)
    services.start_class(class_session.code)
    assert Participant.objects.filter(class_session=class_session).count() == 30
    with django_assert_max_num_queries(15):
        snapshot(admin_client, class_session.code)
