"""The three exports: one row per event (long), one row per round (wide), and the JSON that rebuilds the
debrief; their columns are docs/exports.md's dictionary."""

from __future__ import annotations

import csv
import io
import json
import re
from pathlib import Path

import pytest
from django.contrib.auth import get_user_model

from games.debrief import class_analysis, exports
from games.models import Event, Participant, Round
from games.play import services
from tests.live import make_class, play_first_actions

pytestmark = pytest.mark.django_db

DOC = Path(__file__).resolve().parent.parent / "docs" / "exports.md"
# Japan resists after no alliance (a deviation worth -1/20) and fights alone.
PLAN = {
    "alliance": "no_alliance",
    "challenge": "challenge",
    "response": "resist",
    "attack": "attack",
    "intervention": "stay_out",
}


@pytest.fixture
def played(baseline_scenario, client):
    class_session, people = make_class(baseline_scenario, students=3, rounds=2, seed=3)
    Participant.objects.filter(pk=people[0].pk).update(name='=HYPERLINK("x")')
    services.start_class(class_session.code)
    play_first_actions(class_session, people, choose=lambda view: PLAN[view["round"]["node"]])
    client.force_login(get_user_model().objects.create_user("t", password="pw", is_staff=True))
    return class_session, client


def rows(content: bytes) -> list[dict[str, str]]:
    return list(csv.DictReader(io.StringIO(content.decode("utf-8"))))


def test_export_csv_has_one_row_per_event_beside_the_benchmark(played):
    class_session, client = played
    response = client.get(f"/instructor/classes/{class_session.code}/export.csv")
    assert response["Content-Type"] == "text/csv; charset=utf-8"
    assert response["Content-Disposition"] == f'attachment; filename="crisis-{class_session.code}-events.csv"'
    table = rows(response.content)
    assert list(table[0]) == list(exports.EVENT_COLUMNS)
    assert len(table) == Event.objects.filter(round__class_session=class_session).count()
    resist = [r for r in table if r["node"] == "response"]
    assert resist and all(r["action"] == "resist" and r["deviation"] == "1" for r in resist)
    assert {(r["cost_exact"], r["cost_points"], r["benchmark_prob"]) for r in resist} == {
        ("1/20", "5.00", "0.0")
    }
    assert all(r["predicted"] == "concede" and r["infoset"] == "response/a0" for r in resist)
    on_path = [r for r in table if r["node"] == "challenge"]
    assert all(r["deviation"] == "0" and r["cost"] == "" for r in on_path)
    assert {r["student"] for r in table} == {"1"} and {r["kind"] for r in table} == {"move"}


def test_rounds_csv_has_one_wide_row_per_round(played):
    class_session, client = played
    table = rows(client.get(f"/instructor/classes/{class_session.code}/rounds.csv").content)
    assert list(table[0]) == list(exports.ROUND_COLUMNS)
    assert len(table) == Round.objects.filter(class_session=class_session).count() == 2
    for row in table:
        assert row["outcome"] == "DETERRENCE_FAILED_WAR_JAPAN_ALONE" and row["terminal"] == "WAR_S"
        assert row["alliance_action"] == "no_alliance" and row["response_kind"] == "move"
        assert "OFF_BENCHMARK(japan,response)" in row["flags"].split(";")
        assert row["payoff_japan_exact"] == "-1/20" and int(row["student_deviations"]) >= 1
        assert row["reputation_matches_live"] == "1"


def test_display_names_cannot_become_spreadsheet_formulas(played):
    class_session, client = played
    text = client.get(f"/instructor/classes/{class_session.code}/rounds.csv").content.decode()
    assert "'=HYPERLINK" in text and ",=HYPERLINK" not in text
    events = client.get(f"/instructor/classes/{class_session.code}/export.csv").content.decode()
    assert "'=HYPERLINK" in events
    assert exports.safe_text("-1") == "'-1" and exports.safe_text("Aiko") == "Aiko"


def test_excel_gets_a_byte_order_mark_on_request(played):
    class_session, client = played
    plain = client.get(f"/instructor/classes/{class_session.code}/rounds.csv").content
    excel = client.get(f"/instructor/classes/{class_session.code}/rounds.csv?excel=1").content
    assert not plain.startswith(b"\xef\xbb\xbf") and excel == b"\xef\xbb\xbf" + plain


def test_export_json_holds_the_log_and_rebuilds_the_debrief(played):
    class_session, client = played
    response = client.get(f"/instructor/classes/{class_session.code}/export.json")
    assert response["Content-Disposition"] == f'attachment; filename="crisis-{class_session.code}.json"'
    data = json.loads(response.content)
    assert (data["format"], data["version"], data["code"]) == (
        "crisis-table/class-log",
        1,
        class_session.code,
    )
    assert data["params"] == class_session.params
    assert (
        sum(len(r["events"]) for r in data["rounds"])
        == Event.objects.filter(round__class_session=class_session).count()
    )
    assert class_analysis.rebuild(data) == data["debrief"]


def test_every_export_column_is_in_the_dictionary():
    """docs/exports.md documents every column of both CSV files (a `| name |` table row each)."""
    doc = DOC.read_text(encoding="utf-8")
    documented = set(re.findall(r"^\| `([a-z0-9_]+)` \|", doc, flags=re.M))
    assert set(exports.EVENT_COLUMNS) <= documented, set(exports.EVENT_COLUMNS) - documented
    assert set(exports.ROUND_COLUMNS) <= documented, set(exports.ROUND_COLUMNS) - documented
