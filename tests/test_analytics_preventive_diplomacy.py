"""Module D in the class debrief: how often preventive diplomacy defused the stand-offs it met, with an
alliance behind Japan and without, beside the model's chance phi_a(e) (crisis-model.md §9.2-§9.3).

The first tests build a class log by hand (no database): rounds of scenario D1 whose moves and seeds are
chosen so that every draw is known in advance, and whose statistics are worked out below from the spec's
formula for phi, with nothing of the analysis.  The page tests play a D1 class through the services and
count the draws from the live snapshots, which the debrief never reads."""

from __future__ import annotations

import json
from fractions import Fraction
from typing import Any

import pytest
from django.test import Client

from games.crisis import game
from games.crisis.params import Params
from games.debrief import class_analysis, class_log, exports
from games.models import ClassSession, Round, Scenario
from games.play import services
from tests.live import make_class, play_first_actions

D1 = "arf-d1-both-build-confidence"
D1_PARAMS = Params().replace(arf=True)  # Example D1 is Module D at its defaults (§9.8)
PHI0, DPHI1, DPHIC, PSI = Fraction(0), Fraction(1, 2), Fraction(1, 5), Fraction(1, 2)  # §9.2 defaults
SEATS = {"japan": "p-japan", "us": "p-us", "challenger": "p-challenger"}


def phi(e: tuple[int, int], a: int) -> Fraction:
    """§9.2: phi(e) = phi0 + e1 dphi1 + eC dphiC, kept in full behind an alliance and at psi without."""
    full = PHI0 + e[0] * DPHI1 + e[1] * DPHIC
    return full if a else PSI * full


def seed_where(defuses: bool, start: int) -> str:
    """A round seed whose draw is the same whatever D1's chance (all lie in [1/10, 7/10] when positive): it
    defuses even at 1/10, or fails even at 7/10 (bounded search over the engine's seeded draw)."""
    for n in range(start, start + 5000):
        seed = f"hand:{n}"
        if defuses and game.draw_preventive_diplomacy(seed, Fraction(1, 10)):
            return seed
        if not defuses and not game.draw_preventive_diplomacy(seed, Fraction(7, 10)):
            return seed
    raise AssertionError("no such seed")


# (CBM choices e, alliance a, the rest of the round after the alliance decision, draw wanted or None).
# Every round resisting a challenge reaches the draw; "LOW" seeds defuse, "HIGH" ones fail, except that a
# chance of 0 (no CBMs) never defuses.
PLAN: list[tuple[tuple[int, int], int, tuple[str, ...], bool | None]] = [
    ((1, 1), 1, ("challenge", "resist"), True),  # defused, phi 7/10
    ((1, 1), 1, ("challenge", "resist", "attack", "intervene"), False),  # failed, phi 7/10
    ((1, 0), 1, ("challenge", "resist"), True),  # defused, phi 1/2
    ((1, 1), 0, ("challenge", "resist"), True),  # defused, phi 7/20
    ((1, 1), 0, ("challenge", "resist", "withdraw"), False),  # failed, phi 7/20
    ((0, 1), 0, ("challenge", "resist", "attack", "stay_out"), False),  # failed, phi 1/10
    ((0, 0), 0, ("challenge", "resist", "attack", "stay_out"), True),  # a LOW seed, but phi 0: failed
    ((1, 1), 1, ("status_quo",), None),  # no challenge: no draw
    ((1, 0), 0, ("challenge", "concede"), None),  # Japan conceded: no draw
    ((1, 1), 0, ("challenge",), None),  # unfinished: Japan has not responded yet
]


NODE_OF = {
    "challenge": "challenge",
    "status_quo": "challenge",
    "resist": "response",
    "concede": "response",
    "attack": "attack",
    "withdraw": "attack",
    "intervene": "intervention",
    "stay_out": "intervention",
}


def events(e: tuple[int, int] | None, a: int, rest: tuple[str, ...]) -> tuple[class_log.EventLog, ...]:
    """The round's engine events, as live play logs them (the ARF's draw is the engine's, not an event);
    e = None: no stage 0 (Module D off)."""
    actions = []
    if e is not None:
        actions += [
            ("cbm_japan", "cbm" if e[0] else "no_cbm"),
            ("cbm_challenger", "cbm" if e[1] else "no_cbm"),
        ]
    actions.append(("alliance", "alliance" if a else "no_alliance"))
    actions += [(NODE_OF[action], action) for action in rest]
    return tuple(
        class_log.EventLog(
            seq=i + 1,
            kind="move",
            node=node,
            role=game.MOVER[node],
            action=action,
            participant=SEATS[game.MOVER[node]],
        )
        for i, (node, action) in enumerate(actions)
    )


def constructed_log(plan: list, params: Params = D1_PARAMS) -> class_log.ClassLog:
    """One group's rounds; a round whose moves stop at the challenge is still being played."""
    rounds = []
    for i, (e, a, rest, defuses) in enumerate(plan):
        seed = seed_where(defuses, 1000 * i) if defuses is not None else f"hand:none:{i}"
        rounds.append(
            class_log.RoundLog(
                id=i + 1, number=i + 1, group=1, prior=Fraction(1, 2), us_type="N", seed=seed, seats=SEATS,
                status="playing" if rest[-1] == "challenge" else "finished", events=events(e, a, rest),
            )
        )  # fmt: skip
    people = {pid: class_log.ParticipantLog(pid, role.title(), False) for role, pid in SEATS.items()}
    return class_log.ClassLog(
        code="HAND1", params=params.as_dict(exact=True), meta={}, participants=people, rounds=tuple(rounds)
    )


@pytest.fixture(scope="module")
def report() -> class_analysis.ClassDebrief:
    return class_analysis.class_debrief(constructed_log(PLAN))


def test_the_constructed_rounds_replay_as_planned(report: class_analysis.ClassDebrief) -> None:
    """The premise of the counts below: each round reached (or not) the draw the plan says."""
    draws = [r.state.arf_draw for r in report.rounds]
    wanted = [
        None if defuses is None else ("defused" if defuses and phi(e, a) else "failed")
        for e, a, _rest, defuses in PLAN
    ]
    assert draws == wanted
    assert [r.finished for r in report.rounds] == [True] * 9 + [False]
    assert [r.state.cbm for r in report.rounds] == [e for e, *_ in PLAN]


def test_defusals_with_and_without_the_alliance_equal_counting_by_hand(
    report: class_analysis.ClassDebrief,
) -> None:
    stats = report.preventive_diplomacy()
    assert stats is not None
    allied, alone = stats["rows"]
    # With the alliance: rounds 1-3 reached the draw; 1 and 3 were defused.
    # Model: (7/10 + 7/10 + 1/2) / 3 = 19/30.
    assert allied["alliance"] == 1
    assert (allied["n"], allied["defused"], allied["failed"]) == (3, 2, 1)
    assert allied["rate"] == pytest.approx(2 / 3)
    assert Fraction(allied["theory_exact"]) == Fraction(19, 30) == (2 * phi((1, 1), 1) + phi((1, 0), 1)) / 3
    assert allied["theory"] == pytest.approx(19 / 30)
    # Without: rounds 4-7 reached the draw; only 4 was defused (7 had chance 0: no CBMs).
    # Model: (7/20 + 7/20 + 1/10 + 0) / 4 = 1/5.
    assert alone["alliance"] == 0
    assert (alone["n"], alone["defused"], alone["failed"]) == (4, 1, 3)
    assert alone["rate"] == pytest.approx(1 / 4)
    assert Fraction(alone["theory_exact"]) == Fraction(1, 5)
    # Both: 3 of 7 defused, model (19/10 + 4/5) / 7 = 27/70.
    total = stats["total"]
    assert (total["n"], total["defused"], total["rate"]) == (7, 3, pytest.approx(3 / 7))
    assert Fraction(total["theory_exact"]) == Fraction(27, 70)


def test_the_split_by_cbm_choices_gives_each_level_its_own_chance(
    report: class_analysis.ClassDebrief,
) -> None:
    stats = report.preventive_diplomacy()
    assert stats is not None
    allied, alone = stats["rows"]
    by_hand = {
        1: {"e10": (1, 1, phi((1, 0), 1)), "e11": (2, 1, phi((1, 1), 1))},
        0: {"e00": (1, 0, phi((0, 0), 0)), "e01": (1, 0, phi((0, 1), 0)), "e11": (2, 1, phi((1, 1), 0))},
    }
    for row in (allied, alone):
        found = {c["cbm"]: (c["n"], c["defused"], Fraction(c["theory_exact"])) for c in row["by_cbm"]}
        assert found == by_hand[row["alliance"]]
        assert all(c["phi"] == pytest.approx(c["theory"]) for c in row["by_cbm"])
    assert [c["phi"] for c in alone["by_cbm"]] == pytest.approx([0, 0.1, 0.35])


def test_the_scenario_chances_are_those_at_the_benchmark_cbm_choices(
    report: class_analysis.ClassDebrief,
) -> None:
    """D1's benchmark stage 0 is (cbm, cbm) (§9.8): 7/10 behind an alliance, 7/20 without."""
    stats = report.preventive_diplomacy()
    assert stats is not None
    assert stats["benchmark"] == {"cbm": "e11", "a1": 0.7, "a0": 0.35}
    assert report.summary()["scenario"]["module_d"] is True


def test_the_json_export_carries_the_figures_and_rebuilds_them(report: class_analysis.ClassDebrief) -> None:
    data = json.loads(json.dumps(exports.export_json(report)))
    assert data["debrief"]["preventive_diplomacy"] == report.preventive_diplomacy()
    assert class_analysis.rebuild(data)["preventive_diplomacy"] == data["debrief"]["preventive_diplomacy"]


def test_a_class_without_module_d_has_no_figures() -> None:
    log = constructed_log([(None, 1, ("challenge", "resist", "attack", "intervene"), None)], params=Params())
    report = class_analysis.class_debrief(log)
    assert report.rounds[0].terminal == "WAR_I"
    assert report.preventive_diplomacy() is None
    assert report.summary()["preventive_diplomacy"] is None
    assert report.summary()["scenario"]["module_d"] is False


# --------------------------------------------------------------------------------------------------
# The pages (a D1 class played through the services)
# --------------------------------------------------------------------------------------------------
RESIST = {"cbm_japan": "cbm", "cbm_challenger": "cbm", "challenge": "challenge", "response": "resist",
          "attack": "attack", "intervention": "stay_out"}  # fmt: skip


@pytest.fixture
def d1_class(db: None) -> tuple[ClassSession, list[Client]]:
    """Six rounds of D1 by three students who joined from three browsers; the US allies in odd rounds only,
    both sides adopt CBMs, the Challenger challenges and Japan resists: every round reaches the draw."""
    class_session = services.create_class(Scenario.objects.get(slug=D1), rounds=6, seed=21, bot_seconds=0)
    browsers = [Client() for _ in range(3)]
    for i, browser in enumerate(browsers):
        joined = browser.post("/join", {"code": class_session.code, "name": f"Student {i + 1}"})
        assert joined.status_code == 302
    services.start_class(class_session.code)

    def choose(view: dict[str, Any]) -> str:
        node = view["round"]["node"]
        if node == "alliance":
            return "alliance" if view["round"]["number"] % 2 else "no_alliance"
        return RESIST[node]

    play_first_actions(class_session, list(class_session.participants.all()), choose=choose)
    class_session.refresh_from_db()
    assert class_session.status == ClassSession.Status.FINISHED
    return class_session, browsers


def snapshot_counts(class_session: ClassSession) -> dict[str, tuple[int, int]]:
    """(draws, defused) by alliance decision, read from the live snapshots' public histories."""
    counts = {"a1": [0, 0], "a0": [0, 0]}
    for rnd in Round.objects.filter(class_session=class_session):
        draw = next((e["action"] for e in rnd.state["history"] if e.get("auto") == "arf"), None)
        allied = any(e["node"] == "alliance" and e["action"] == "alliance" for e in rnd.state["history"])
        if draw is not None:
            row = counts["a1" if allied else "a0"]
            row[0] += 1
            row[1] += draw == "defused"
    return {key: (n, k) for key, (n, k) in counts.items()}


@pytest.mark.django_db
def test_the_class_page_shows_the_draws_with_and_without_the_alliance(staff, d1_class) -> None:
    class_session, _browsers = d1_class
    counts = snapshot_counts(class_session)
    assert counts["a1"][0] == 3 and counts["a0"][0] == 3  # every round reached the draw
    page = staff.get(f"/instructor/classes/{class_session.code}/debrief/").content.decode()
    assert 'id="preventive-diplomacy"' in page and 'data-arf-benchmark="e11"' in page
    for key, (n, k) in counts.items():
        chance = "0.7" if key == "a1" else "0.35"  # every round at e = (1, 1)
        assert f'data-arf-row="{key}" data-n="{n}" data-defused="{k}"' in page
        assert f'data-theory="{chance}"' in page
    assert f'data-arf-row="all" data-n="6" data-defused="{counts["a1"][1] + counts["a0"][1]}"' in page
    assert "70.0 % with the alliance behind Japan, 35.0 % without" in page
    japanese = staff.get(
        f"/instructor/classes/{class_session.code}/debrief/", headers={"accept-language": "ja"}
    )
    assert "予防外交：同盟がある場合とない場合" in japanese.content.decode()


@pytest.mark.django_db
def test_students_see_the_figures_once_released_and_a_core_class_has_none(
    staff, d1_class, baseline_scenario
) -> None:
    class_session, browsers = d1_class
    assert 'data-table="preventive-diplomacy"' not in browsers[0].get("/play/debrief/").content.decode()
    services.release_debrief(class_session.code)
    assert 'data-table="preventive-diplomacy"' in browsers[0].get("/play/debrief/").content.decode()

    core, people = make_class(baseline_scenario, students=3, rounds=1, seed=3)
    services.start_class(core.code)
    play_first_actions(core, people)
    page = staff.get(f"/instructor/classes/{core.code}/debrief/").content.decode()
    assert 'data-table="outcomes"' in page and 'id="preventive-diplomacy"' not in page
