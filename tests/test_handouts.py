"""The printable handouts (issue 18): every library scenario's role briefings and answer key, in English and
Japanese, on A4 and Letter; each briefing holds only what its role may know; the answer key's sentences are
the engine's claims; the page is self-contained (no script, no external file); staff only."""

from __future__ import annotations

import html
import re
from typing import Any

import pytest
from django.test import Client
from django.utils import translation

from games.crisis import claims
from games.crisis.solver import solve
from games.instructor import handouts, prediction
from games.models import Scenario
from games.play.strings import play_strings
from games.vocabulary import theory
from games.vocabulary.numbers import percent

pytestmark = pytest.mark.django_db

ROLES = ("japan", "us", "challenger")
URL = "/instructor/scenarios/{slug}/handouts/"


def library() -> list[Scenario]:
    return list(Scenario.objects.order_by("slug"))


def page(client: Client, slug: str, **query: str) -> tuple[int, str]:
    response = client.get(URL.format(slug=slug), query)
    return response.status_code, response.content.decode()


def sheets(text: str) -> dict[str, str]:
    """The page's sheets by name: "japan", "us", "challenger" (the briefings) and "key"."""
    out = {}
    for chunk in re.split(r'(?=<section class="sheet)', text)[1:]:
        role = re.search(r'data-role="(\w+)"', chunk.split(">", 1)[0])
        out[role.group(1) if role else "key"] = chunk.split("</section>", 1)[0]
    return out


def escaped(text: str) -> str:
    return html.escape(text, quote=True)


def test_the_library_is_there() -> None:
    assert len(library()) >= 10


@pytest.mark.parametrize("lang", ["en", "ja"])
@pytest.mark.parametrize("paper", ["a4", "letter"])
def test_every_scenario_prints_in_both_languages_on_both_papers(staff: Client, lang: str, paper: str) -> None:
    size = {"a4": "A4", "letter": "letter"}[paper]
    for scenario in library():
        status, text = page(staff, scenario.slug, lang=lang, paper=paper)
        assert status == 200, scenario.slug
        assert f'<html lang="{lang}">' in text
        assert f"@page {{ size: {size};" in text
        assert list(sheets(text)) == [*ROLES, "key"], scenario.slug
        with translation.override(lang):
            assert escaped(scenario.name) in text
        if lang == "ja":
            assert "役割の説明" in text and "解答集" in text and "Role briefing" not in text


def test_every_briefing_and_the_key_start_a_page_in_print() -> None:
    """In print, every sheet starts a page and the toolbar is hidden (the browser test checks the computed
    style and the PDF)."""
    from django.template.loader import get_template

    source = get_template("instructor/handouts/handouts.html").template.source
    print_rules = source.split("@media print {", 1)[1].split("</style>", 1)[0]
    assert ".toolbar { display: none; }" in print_rules
    assert re.search(r"\.sheet \{[^}]*break-before: page;", print_rules)


def test_the_page_is_self_contained(staff: Client) -> None:
    for scenario in library():
        for key in ("1", "0"):
            _status, text = page(staff, scenario.slug, key=key)
            lowered = text.lower()
            assert "<script" not in lowered
            assert "http://" not in lowered and "https://" not in lowered, scenario.slug
            assert not re.search(r"<(link|img|iframe|object|embed)\b", lowered)
            assert "@import" not in lowered and "url(" not in lowered
            assert not re.search(r'(src|href)="//', lowered)
            assert "<svg" in lowered  # the tree is inline
            # The one bit of behaviour: the print button's inline handler.
            assert re.findall(r"\son\w+=", text) == [" onclick="]


@pytest.mark.parametrize("lang", ["en", "ja"])
def test_each_briefing_holds_only_what_its_role_may_know(staff: Client, lang: str) -> None:
    for scenario in library():
        params = scenario.engine_params()
        _status, text = page(staff, scenario.slug, lang=lang)
        parts = sheets(text)
        with translation.override(lang):
            briefing = play_strings()["briefing"]
            # The board's sentences for a drawn type ("you are resolute") belong in no handout: no type is
            # drawn before play. The US's briefing gives each type's facts as a condition.
            drawn = [briefing["us"]["know_resolute"], briefing["us"]["know_non_resolute"]]
            drawn = [escaped(t.split("%(g)s")[0]) for t in drawn]
            us_only = [escaped(t) for t in handouts.us_type_sentences(params.core())]
            challenger_only = escaped(briefing["challenger"]["module_c"].split("%(")[0])
            bench = solve(params)
            key_words = [escaped(s.text) for s in theory.sentences(claims.scenario_reasons(bench.main))]
            title = escaped(prediction.title(bench.main.selected, alliance_allowed=params.alliance_allowed))
            prior = percent(params.pi)
        for role in ROLES:
            sheet = parts[role]
            assert not any(words in sheet for words in drawn), (scenario.slug, role)
            # Every briefing gives the US's reputation (the prior), never a drawn type: there is none yet.
            assert prior in sheet, (scenario.slug, role)
            # What theory predicts is for the instructor only.
            assert title not in sheet, (scenario.slug, role)
            assert not any(words in sheet for words in key_words), (scenario.slug, role)
            assert "data-claim" not in sheet and "data-equilibrium" not in sheet
            if role != "us":
                assert not any(words in sheet for words in us_only), (scenario.slug, role)
            if role != "challenger" and params.module_c:
                assert challenger_only not in sheet, (scenario.slug, role)
        # The US is told what either type would know (its type is drawn each round).
        assert all(words in parts["us"] for words in us_only), scenario.slug
        if params.module_c:
            assert challenger_only in parts["challenger"]


def test_the_us_type_is_never_named_as_a_fact_in_the_other_briefings(staff: Client) -> None:
    _status, text = page(staff, "baseline")
    parts = sheets(text)
    for role in ("japan", "challenger"):
        assert "you are resolute" not in parts[role] and "you are not resolute" not in parts[role]
        assert "Whether the United States is resolute" in parts[role]
        assert "50 %" in parts[role]
    assert "Whether the United States is resolute" not in parts["us"]


@pytest.mark.parametrize("lang", ["en", "ja"])
def test_the_answer_key_says_what_the_claims_say(staff: Client, lang: str) -> None:
    for scenario in library():
        params = scenario.engine_params()
        _status, text = page(staff, scenario.slug, lang=lang)
        key = sheets(text)["key"]
        with translation.override(lang):
            bench = solve(params)
            reasons = theory.sentences(claims.scenario_reasons(bench.main))
            summary = [s for part in prediction.summary(bench) for s in part["sentences"]]
        found = re.findall(r'<li data-claim="(\w+)">', key)
        assert found == [s.claim for s in reasons], scenario.slug
        for sentence in [*reasons, *summary]:
            assert escaped(sentence.text) in key, (scenario.slug, sentence.claim)
        assert f'data-equilibrium="{bench.main.selected.name}"' in key


def test_the_answer_key_carries_the_scenarios_notes_and_questions(staff: Client) -> None:
    scenario = Scenario.objects.get(slug="baseline")
    scenario.context_en = "A case paragraph for the key."
    scenario.omits_en = "What the case had and the model does not."
    scenario.save()
    for lang, note, questions in (
        ("en", scenario.teaching_note_en, scenario.questions_en),
        ("ja", scenario.teaching_note_ja, scenario.questions_ja),
    ):
        _status, text = page(staff, "baseline", lang=lang)
        key = sheets(text)["key"]
        for line in [*note.splitlines(), *questions.splitlines()]:
            if line.strip():
                assert escaped(line.strip()) in key, line
    _status, text = page(staff, "baseline", lang="en")
    key = sheets(text)["key"]
    assert "A case paragraph for the key." in key and "What the model leaves out" in key
    assert "Judgement, not data" not in key  # an empty note is left out


def test_the_students_copy_has_no_answer_key(staff: Client) -> None:
    for scenario in library():
        _status, text = page(staff, scenario.slug, key="0")
        assert list(sheets(text)) == list(ROLES)
        assert "data-claim" not in text and 'id="answer-key"' not in text
        if scenario.teaching_note_en:
            assert escaped(scenario.teaching_note_en.splitlines()[0]) not in text


def test_unknown_scenario_is_404(staff: Client) -> None:
    assert page(staff, "no-such-scenario")[0] == 404


@pytest.mark.parametrize(
    ("query", "words"),
    [
        ({"lang": "fr"}, "“lang” cannot be “fr”"),
        ({"paper": "a3"}, "“paper” cannot be “a3”"),
        ({"key": "maybe"}, "“key” cannot be “maybe”"),
        ({"lang": "<b>x</b>"}, "&lt;b&gt;x&lt;/b&gt;"),
    ],
)
def test_a_bad_option_is_a_clear_400(staff: Client, query: dict[str, str], words: str) -> None:
    status, text = page(staff, "baseline", **query)
    assert status == 400
    assert words in text and 'data-problem="bad_option"' in text
    assert "<b>x</b>" not in text


def test_invalid_stored_parameters_are_a_clear_409_not_a_500(staff: Client) -> None:
    Scenario.objects.create(slug="broken", name_en="Broken", name_ja="壊れた", params={"p": "2"})
    status, text = page(staff, "broken")
    assert status == 409 and 'data-problem="invalid_params"' in text


def test_staff_only(client: Client, django_user_model: Any) -> None:
    url = URL.format(slug="baseline")
    response = client.get(url)
    assert response.status_code == 302 and "/login/" in response["Location"]
    client.force_login(django_user_model.objects.create_user("student-ish", password="pw"))
    assert client.get(url).status_code == 403
