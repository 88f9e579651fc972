"""Sections side by side (issue 18): two finished classes played through the services, their figures
counted by hand below, compared on `/instructor/compare/` and in `compare.csv` / `compare.json`; the codes
that cannot be compared are said on the page; staff only."""

from __future__ import annotations

import csv
import io
import json
import re
from typing import Any

import pytest
from django.contrib.auth import get_user_model

from games.debrief import class_analysis, compare
from games.debrief.load import load_class
from games.models import ClassSession
from games.play import services
from tests.live import make_class, play_first_actions

pytestmark = pytest.mark.django_db

# Class A, two rounds: the US allies, the Challenger challenges, Japan resists, the Challenger attacks and
# the US stays out: abandonment both times.
ALWAYS_ABANDONED = {
    "alliance": "alliance",
    "challenge": "challenge",
    "response": "resist",
    "attack": "attack",
    "intervention": "stay_out",
}
# Class B, four rounds, one path per round.
PATHS = {
    1: {"alliance": "alliance", "challenge": "challenge", "response": "resist", "attack": "withdraw"},  # WD
    2: {"alliance": "no_alliance", "challenge": "status_quo"},  # SQ without an alliance
    3: {"alliance": "alliance", "challenge": "challenge", "response": "concede"},  # CON
    4: {  # WAR_I, the alliance honoured
        "alliance": "alliance",
        "challenge": "challenge",
        "response": "resist",
        "attack": "attack",
        "intervention": "intervene",
    },
}


def play(scenario: Any, rounds: int, seed: int, choose: Any) -> ClassSession:
    class_session, people = make_class(scenario, students=3, rounds=rounds, seed=seed)
    services.start_class(class_session.code)
    play_first_actions(class_session, people, choose=choose)
    class_session.refresh_from_db()
    assert class_session.status == ClassSession.Status.FINISHED
    return class_session


@pytest.fixture
def two(baseline_scenario) -> tuple[ClassSession, ClassSession]:
    a = play(baseline_scenario, 2, 4, lambda view: ALWAYS_ABANDONED[view["round"]["node"]])
    b = play(baseline_scenario, 4, 5, lambda view: PATHS[view["round"]["number"]][view["round"]["node"]])
    return a, b


def url(*codes: str, path: str = "/instructor/compare/") -> str:
    return f"{path}?classes={','.join(codes)}"


def cells(page: str, section: str, row: str) -> list[dict[str, str]]:
    """The data-* of each class's cell in one row of the page's table."""
    body = re.search(rf'<tbody data-section="{section}">(.*?)</tbody>', page, re.S)
    assert body, section
    tr = re.search(rf'<tr data-row="{row}">(.*?)</tr>', body.group(1), re.S)
    assert tr, (section, row)
    return [dict(re.findall(r'data-(\w+)="([^"]*)"', td)) for td in re.findall(r"<td ([^>]*)>", tr.group(1))]


def counts(page: str, section: str, row: str) -> list[tuple[int, int]]:
    return [(int(c["count"]), int(c["n"])) for c in cells(page, section, row)]


# --------------------------------------------------------------------------------------------------
# The figures
# --------------------------------------------------------------------------------------------------


def test_the_comparison_counts_what_was_played(two):
    a, b = two
    data = compare.compare(class_analysis.class_debrief(load_class(c)) for c in (a, b))
    ca, cb = data["classes"]
    assert (ca["code"], cb["code"]) == (a.code, b.code)
    assert ca["rounds"] == {"total": 2, "finished": 2, "planned": 2}
    assert cb["rounds"] == {"total": 4, "finished": 4, "planned": 4}
    assert [s["slug"] for s in ca["scenarios"]] == ["baseline"]
    assert ca["alliance_type"] == "defence_pact"

    def n(cell: dict[str, Any]) -> tuple[int, int]:
        return cell["count"], cell["n"]

    assert n(ca["outcomes"]["ABANDONMENT"]) == (2, 2)
    for key in (
        "IMMEDIATE_DETERRENCE_HELD",
        "GENERAL_DETERRENCE_HELD/without_alliance",
        "DETERRENCE_FAILED_JAPAN_CONCEDED",
        "DETERRENCE_FAILED_WAR_US_INTERVENED/alliance_honored",
    ):
        assert n(cb["outcomes"][key]) == (1, 4), key
        assert cb["outcomes"][key]["share"] == 0.25
    assert n(cb["outcomes"]["ABANDONMENT"]) == (0, 4)

    rates_a, rates_b = ca["rates"], cb["rates"]
    assert [n(rates_a[k]) for k in compare.RATE_KEYS] == [(0, 2), (0, 2), (2, 2), (0, 2)]
    # B: general deterrence held in round 2; two crises reached the attack decision (1 and 4), one
    # withdrawal; failed: the concession and the war; one tested alliance (round 4), honoured.
    assert [n(rates_b[k]) for k in compare.RATE_KEYS] == [(1, 4), (1, 2), (2, 4), (1, 1)]
    assert rates_b["immediate_deterrence"]["rate"] == 0.5 and rates_b["failed"]["rate"] == 0.5

    nodes_b = cb["nodes"]
    assert {k: v["n"] for k, v in nodes_b.items()} == {
        "alliance": 4,
        "challenge": 4,
        "response": 3,
        "attack": 2,
        "intervention": 1,
    }
    assert n(nodes_b["alliance"]["actions"]["alliance"]) == (3, 4)
    assert n(nodes_b["response"]["actions"]["concede"]) == (1, 3)
    assert n(nodes_b["attack"]["actions"]["withdraw"]) == (1, 2)
    assert nodes_b["intervention"]["actions"]["intervene"]["share"] == 1.0
    assert ca["nodes"]["intervention"]["actions"]["stay_out"]["count"] == 2

    # Only outcomes some class reached or theory expected; every decision met, in the game's order.
    assert "ABANDONMENT" in data["outcome_keys"]
    assert not any(k.startswith("PREVENTIVE_DIPLOMACY") for k in data["outcome_keys"])
    assert [node["node"] for node in data["nodes"]] == [
        "alliance",
        "challenge",
        "response",
        "attack",
        "intervention",
    ]


def test_theory_is_the_class_debriefs(two):
    """The columns carry the class debrief's own theory: nothing recomputed, nothing rounded."""
    for class_session in two:
        report = class_analysis.class_debrief(load_class(class_session))
        column = compare.class_column(report)
        rates = report.rates()
        for key in ("general_deterrence", "immediate_deterrence", "honoured"):
            assert column["rates"][key] == {k: rates[key][k] for k in ("count", "n", "rate", "theory")}
        theory = {row["outcome"]: row["theory"] for row in report.outcomes()["rows"]}
        failed = sum(v for k, v in theory.items() if k.split("/")[0] in compare.FAILED_LABELS)
        assert column["rates"]["failed"]["theory"] == pytest.approx(failed)
        # No Module D: the rounds are deterred generally, immediately (as a share of rounds), or not.
        held = (
            theory["GENERAL_DETERRENCE_HELD/with_alliance"]
            + theory["GENERAL_DETERRENCE_HELD/without_alliance"]
        )
        assert held + theory["IMMEDIATE_DETERRENCE_HELD"] + failed == pytest.approx(1)
        assert column["rates"]["general_deterrence"]["theory"] == pytest.approx(held)
        for node in report.node_shares():
            for action, cell in node["actions"].items():
                assert column["nodes"][node["node"]]["actions"][action]["theory"] == cell["theory"]


def test_a_class_names_its_scenarios_once_each_in_order_of_play(two):
    """A log that names stages (as classes that switch scenario will) lists each scenario once."""
    log = load_class(two[0])
    staged = type(log)(
        code=log.code,
        params=log.params,
        meta={
            **log.meta,
            "stages": [
                {
                    "scenario": "tripwire",
                    "scenario_name_en": "Tripwire",
                    "scenario_name_ja": "トリップワイヤー",
                },
                {"scenario": "baseline"},
            ],
        },
        participants=log.participants,
        rounds=log.rounds,
    )
    assert [s["slug"] for s in compare.scenarios(staged)] == ["baseline", "tripwire"]
    assert compare.scenarios(staged)[1]["name_ja"] == "トリップワイヤー"


# --------------------------------------------------------------------------------------------------
# The page and the downloads
# --------------------------------------------------------------------------------------------------


def test_the_page_shows_one_column_per_class_with_n(two, staff):
    a, b = two
    response = staff.get(url(a.code, b.code))
    assert response.status_code == 200
    page = response.content.decode()
    assert re.findall(r'<th scope="col" data-class="(\w+)"', page) == [a.code, b.code]
    assert 'data-rounds="2"' in page and 'data-rounds="4"' in page
    assert page.count("Baseline: defence pact") >= 2
    assert counts(page, "outcomes", "ABANDONMENT") == [(2, 2), (0, 4)]
    assert counts(page, "rates", "general_deterrence") == [(0, 2), (1, 4)]
    assert counts(page, "rates", "immediate_deterrence") == [(0, 2), (1, 2)]
    assert counts(page, "rates", "failed") == [(2, 2), (2, 4)]
    assert counts(page, "rates", "honoured") == [(0, 2), (1, 1)]
    assert counts(page, "node-response", "concede") == [(0, 2), (1, 3)]
    assert counts(page, "node-attack", "withdraw") == [(0, 2), (1, 2)]
    assert "(1/3)" in page and "33 %" in page  # concede in B, with its n
    assert f'href="/instructor/compare.csv?classes={a.code}%2C{b.code}&amp;excel=1"' in page
    assert f'href="/instructor/compare.json?classes={a.code}%2C{b.code}"' in page
    assert "data-mixed-scenarios" not in page  # the same scenario in both


def test_the_page_in_japanese(two, staff):
    a, b = two
    page = staff.get(url(a.code, b.code), headers={"accept-language": "ja"}).content.decode()
    assert '<html lang="ja">' in page
    for words in (
        "クラスの比較",
        "一般抑止",
        "緊急抑止",
        "抑止の失敗",
        "履行",
        "理論",
        "基準シナリオ：防御同盟",
    ):
        assert words in page, words


def test_ticked_boxes_are_redirected_to_one_short_link(two, staff):
    a, b = two
    response = staff.get(f"/instructor/compare/?classes={a.code.lower()}&classes={b.code}")
    assert response.status_code == 302
    assert response["Location"] == f"/instructor/compare/?classes={a.code}%2C{b.code}"


def test_the_csv_has_one_row_per_class_and_figure(two, staff):
    a, b = two
    response = staff.get(url(a.code, b.code, path="/instructor/compare.csv"))
    assert response.status_code == 200 and response["Content-Type"] == "text/csv; charset=utf-8"
    assert response["Content-Disposition"] == f'attachment; filename="crisis-compare-{a.code}-{b.code}.csv"'
    table = list(csv.DictReader(io.StringIO(response.content.decode("utf-8"))))
    assert list(table[0]) == list(compare.CSV_COLUMNS)
    by = {(r["class_code"], r["section"], r["figure"]): r for r in table}
    failed = by[(b.code, "rate", "failed")]
    assert (failed["count"], failed["n"], failed["share"]) == ("2", "4", "0.5")
    honoured = by[(b.code, "rate", "honoured")]
    assert (honoured["count"], honoured["n"], honoured["share"]) == ("1", "1", "1.0")
    assert by[(a.code, "rate", "honoured")]["n"] == "2"
    concede = by[(b.code, "choice", "response:concede")]
    assert (concede["count"], concede["n"], concede["role"]) == ("1", "3", "japan")
    assert float(concede["theory"]) >= 0 and by[(a.code, "outcome", "ABANDONMENT")]["count"] == "2"
    assert {r["scenarios"] for r in table} == {"baseline"}
    assert staff.get(url(a.code, b.code, path="/instructor/compare.csv") + "&excel=1").content.startswith(
        "\ufeff".encode()
    )


def test_the_json_is_the_comparison(two, staff):
    a, b = two
    response = staff.get(url(a.code, b.code, path="/instructor/compare.json"))
    assert response.status_code == 200 and response["Content-Type"] == "application/json; charset=utf-8"
    data = json.loads(response.content)
    assert data["format"] == compare.FORMAT and data["version"] == compare.VERSION
    assert [c["code"] for c in data["classes"]] == [a.code, b.code]
    assert data["classes"][1]["rates"]["immediate_deterrence"]["count"] == 1
    assert data["classes"][1]["rates"]["immediate_deterrence"]["n"] == 2
    assert data["classes"][0]["scenarios"][0]["name_ja"] == "基準シナリオ：防御同盟"
    assert data["rate_keys"] == list(compare.RATE_KEYS)


# --------------------------------------------------------------------------------------------------
# What cannot be compared
# --------------------------------------------------------------------------------------------------


def error_page(client: Any, query: str, **headers: str) -> str:
    response = client.get("/instructor/compare/" + query, headers=headers)
    assert response.status_code == 400, query
    page = response.content.decode()
    assert "data-errors" in page and 'data-table="compare"' not in page
    return page


def test_codes_that_cannot_be_compared_are_said_on_the_page(two, staff, baseline_scenario):
    a, b = two
    assert "Choose at least two finished classes" in error_page(staff, "")
    assert "Choose at least two finished classes" in error_page(staff, f"?classes={a.code}")
    page = error_page(staff, f"?classes={a.code},{a.code}")
    assert f"Class {a.code} is listed twice." in page and "Choose at least two" in page
    assert "There is no class NOPE99." in error_page(staff, f"?classes={a.code},nope99")
    page = error_page(staff, f"?classes={a.code},<script>")
    assert "<script>" not in page and "&lt;SCRIPT&gt;" in page
    running, _people = make_class(baseline_scenario, students=3, rounds=1, seed=8)
    services.start_class(running.code)
    assert "has not finished yet" in error_page(staff, f"?classes={a.code},{running.code}")
    many = ",".join([a.code, b.code] * 4 + ["X"])
    assert "Compare at most 8 classes at a time." in error_page(staff, f"?classes={many}")
    japanese = error_page(staff, f"?classes={a.code},nope99", **{"accept-language": "ja"})
    assert "クラス NOPE99 はありません。" in japanese
    for path in ("/instructor/compare.csv", "/instructor/compare.json"):
        response = staff.get(url(a.code, path=path))
        assert response.status_code == 400
        assert response.json()["error"]["code"] == "invalid_classes"


def test_only_staff_may_compare(two, client):
    a, b = two
    student = get_user_model().objects.create_user("student", password="pw")
    logged_in = type(client)()
    logged_in.force_login(student)
    for path in ("/instructor/compare/", "/instructor/compare.csv", "/instructor/compare.json"):
        for visitor in (client, logged_in):
            response = visitor.get(url(a.code, b.code, path=path))
            assert response.status_code == 302 and "/admin/login/" in response["Location"], path
            assert "ABANDONMENT" not in response.content.decode()


def test_the_index_offers_finished_classes_to_compare(two, staff, baseline_scenario):
    a, b = two
    make_class(baseline_scenario, students=0, rounds=1, seed=9)  # still in the lobby: no box
    page = staff.get("/instructor/").content.decode()
    assert 'id="compare-form"' in page and 'action="/instructor/compare/"' in page
    assert sorted(re.findall(r'data-compare="(\w+)"', page)) == sorted([a.code, b.code])
    assert 'data-control="compare"' in page


def test_a_class_ended_before_any_round_finished_compares_as_no_rounds(two, staff, baseline_scenario):
    a, _b = two
    empty, _people = make_class(baseline_scenario, students=3, rounds=2, seed=10)
    services.end_class(empty.code)
    response = staff.get(url(a.code, empty.code))
    assert response.status_code == 200
    page = response.content.decode()
    assert counts(page, "rates", "general_deterrence") == [(0, 2), (0, 0)]
    assert counts(page, "node-alliance", "alliance") == [(2, 2), (0, 0)]
    data = staff.get(url(a.code, empty.code, path="/instructor/compare.json")).json()
    assert data["classes"][1]["rounds"]["finished"] == 0 and data["classes"][1]["nodes"] == {}
    assert data["classes"][1]["rates"]["failed"] == {"count": 0, "n": 0, "rate": None, "theory": None}
