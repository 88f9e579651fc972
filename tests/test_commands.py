"""`manage.py create_class` and `start_class` (DESIGN.md "Commands (contract)"), and the demo class that
`seed_demo` (so `make run`) opens. `play_bots` is covered by tests/test_client.py and tests/e2e/."""

from __future__ import annotations

from io import StringIO
from typing import Any

import pytest
from django.core.management import CommandError, call_command

from games import services
from games.demo import DEMO_CODE, create_demo_class
from games.models import JOIN_CODE_ALPHABET, ClassSession, Round, Scenario

pytestmark = pytest.mark.django_db


def run(*args: str) -> tuple[str, str]:
    out, err = StringIO(), StringIO()
    call_command(*args, stdout=out, stderr=err)
    return out.getvalue(), err.getvalue()


def create(*args: str) -> ClassSession:
    out, _ = run("create_class", "--scenario", "baseline", *args)
    return ClassSession.objects.get(code=out.strip())


# ----- create_class --------------------------------------------------------------------------------
def test_prints_only_the_join_code_on_stdout(baseline_scenario: Scenario) -> None:
    out, err = run("create_class", "--scenario", "baseline")
    code = out.strip()
    assert out == code + "\n"
    assert len(code) == 6 and set(code) <= set(JOIN_CODE_ALPHABET)
    cls = ClassSession.objects.get(code=code)
    assert (cls.status, cls.rounds, cls.autostart, cls.scenario) == ("lobby", 3, None, baseline_scenario)
    assert cls.params == baseline_scenario.params
    assert cls.decision_seconds == baseline_scenario.decision_seconds
    assert f"start_class {code}" in err


def test_options_set_the_class_up(baseline_scenario: Scenario) -> None:
    cls = create(
        "--rounds", "5", "--code", "abcd23", "--autostart", "6", "--matching", "random",
        "--decision-seconds", "2", "--result-seconds", "1", "--grace-seconds", "4", "--no-bots",
        "--bot-strategy", "hawkish", "--bot-seconds", "0.5", "--max-students", "12",
    )  # fmt: skip
    assert cls.code == "ABCD23"
    assert (cls.rounds, cls.autostart, cls.matching) == (5, 6, "random")
    assert (cls.decision_seconds, cls.result_seconds, cls.grace_seconds) == (2, 1, 4)
    assert (cls.bots_fill, cls.bot_strategy, cls.bot_seconds, cls.max_students) == (False, "hawkish", 0.5, 12)


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["--scenario", "nope"], r"No scenario with slug 'nope' \(known: .*baseline"),
        (["--scenario", "baseline", "--code", "AB"], "4-12 letters and digits"),
        (["--scenario", "baseline", "--code", "AB-CD"], "4-12 letters and digits"),
        (["--scenario", "baseline", "--rounds", "51"], "rounds"),
        (["--scenario", "baseline", "--decision-seconds", "4000"], "decision_seconds"),
    ],
)
def test_bad_options_are_refused_with_a_reason(
    baseline_scenario: Scenario, args: list[str], message: str
) -> None:
    with pytest.raises(CommandError, match=message):
        run("create_class", *args)
    assert not ClassSession.objects.exists()


def test_a_code_already_taken_is_refused(baseline_scenario: Scenario) -> None:
    create("--code", "TAKEN2")
    with pytest.raises(CommandError, match="already exists"):
        create("--code", "taken2")


def test_a_scenario_with_broken_parameters_is_refused(baseline_scenario: Scenario) -> None:
    Scenario.objects.create(slug="broken", name_en="Broken", name_ja="壊れた", params={"p": "2"})
    with pytest.raises(CommandError, match="invalid parameters"):
        run("create_class", "--scenario", "broken")


def test_with_autostart_the_class_starts_and_runs_by_itself(baseline_scenario: Scenario) -> None:
    cls = create("--autostart", "3", "--rounds", "2", "--result-seconds", "0", "--bot-seconds", "0")
    for i in range(3):
        services.join_class(cls.code, f"Student {i}", f"browser-{i}")
    cls.refresh_from_db()
    assert (cls.status, cls.current_round) == ("running", 1)
    from tests.live import play_first_actions

    people = list(cls.participants.filter(is_bot=False))
    play_first_actions(cls, people)  # students act; the clock and the next round need nobody
    cls.refresh_from_db()
    assert (cls.status, cls.current_round) == ("finished", 2)


# ----- start_class ---------------------------------------------------------------------------------
def test_start_class_starts_round_one_with_bots_in_empty_seats(baseline_scenario: Scenario) -> None:
    cls = create()
    for i in range(4):
        services.join_class(cls.code, f"Student {i}", f"browser-{i}")
    out, _ = run("start_class", cls.code.lower())
    cls.refresh_from_db()
    assert (cls.status, cls.current_round) == ("running", 1)
    assert Round.objects.filter(class_session=cls, number=1).count() == 2
    assert f"Started class {cls.code}: round 1 of 3, 2 group(s), 4 student(s) and 2 bot(s)." in out


def test_start_class_refuses_an_unknown_or_started_class(baseline_scenario: Scenario) -> None:
    with pytest.raises(CommandError, match="no class with code NOPE99"):
        run("start_class", "NOPE99")
    cls = create()
    services.join_class(cls.code, "Aiko", "browser-1")
    run("start_class", cls.code)
    with pytest.raises(CommandError, match="already started"):
        run("start_class", cls.code)


def test_start_class_refuses_an_empty_class_without_bots(baseline_scenario: Scenario) -> None:
    cls = create("--no-bots")
    with pytest.raises(CommandError, match="Nobody has joined"):
        run("start_class", cls.code)


# ----- the demo class (seed_demo, make run) -------------------------------------------------------
@pytest.fixture
def debug_on(settings: Any) -> None:
    settings.DEBUG = True


def test_seed_demo_opens_the_demo_class_and_prints_its_join_link(
    baseline_scenario: Scenario, debug_on: None
) -> None:
    out, _ = run("seed_demo", "--base-url", "http://127.0.0.1:8123/")
    assert f"Demo class code: {DEMO_CODE}" in out
    assert f"http://127.0.0.1:8123/?code={DEMO_CODE}" in out
    cls = ClassSession.objects.get(code=DEMO_CODE)
    assert (cls.scenario.slug, cls.status, cls.autostart, cls.bots_fill) == ("baseline", "lobby", 1, True)
    assert cls.created_by is not None and cls.created_by.username == "instructor"


def test_the_demo_code_is_in_the_join_code_alphabet() -> None:
    assert set(DEMO_CODE) <= set(JOIN_CODE_ALPHABET)


def test_seeding_again_keeps_a_demo_class_in_play(baseline_scenario: Scenario, debug_on: None) -> None:
    run("seed_demo")
    services.join_class(DEMO_CODE, "Aiko", "browser-1")  # autostart 1: it starts, with bots
    run("seed_demo")
    classes = ClassSession.objects.filter(code=DEMO_CODE)
    assert classes.count() == 1 and classes.get().status == "running"
    assert ClassSession.objects.count() == 1


def test_a_finished_demo_class_keeps_its_history_and_a_fresh_one_takes_the_code(
    baseline_scenario: Scenario, debug_on: None
) -> None:
    run("seed_demo")
    first = ClassSession.objects.get(code=DEMO_CODE)
    services.join_class(DEMO_CODE, "Aiko", "browser-1")
    services.end_class(DEMO_CODE)
    run("seed_demo")
    first.refresh_from_db()
    assert first.code != DEMO_CODE and first.status == "finished"
    assert first.participants.filter(name="Aiko").exists()
    fresh = ClassSession.objects.get(code=DEMO_CODE)
    assert fresh.pk != first.pk and fresh.status == "lobby"


def test_no_demo_class_without_the_baseline_scenario(debug_on: None) -> None:
    from django.contrib.auth import get_user_model

    Scenario.objects.filter(slug="baseline").delete()
    user = get_user_model().objects.create(username="someone")
    assert create_demo_class(user) is None
