"""`manage.py create_class` and `start_class` (DESIGN.md "Commands (contract)"), and the demo class that
`seed_demo` (so `make run`) opens. `play_bots` is covered by tests/test_client.py,
tests/test_play_bots_join_retry.py and tests/e2e/."""

from __future__ import annotations

from io import StringIO
from typing import Any

import pytest
from django.core.management import CommandError, call_command

from games.instructor.demo import DEMO_CODE, create_demo_class
from games.models import JOIN_CODE_ALPHABET, ClassSession, Round, Scenario
from games.play import services

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
    class_session = ClassSession.objects.get(code=code)
    assert (class_session.status, class_session.rounds, class_session.autostart, class_session.scenario) == (
        "lobby",
        3,
        None,
        baseline_scenario,
    )
    assert class_session.params == baseline_scenario.params
    assert class_session.decision_seconds == baseline_scenario.decision_seconds
    assert f"start_class {code}" in err


def test_options_set_the_class_up(baseline_scenario: Scenario) -> None:
    class_session = create(
        "--rounds", "5", "--code", "abcd23", "--autostart", "6", "--matching", "random",
        "--decision-seconds", "2", "--result-seconds", "1", "--grace-seconds", "4", "--no-bots",
        "--bot-strategy", "hawkish", "--bot-seconds", "0.5", "--max-students", "12",
    )  # fmt: skip
    assert class_session.code == "ABCD23"
    assert (class_session.rounds, class_session.autostart, class_session.matching) == (5, 6, "random")
    assert (class_session.decision_seconds, class_session.result_seconds, class_session.grace_seconds) == (
        2,
        1,
        4,
    )
    assert (
        class_session.bots_fill,
        class_session.bot_strategy,
        class_session.bot_seconds,
        class_session.max_students,
    ) == (False, "hawkish", 0.5, 12)


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
    class_session = create("--autostart", "3", "--rounds", "2", "--result-seconds", "0", "--bot-seconds", "0")
    for i in range(3):
        services.join_class(class_session.code, f"Student {i}", f"browser-{i}")
    class_session.refresh_from_db()
    assert (class_session.status, class_session.current_round) == ("running", 1)
    from tests.live import play_first_actions

    people = list(class_session.participants.filter(is_bot=False))
    play_first_actions(class_session, people)  # students act; the clock and the next round need nobody
    class_session.refresh_from_db()
    assert (class_session.status, class_session.current_round) == ("finished", 2)


# ----- start_class ---------------------------------------------------------------------------------
def test_start_class_starts_round_one_with_bots_in_empty_seats(baseline_scenario: Scenario) -> None:
    class_session = create()
    for i in range(4):
        services.join_class(class_session.code, f"Student {i}", f"browser-{i}")
    out, _ = run("start_class", class_session.code.lower())
    class_session.refresh_from_db()
    assert (class_session.status, class_session.current_round) == ("running", 1)
    assert Round.objects.filter(class_session=class_session, number=1).count() == 2
    assert f"Started class {class_session.code}: round 1 of 3, 2 group(s), 4 student(s) and 2 bot(s)." in out


def test_start_class_refuses_an_unknown_or_started_class(baseline_scenario: Scenario) -> None:
    with pytest.raises(CommandError, match="no class with code NOPE99"):
        run("start_class", "NOPE99")
    class_session = create()
    services.join_class(class_session.code, "Aiko", "browser-1")
    run("start_class", class_session.code)
    with pytest.raises(CommandError, match="already started"):
        run("start_class", class_session.code)


def test_start_class_refuses_an_empty_class_without_bots(baseline_scenario: Scenario) -> None:
    class_session = create("--no-bots")
    with pytest.raises(CommandError, match="Nobody has joined"):
        run("start_class", class_session.code)


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
    class_session = ClassSession.objects.get(code=DEMO_CODE)
    assert (
        class_session.scenario.slug,
        class_session.status,
        class_session.autostart,
        class_session.bots_fill,
    ) == ("baseline", "lobby", 1, True)
    assert class_session.created_by is not None and class_session.created_by.username == "instructor"


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


# ----- seed_demo served to the room (make classroom) -------------------------------------------------------
@pytest.fixture
def classroom(settings: Any, tmp_path: Any, monkeypatch: pytest.MonkeyPatch) -> Any:
    """Classroom mode as `make classroom` runs it: DEBUG off, a private state directory."""
    settings.DEBUG = False
    settings.CLASSROOM = True
    settings.STATE_DIR = tmp_path / "state"
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
    monkeypatch.delenv("DEMO_INSTRUCTOR_PASSWORD", raising=False)
    return settings.STATE_DIR


def test_served_to_the_room_the_instructor_gets_a_kept_random_password(
    baseline_scenario: Scenario, classroom: Any
) -> None:
    import stat

    from django.contrib.auth import authenticate

    out, _ = run("seed_demo", "--base-url", "http://192.0.2.50:8000")
    password = (classroom / "instructor_password").read_text().strip()
    assert f"instructor login: instructor / {password}" in out
    assert password != "crisis-table" and len(password) >= 12
    assert stat.S_IMODE((classroom / "instructor_password").stat().st_mode) == 0o600
    assert authenticate(username="instructor", password=password) is not None
    assert authenticate(username="instructor", password="crisis-table") is None
    again, _ = run("seed_demo", "--base-url", "http://192.0.2.50:8000")
    assert f"instructor / {password}" in again  # the same one at every start
    assert f"http://192.0.2.50:8000/?code={DEMO_CODE}" in out


def test_served_to_the_room_a_password_from_the_environment_wins(
    baseline_scenario: Scenario, classroom: Any, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("DEMO_INSTRUCTOR_PASSWORD", "chosen-by-the-teacher")
    out, _ = run("seed_demo")
    assert "instructor / chosen-by-the-teacher" in out
    assert not (classroom / "instructor_password").exists()
