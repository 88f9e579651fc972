"""The class debrief against independent counting: every statistic recomputed here straight from the
`Event` rows with nothing but dictionaries and the §5 terminal table, plus the JSON round trip."""

from __future__ import annotations

import itertools
import json
import random
from collections import Counter, defaultdict
from datetime import timedelta
from fractions import Fraction

import pytest
from django.utils import timezone

from games.crisis.params import Params
from games.debrief import class_analysis, class_log, exports, round_analysis, round_report
from games.debrief.load import load_class
from games.models import ClassSession, Event, Round, Scenario
from games.play import participant_view, services
from tests.live import make_class, mover

pytestmark = pytest.mark.django_db

# The last engine event of a round decides its terminal (§2.1).
TERMINAL = {
    ("challenge", "status_quo"): "SQ",
    ("response", "concede"): "CON",
    ("attack", "withdraw"): "WD",
    ("intervention", "intervene"): "WAR_I",
    ("intervention", "stay_out"): "WAR_S",
}
LABEL = {
    ("SQ", 1): "GENERAL_DETERRENCE_HELD/with_alliance",
    ("SQ", 0): "GENERAL_DETERRENCE_HELD/without_alliance",
    ("WD", 1): "IMMEDIATE_DETERRENCE_HELD",
    ("WD", 0): "IMMEDIATE_DETERRENCE_HELD",
    ("CON", 1): "DETERRENCE_FAILED_JAPAN_CONCEDED",
    ("CON", 0): "DETERRENCE_FAILED_JAPAN_CONCEDED",
    ("WAR_I", 1): "DETERRENCE_FAILED_WAR_US_INTERVENED/alliance_honored",
    ("WAR_I", 0): "DETERRENCE_FAILED_WAR_US_INTERVENED/ad_hoc_coalition",
    ("WAR_S", 1): "ABANDONMENT",
    ("WAR_S", 0): "DETERRENCE_FAILED_WAR_JAPAN_ALONE",
}


def play_class(seed: int = 11, students: int = 10, rounds: int = 4) -> ClassSession:
    """Students choose at random; every fifth turn runs into its deadline (a `timeout` event); the two
    seats left over are bots."""
    scenario = Scenario.objects.get(slug="baseline")
    class_session, people = make_class(
        scenario, students=students, rounds=rounds, seed=seed, bot_strategy="random"
    )
    services.start_class(class_session.code)
    rng, now = random.Random(seed), timezone.now()
    for step in range(2000):
        turn = mover(people)
        if turn is not None:
            person, seq, view = turn
            if step % 5 == 4:
                class_session.refresh_from_db()
                services.force_timeout(participant_view.current_round_of(person, class_session).pk, now=now)
            else:
                action = rng.choice(view["round"]["actions"])
                services.submit_move(person.pk, action, f"m{step}", seq, now=now)
            continue
        class_session.refresh_from_db()
        if class_session.status == ClassSession.Status.FINISHED:
            return class_session
        now = max(now, class_session.next_round_at or now) + timedelta(seconds=1)
        services.sweep(now=now)
    raise AssertionError("the class did not finish")


@pytest.fixture
def played(baseline_scenario):
    class_session = play_class()
    return class_session, class_analysis.class_debrief(load_class(class_session))


def by_hand(class_session: ClassSession) -> list[dict]:
    """Each round from its events: alliance decision, terminal, label, and the student moves."""
    out = []
    for rnd in Round.objects.filter(class_session=class_session).order_by("pk"):
        events = list(Event.objects.filter(round=rnd).order_by("seq"))
        engine = [e for e in events if e.kind != "system"]
        a = int(any(e.node == "alliance" and e.action == "alliance" for e in engine))
        terminal = TERMINAL[(engine[-1].node, engine[-1].action)]
        out.append(
            {
                "round": rnd,
                "a": a,
                "terminal": terminal,
                "label": LABEL[(terminal, a)],
                "moves": [(e, a, rnd.us_type) for e in engine if e.kind == "move"],
            }
        )
    return out


def test_outcome_shares_and_rates_equal_independent_counting(played):
    class_session, report = played
    rounds = by_hand(class_session)
    assert len(rounds) == 4 * 4 and all(r.finished for r in report.rounds)
    summary = report.summary()
    counted = Counter(r["label"] for r in rounds)
    assert {row["outcome"]: row["count"] for row in summary["outcomes"]["rows"]} == {
        key: counted.get(key, 0) for key in round_analysis.OUTCOMES
    }
    shares = {row["outcome"]: row["share"] for row in summary["outcomes"]["rows"]}
    expected = {key: counted.get(key, 0) / len(rounds) for key in round_analysis.OUTCOMES}
    assert shares == pytest.approx(expected)

    rates = summary["rates"]
    n_sq = sum(r["terminal"] == "SQ" for r in rounds)
    assert (rates["general_deterrence"]["count"], rates["general_deterrence"]["n"]) == (n_sq, len(rounds))
    standoffs = [r for r in rounds if r["terminal"] in ("WD", "WAR_I", "WAR_S")]
    assert rates["immediate_deterrence"]["n"] == len(standoffs)
    assert rates["immediate_deterrence"]["count"] == sum(r["terminal"] == "WD" for r in standoffs)
    tested = [r for r in rounds if r["a"] == 1 and r["terminal"] in ("WAR_I", "WAR_S")]
    assert rates["honoured"]["n"] == len(tested) == rates["abandonment"]["tested"]
    assert rates["honoured"]["count"] == sum(r["terminal"] == "WAR_I" for r in tested)
    assert rates["abandonment"]["abandoned"] == sum(r["terminal"] == "WAR_S" for r in tested)

    by_condition = {row["allied"]: row for row in summary["by_condition"]}
    for allied in (True, False):
        members = [r for r in rounds if r["a"] == int(allied)]
        if not members:
            assert allied not in by_condition
            continue
        row = by_condition[allied]
        assert row["n"] == len(members)
        assert {k: v["count"] for k, v in row["outcomes"].items() if v["count"]} == dict(
            Counter(r["label"] for r in members)
        )
        assert (row["alliance_type"], row["tripwire"]) == ("defence_pact", False)

    defence = next(row for row in summary["lecture"] if row["key"] == "defence_pact")
    allied = [r for r in rounds if r["a"] == 1]
    alone = [r for r in rounds if r["a"] == 0]
    rate = lambda rs: sum(r["terminal"] != "SQ" for r in rs) / len(rs)  # noqa: E731
    assert defence["class"] == pytest.approx(rate(allied) / rate(alone) - 1)
    assert defence["value"] == -0.28 and defence["verified"] is False


def test_choice_shares_at_every_node_count_only_students(played):
    class_session, report = played
    rounds = by_hand(class_session)
    moves = [m for r in rounds for m in r["moves"]]
    kinds = Counter(e.kind for e in Event.objects.filter(round__class_session=class_session))
    assert kinds["move"] == len(moves) and kinds["timeout"] > 0 and kinds["bot"] > 0
    nodes = {row["node"]: row for row in report.node_shares()}
    by_node: dict[str, Counter] = defaultdict(Counter)
    by_set: dict[str, Counter] = defaultdict(Counter)
    for event, a, theta in moves:
        by_node[event.node][event.action] += 1
        key = event.node if event.node == "alliance" else f"{event.node}/a{a}"
        by_set[key + (f"/{theta}" if event.role == "us" else "")][event.action] += 1
    assert set(nodes) == set(by_node)
    for node, counts in by_node.items():
        assert nodes[node]["n"] == sum(counts.values())
        assert {a: v["count"] for a, v in nodes[node]["actions"].items() if v["count"]} == dict(counts)
    infosets = report.infoset_shares()
    assert set(infosets) == set(by_set)
    for key, counts in by_set.items():
        assert {a: v["count"] for a, v in infosets[key]["actions"].items() if v["count"]} == dict(counts)
    # theory at the US's intervention node is the §3.2 rule I_theta(a), averaged over the students' decisions
    params = Params.from_mapping(class_session.params)
    decided = [(a, theta) for event, a, theta in moves if event.node == "intervention"]
    if decided:
        expected = sum(params.core().intervenes(theta, a) for a, theta in decided) / len(decided)
        assert nodes["intervention"]["actions"]["intervene"]["theory"] == pytest.approx(expected)


def test_a_students_own_debrief_matches_the_class_counts(played):
    class_session, report = played
    shares = report.infoset_shares()
    student = next(
        p
        for p in class_session.participants.filter(is_bot=False)
        if Event.objects.filter(participant=p, kind="move").exists()
    )
    mine = report.student(str(student.pk))
    own_moves = Event.objects.filter(participant=student).exclude(kind="system")
    assert sum(len(r["decisions"]) for r in mine) == own_moves.count()
    for entry in mine:
        for d in entry["decisions"]:
            if d["kind"] == "move":
                counts = shares[d["infoset"]]
                assert d["class_share"] == pytest.approx(
                    counts["actions"][d["action"]]["count"] / counts["n"]
                )
                assert d["class_n"] == counts["n"]
            assert sum(d["probs"].values()) == pytest.approx(1)


def test_reputation_lines_follow_the_live_carry_over(played):
    class_session, report = played
    lines = report.reputation()
    assert {line["group"] for line in lines} == set(class_session.groups.values_list("number", flat=True))
    for line in lines:
        points = line["points"]
        assert [p["round"] for p in points] == [1, 2, 3, 4]
        for before, after in itertools.pairwise(points):
            assert after["prior"] == pytest.approx(before["pi_next"], abs=1e-6)
        for p in points:
            rnd = Round.objects.get(pk=p["round_id"])
            assert p["prior"] == float(Fraction(rnd.prior)) and p["us_type"] == rnd.us_type
            assert p["mu_after_alliance"] == pytest.approx(rnd.reputation["mu_after_alliance"])
    assert all(r.reputation_matches for r in report.rounds)


def test_rebuilding_from_the_exported_json_gives_the_same_debrief(played):
    _cls, report = played
    data = json.loads(json.dumps(exports.export_json(report)))
    assert class_analysis.rebuild(data) == data["debrief"] == report.as_dict()
    rebuilt = class_log.ClassLog.from_json(data)
    assert rebuilt == report.log
    assert round_report.round_debrief(rebuilt, report.rounds[3].log.id) == round_report.round_debrief(
        report.log, report.rounds[3].log.id
    )


def test_a_tampered_log_is_refused(played):
    _cls, report = played
    data = json.loads(json.dumps(exports.export_json(report)))
    data["rounds"][0]["events"][0]["node"] = "attack"
    with pytest.raises(class_log.LogError):
        class_analysis.rebuild(data)
    with pytest.raises(ValueError, match="class-log"):
        class_analysis.rebuild({"format": "something else"})


def test_unfinished_rounds_are_listed_but_not_counted(baseline_scenario):
    class_session, people = make_class(baseline_scenario, students=3, rounds=2, seed=5)
    services.start_class(class_session.code)
    person, seq, view = mover(people)
    services.submit_move(person.pk, view["round"]["actions"][0], "m1", seq)
    report = class_analysis.class_debrief(load_class(class_session))
    (result,) = report.rounds
    assert not result.finished and len(result.decisions) == 1
    summary = report.summary()
    assert summary["rounds"] == {"total": 1, "finished": 0}
    assert summary["rates"]["general_deterrence"]["rate"] is None
    assert result.as_dict(report.log)["terminal"] is None
