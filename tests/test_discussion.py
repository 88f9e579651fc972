"""Discussion where the discussion happens: questions built from what the class (or the round, or the
student) actually did, each asked only when its fact holds and carrying the class's numbers, plus the
scenario's own questions; shown at the end of the class, round and student debriefs in both languages and
given to the projector at the end of the class."""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterator
from typing import Any

import pytest
from django.utils import translation

from games.crisis.params import AllianceType, Params
from games.debrief import discussion
from games.debrief.cache import class_report
from games.instructor import feeds
from games.models import ClassSession, Round, Scenario
from games.play import services
from games.vocabulary import labels
from games.vocabulary.discussion import ClassFacts, class_questions, round_questions, scenario_questions
from tests.live import make_class, play_first_actions

FULL = {
    "alliance": "alliance",
    "challenge": "challenge",
    "response": "resist",
    "attack": "attack",
    "intervention": "stay_out",
    "arming": "no_arm",
}


@pytest.fixture(autouse=True)
def english() -> Iterator[None]:
    """English unless a test asks otherwise (an earlier test may have left another language active)."""
    with translation.override("en"):
        yield


def facts(rounds: dict[tuple[int, str], int], **scenario: Any) -> ClassFacts:
    return ClassFacts(Counter(rounds), **scenario)


def keys(questions: list[Any]) -> list[str]:
    return [q.key for q in questions]


# --------------------------------------------------------------------------------------------------
# Each question only when its fact holds, with the class's numbers
# --------------------------------------------------------------------------------------------------


def test_tested_alliances_are_compared_with_the_lectures_twenty_percent() -> None:
    questions = class_questions(facts({(1, "WAR_I"): 3, (1, "WAR_S"): 1, (1, "SQ"): 4}))
    honoured = next(q for q in questions if q.key == "honoured")
    assert honoured.text.startswith("3 of 4 tested alliances were honoured and 1 broken")
    assert "about 20 % of commitments broken" in honoured.text
    assert "honoured" not in keys(class_questions(facts({(1, "SQ"): 3, (0, "CON"): 2})))


def test_an_ad_hoc_coalition_raises_the_lectures_first_puzzle() -> None:
    questions = class_questions(facts({(0, "WAR_I"): 2, (0, "CON"): 1}))
    assert keys(questions)[0] == "ad_hoc"
    assert "Rounds in which an ad hoc coalition fought: 2." in questions[0].text
    assert "first puzzle" in questions[0].text
    assert "ad_hoc" not in keys(class_questions(facts({(1, "WAR_I"): 2})))


def test_allied_rounds_challenged_are_set_against_leeds() -> None:
    # 12 allied rounds, 7 challenged (58 %); 4 unallied rounds, all challenged
    rounds = {(1, "SQ"): 5, (1, "WAR_S"): 2, (1, "WAR_I"): 5, (0, "CON"): 4}
    question = next(q for q in class_questions(facts(rounds)) if q.key == "allied_challenged")
    assert "Allied rounds were challenged 58 % of the time (7 of 12)" in question.text
    assert "rounds without an alliance 100 %" in question.text and "28 %" in question.text
    assert "only where deterrence was in doubt" in question.text  # fewer challenges with the alliance
    alone = {(1, "WAR_S"): 2, (1, "SQ"): 1, (0, "SQ"): 3}
    contradiction = next(q for q in class_questions(facts(alone)) if q.key == "allied_challenged")
    assert "does that contradict Leeds" in contradiction.text and "Who chooses to ally" in contradiction.text
    assert "allied_challenged" not in keys(class_questions(facts({(1, "SQ"): 5, (0, "CON"): 2})))


def test_at_most_three_questions_and_never_none_when_rounds_finished() -> None:
    everything = {(1, "WAR_I"): 2, (1, "WAR_S"): 1, (0, "WAR_I"): 1, (0, "CON"): 1, (1, "SQ"): 1}
    assert len(class_questions(facts(everything, tripwire=True))) == 3
    assert keys(class_questions(facts({(0, "SQ"): 4}))) == ["general_deterrence"]
    assert keys(class_questions(facts({(0, "WD"): 1, (0, "WAR_S"): 1}))) == ["immediate_deterrence"]
    assert class_questions(facts({})) == []


def test_an_entente_is_not_called_abandonment() -> None:
    questions = class_questions(facts({(1, "WAR_S"): 2, (1, "WAR_I"): 1}, alliance_type="entente"))
    entente = next(q for q in questions if q.key == "honoured")
    assert "an entente promises consultation, not military aid" in entente.text
    assert "broken" not in entente.text and "political_failure" not in keys(questions)
    assert "consultation pact" in round_questions("ABANDONMENT", [], "entente")[0].text


def test_the_tripwire_question_names_extended_and_direct_deterrence() -> None:
    question = next(q for q in class_questions(facts({(1, "SQ"): 3}, tripwire=True)) if q.key == "tripwire")
    assert "extended deterrence becomes direct deterrence" in question.text
    assert "alliance security dilemma" in question.text and "0 of 3 rounds" in question.text


def test_a_round_asks_about_its_flags_first_then_its_outcome() -> None:
    flags = ["COSTLY_SIGNAL_PAID", "ENTRAPMENT", "TRIPWIRE_TRIGGERED", "BLUFF_CALLED"]
    questions = round_questions("DETERRENCE_FAILED_WAR_US_INTERVENED/alliance_honored", flags)
    assert keys(questions) == ["entrapment", "tripwire", "bluff_called"]
    plain = round_questions("ABANDONMENT", ["COSTLY_SIGNAL_PAID"], amounts={"K": "15", "R": "5"})
    assert keys(plain) == ["outcome", "costly_signal"]
    assert "paid 15 points for the alliance in peacetime (sinking costs)" in plain[1].text
    assert "5 for abandoning Japan (tying hands)" in plain[1].text
    assert round_questions("ABANDONMENT", ["COSTLY_SIGNAL_PAID"]) == round_questions("ABANDONMENT", [])


def test_every_outcome_raises_a_question() -> None:
    for key in labels.outcome_keys():
        assert len(round_questions(key, [])) == 1, key


def test_the_scenarios_questions_are_one_a_line() -> None:
    assert [q.text for q in scenario_questions("Why?\n\n  How?  \n")] == ["Why?", "How?"]


def test_the_questions_speak_japanese() -> None:
    with translation.override("ja"):
        questions = class_questions(facts({(1, "WAR_I"): 3, (1, "WAR_S"): 1, (0, "WAR_I"): 1}))
    text = " ".join(q.text for q in questions)
    assert "試された同盟 4 件のうち 3 件が履行され、1 件が反故にされた" in text
    assert "有志連合" in text and "講義の同盟のパズル1" in text


# --------------------------------------------------------------------------------------------------
# The same facts from the class report and from the rounds the projector counts
# --------------------------------------------------------------------------------------------------


@pytest.fixture
def finished(db: None) -> ClassSession:
    """A finished baseline class of six students in two groups, every decision from FULL (alliances
    attacked and abandoned)."""
    class_session, people = make_class(Scenario.objects.get(slug="baseline"), students=6, rounds=2, seed=3)
    services.start_class(class_session.code)
    play_first_actions(class_session, people, choose=lambda view: FULL[view["round"]["node"]])
    class_session.refresh_from_db()
    assert class_session.status == ClassSession.Status.FINISHED
    return class_session


def test_the_report_and_the_rounds_give_the_same_facts(finished: ClassSession) -> None:
    report = class_report(finished)
    from_report = discussion.class_facts(report)
    rows = Round.objects.filter(class_session=finished).values_list("state__alliance", "state__result")
    assert from_report == ClassFacts.from_rounds(rows)
    assert from_report.count() == report["rounds"]["finished"] == 4
    assert feeds.discussion(finished)["class"] == discussion.class_discussion(report, "")["class"]


def test_the_projector_gets_the_discussion_only_at_the_end(finished: ClassSession) -> None:
    snapshot = feeds.projector_snapshot(finished)
    assert [q["key"] for q in snapshot["discussion"]["class"]] == ["honoured", "allied_challenged"]
    assert snapshot["discussion"]["scenario"] == [
        {"key": "scenario", "text": line} for line in finished.scenario.questions_en.splitlines()
    ]
    running, _people = make_class(Scenario.objects.get(slug="baseline"), students=3, rounds=1, seed=5)
    assert "discussion" not in feeds.projector_snapshot(running)


def test_a_students_question_is_about_their_first_move_off_the_benchmark() -> None:
    mine = [
        {
            "round": 2,
            "decisions": [
                {
                    "kind": "move",
                    "deviation": False,
                    "node": "alliance",
                    "infoset": "alliance/R",
                    "action": "alliance",
                    "probs": {"alliance": 1.0},
                },
                {
                    "kind": "move",
                    "deviation": True,
                    "node": "intervention",
                    "infoset": "intervention/a1/N",
                    "action": "intervene",
                    "probs": {"stay_out": 1.0},
                },
            ],
        }
    ]
    (question,) = discussion._your_question(mine)
    assert question.text == (
        "In round 2, at the US decision to intervene (after an alliance, non-resolute US), you chose "
        "“Intervene” where theory predicted “Stay out”: what did you expect the other players to do?"
    )
    mine[0]["decisions"].pop()
    assert "did you reason as the model does" in discussion._your_question(mine)[0].text
    assert discussion._your_question([]) == []


def test_a_round_uses_the_treatys_cost_of_abandoning(finished: ClassSession) -> None:
    from games.debrief import round_report
    from games.debrief.load import load_class

    rnd = Round.objects.filter(class_session=finished).first()
    data = round_report.round_debrief(load_class(finished, round_ids=[rnd.pk]), rnd.pk)
    params = Params.from_mapping(finished.params)
    questions = discussion.round_discussion(data, params, finished.scenario.questions_en)
    costly = next(q for q in questions["round"] if q["key"] == "costly_signal")
    assert "paid 15 points for the alliance" in costly["text"]
    assert "would have paid 5 for abandoning Japan" in costly["text"]
    assert len(questions["scenario"]) == 2


# --------------------------------------------------------------------------------------------------
# The pages
# --------------------------------------------------------------------------------------------------


@pytest.mark.django_db
def test_the_debriefs_end_with_the_discussion_in_both_languages(finished: ClassSession, staff: Any) -> None:
    code = finished.code
    page = staff.get(f"/instructor/classes/{code}/debrief/").content.decode()
    tail = page[page.index('id="rounds"') :]
    assert (
        'id="discussion"' in tail and 'data-questions="class"' in tail and 'data-questions="scenario"' in tail
    )
    assert "0 of 4 tested alliances were honoured and 4 broken" in tail
    assert "Why sign a treaty that may be broken?" in tail
    japanese = staff.get(
        f"/instructor/classes/{code}/debrief/", headers={"accept-language": "ja"}
    ).content.decode()
    assert "議論のための問い" in japanese and "反故にされうる条約をなぜ結ぶのか。" in japanese
    rnd = Round.objects.filter(class_session=finished).first()
    round_page = staff.get(f"/instructor/classes/{code}/rounds/{rnd.pk}/").content.decode()
    assert 'data-questions="round"' in round_page and 'data-question="costly_signal"' in round_page
    assert round_page.rindex('id="discussion"') > round_page.rindex('id="round-reputation"')


@pytest.mark.django_db
def test_the_student_debrief_ends_with_questions_and_the_lectures_terms(finished: ClassSession) -> None:
    services.release_debrief(finished.code)
    student = finished.participants.filter(is_bot=False).first()
    page = student_page(finished, student)
    assert 'data-questions="you"' in page and 'data-questions="class"' in page
    assert 'data-table="glossary"' in page and "拡大抑止" in page and "extended deterrence" in page
    assert page.index('id="outcomes"') < page.index('id="discussion"') < page.index('id="glossary"')
    japanese = student_page(finished, student, "ja")
    assert "あなたの決定について" in japanese and "危機そのものを起こさせない抑止。" in japanese


def student_page(class_session: ClassSession, participant: Any, language: str = "en") -> str:
    """The student's debrief as that student's browser sees it."""
    from django.test import Client

    from games.play import identity

    browser = Client()
    session = browser.session
    session[identity.CLASSES] = {class_session.code: str(participant.pk)}
    session.save()
    response = browser.get(f"/play/debrief/?code={class_session.code}", headers={"accept-language": language})
    assert response.status_code == 200
    return response.content.decode()


@pytest.mark.django_db
def test_an_entente_class_is_told_the_us_consulted_rather_than_abandoned(staff: Any) -> None:
    params = Params().replace(alliance_type=AllianceType.ENTENTE).as_dict(exact=True)
    scenario = Scenario.objects.create(slug="entente-test", name_en="e", name_ja="e", params=params)
    class_session, people = make_class(scenario, students=3, rounds=1, seed=2)
    services.start_class(class_session.code)
    play_first_actions(class_session, people, choose=lambda view: FULL[view["round"]["node"]])
    page = staff.get(f"/instructor/classes/{class_session.code}/debrief/").content.decode()
    assert "the US consulted but stayed out (entente)" in page
    assert "the United States stayed out, as an entente allows: 1." in page
    assert "an entente promises consultation, not military aid" in page
    assert str(labels.OUTCOMES["ABANDONMENT"].name) not in page
