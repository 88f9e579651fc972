"""The historical cases of migration 0011: each exists after migrating, is a valid parameter set stored
exactly, has every text in both languages in the glossary's words, and shows, by the solver, what its
teaching note says it shows."""

from __future__ import annotations

import importlib
import itertools
import re
from fractions import Fraction
from typing import Any

import pytest
from django.test import Client
from django.utils import translation
from django.utils.html import escape

from games.crisis.game import Move
from games.crisis.params import AllianceType, Params
from games.crisis.reputation import round_update
from games.crisis.solver import round_benchmark, solve
from games.instructor.forms import NewClassForm
from games.models import LectureFigure, Scenario
from games.play import services
from games.play.services import StageSpec
from games.vocabulary.glossary import GLOSSARY
from tests.test_glossary import AWKWARD_JAPANESE, RAW_CODES, SPEC_REFERENCES, bare_equilibrium_codes

pytestmark = pytest.mark.django_db

cases = importlib.import_module("games.migrations.0011_historical_cases")
SLUGS = [case["slug"] for case in cases.CASES]
CLAIM = re.compile(r"(?<![A-Za-z0-9])E([1-5])(?![0-9])")
TEXTS = ("name", "context", "omits", "judgement", "teaching_note", "questions")

# Treaties' own Japanese names, which the glossary's avoided renderings would otherwise flag: the lecture's
# types are 中立同盟 and 防御同盟, but the 1941 pact is called 日ソ中立条約 and the US treaties with South
# Korea and the Philippines 米韓相互防衛条約 and 米比相互防衛条約. Only the context may name them.
PROPER_NAMES = {"context_ja": ("日ソ中立条約", "米韓相互防衛条約", "米比相互防衛条約")}


def case(slug: str) -> Scenario:
    return Scenario.objects.get(slug=slug)


def benchmark(slug: str):
    return solve(case(slug).engine_params())


def path_probability(solution, terminal_prefix: str, alliance: int | None = None) -> Fraction:
    return sum(
        (
            e.prob
            for e in solution.path
            if e.terminal.startswith(terminal_prefix) and alliance in (None, e.alliance)
        ),
        Fraction(0),
    )


# --------------------------------------------------------------------------------------------------
# Every case
# --------------------------------------------------------------------------------------------------


def test_the_cases_the_issue_asks_for_are_there() -> None:
    assert set(Scenario.objects.filter(kind=Scenario.Kind.HISTORICAL).values_list("slug", flat=True)) >= set(
        SLUGS
    )
    assert len(SLUGS) >= 7


@pytest.mark.parametrize("slug", SLUGS)
def test_each_case_is_a_valid_exact_parameter_set(slug: str) -> None:
    scenario = case(slug)
    entry = next(c for c in cases.CASES if c["slug"] == slug)
    assert scenario.kind == Scenario.Kind.HISTORICAL
    assert scenario.params == {**cases.BASE, **entry["changes"]}
    params = Params.from_mapping(scenario.params)  # raises InvalidParams on a bad set
    assert scenario.params == params.as_dict(exact=True)  # every value stored exactly ("7/20")
    numbers = [v for v in scenario.params.values() if not isinstance(v, bool) and v is not None]
    assert all(isinstance(value, str) for value in numbers)  # "7/20", never a float
    scenario.full_clean()  # the model's own check (the admin's) agrees
    assert scenario.decision_seconds == 90


def test_the_frozen_defaults_are_the_models_defaults() -> None:
    assert cases.BASE == Params().as_dict(exact=True)


@pytest.mark.parametrize("slug", SLUGS)
def test_the_solver_runs_and_the_note_names_its_equilibrium(slug: str) -> None:
    scenario = case(slug)
    main = solve(scenario.engine_params()).main
    assert sum(e.prob for e in main.path) == 1
    selected = main.selected.name
    assert {f"E{n}" for n in CLAIM.findall(scenario.teaching_note_en)} >= {selected}
    assert {f"E{n}" for n in CLAIM.findall(scenario.teaching_note_ja)} >= {selected}


@pytest.mark.parametrize("slug", SLUGS)
def test_every_text_is_there_in_both_languages(slug: str) -> None:
    scenario = case(slug)
    for field in TEXTS:
        en, ja = getattr(scenario, f"{field}_en"), getattr(scenario, f"{field}_ja")
        assert en.strip() and ja.strip(), f"{slug}.{field}"
    for field in ("context", "omits", "judgement", "teaching_note"):
        for language in ("en", "ja"):
            assert "\n" not in getattr(scenario, f"{field}_{language}"), f"{slug}.{field}: one paragraph"
    en, ja = scenario.questions_en.splitlines(), scenario.questions_ja.splitlines()
    assert len(en) == len(ja) >= 2
    assert all(q.endswith("?") for q in en)
    assert all(q.endswith(("？", "か。")) for q in ja)


@pytest.mark.parametrize("slug", SLUGS)
def test_the_japanese_uses_the_glossary_in_every_text(slug: str) -> None:
    scenario = case(slug)
    problems = []
    for field in TEXTS:
        english, japanese = getattr(scenario, f"{field}_en"), getattr(scenario, f"{field}_ja")
        checked = japanese
        for name in PROPER_NAMES.get(f"{field}_ja", ()):
            checked = checked.replace(name, "")
        for t in GLOSSARY:
            if t.pattern.search(english) and not any(f in japanese for f in t.forms):
                problems.append(f"{field}: {t.key} ({t.ja}) missing in Japanese")
            problems += [f"{field}_ja: {v!r}" for v in t.avoid_ja if re.search(v, checked)]
            problems += [f"{field}_en: {v!r}" for v in t.avoid_en if re.search(v, english)]
        problems += [f"{field}_ja: {w!r}" for w in AWKWARD_JAPANESE if w in japanese]
        for text in (english, japanese):
            problems += [m.group(0) for p in (RAW_CODES, SPEC_REFERENCES) for m in p.finditer(text)]
            problems += bare_equilibrium_codes([text])
    assert problems == []


# --------------------------------------------------------------------------------------------------
# What each case is meant to teach, by the solver
# --------------------------------------------------------------------------------------------------


def test_korea_1950_has_no_alliance_and_a_war_an_ad_hoc_coalition_may_fight() -> None:
    main = benchmark("case-korea-1950").main
    assert all(e.alliance == 0 for e in main.path)  # no commitment on the benchmark path
    assert main.core.pi < main.thresholds.rho_W  # reputation too low to deter
    assert path_probability(main, "WAR") == 1
    assert {(e.theta, e.terminal) for e in main.path} == {("R", "WAR_I"), ("N", "WAR_S")}  # coalition or not
    assert path_probability(main, "WAR_I") == Fraction(1, 5)


def test_the_tripwire_ties_hands_and_guam_does_not() -> None:
    tripwire, guam = benchmark("case-korea-tripwire").main, benchmark("case-marines-guam").main
    assert case("case-korea-tripwire").engine_params().tripwire
    assert not case("case-marines-guam").engine_params().tripwire
    assert tripwire.hands_tied and not guam.hands_tied
    # "otherwise comparable": the two cases differ only in the tripwire
    assert case("case-marines-guam").engine_params() == case("case-korea-tripwire").engine_params().replace(
        tripwire=False
    )
    assert {e.terminal for e in tripwire.path} == {"SQ"}  # general deterrence with certainty
    assert (tripwire.selected.x_R, tripwire.selected.x_N) == (1, 1)
    assert guam.selected.name == "E5" and guam.selected.x_N == Fraction(1, 4)
    assert path_probability(guam, "WAR") == Fraction(75, 208)
    assert path_probability(guam, "WAR_S", alliance=1) == Fraction(15, 208)  # abandonment


def test_the_1914_entente_is_a_consultation_pact_that_does_not_prevent_war() -> None:
    params = case("case-triple-entente-1914").engine_params()
    assert params.alliance_type is AllianceType.ENTENTE
    main = solve(params).main
    assert main.selected.name == "E3" and main.approximate
    assert path_probability(main, "WAR") == 1
    signed = [c for c in main.surviving if c.name == "E2"]  # the other equilibrium: both sign
    assert signed and signed[0].y1 == 1  # ... and the entente is challenged anyway


def test_the_1941_neutrality_pact_removes_help_and_the_defender_fights_alone() -> None:
    params = case("case-soviet-japanese-pact-1941").engine_params()
    assert params.alliance_type is AllianceType.NEUTRALITY and not params.alliance_allowed
    main = solve(params).main
    assert main.core.g("R") - main.core.rN < 0  # even a resolute supporter stays out
    assert {e.terminal for e in main.path} == {"WAR_S"}  # challenged every time, fought alone


def test_senkaku_statements_move_the_reputation_over_rounds_but_not_past_the_threshold() -> None:
    params = case("case-senkaku-article-5").engine_params()
    assert params.eta == Fraction(1, 5)
    reaffirmed = [Move(node="alliance", role="us", action="alliance")]
    prior, priors = params.pi, [float(params.pi)]
    for _round in range(8):
        bench = round_benchmark(params, Fraction(prior).limit_denominator(10**9))
        assert bench.main.selected.name == "E5"
        update = round_update(params, bench, reaffirmed, prior=prior)
        # pi_next = (1 - eta) * mu + eta * pi0: the new-administration chance pulls it back towards 0.5
        assert update.pi_next == pytest.approx(
            (1 - float(params.eta)) * update.mu_after_alliance + float(params.eta) * float(params.base_prior)
        )
        assert update.pi_next < update.mu_after_alliance
        prior = update.pi_next
        priors.append(prior)
    assert priors[1] == pytest.approx(0.7274, abs=1e-4)
    assert all(later >= earlier for earlier, later in itertools.pairwise(priors))
    assert priors[-1] == pytest.approx(0.744, abs=1e-3)
    assert priors[-1] < float(solve(params).main.thresholds.rho_W)  # never enough alone (0.80)
    first = solve(params)
    tested = [*reaffirmed, Move(node="intervention", role="us", action="intervene")]
    honoured = round_update(params, first, tested)
    abandoned = round_update(
        params, first, [*reaffirmed, Move(node="intervention", role="us", action="stay_out")]
    )
    assert honoured.pi_next == pytest.approx(0.89, abs=5e-3)
    assert abandoned.pi_next == pytest.approx(0.11, abs=5e-3)


def test_the_south_china_sea_case_has_the_arf_and_a_weak_forum() -> None:
    params = case("case-south-china-sea-arf").engine_params()
    assert params.arf
    bench = solve(params)
    stage = bench.module_d
    assert stage is not None and stage.e == (1, 0)  # the defender adopts measures, the Challenger does not
    main = bench.main
    assert main.selected.name == "E5"
    assert (main.selected.x_N, main.selected.y1) == (Fraction(17, 58), Fraction(9, 52))
    assert main.thresholds.phi == (Fraction(1, 8), Fraction(1, 4))
    assert round(float(path_probability(main, "WAR")), 2) == 0.39


# --------------------------------------------------------------------------------------------------
# The migration
# --------------------------------------------------------------------------------------------------


def test_the_migration_leaves_an_instructors_own_scenario_alone_and_reverses() -> None:
    from django.apps import apps

    Scenario.objects.filter(slug="case-korea-1950").update(name_en="My own Korea")
    cases.remove_cases(apps, None)
    assert list(Scenario.objects.filter(slug__in=SLUGS).values_list("slug", flat=True)) == ["case-korea-1950"]
    cases.add_cases(apps, None)
    assert Scenario.objects.filter(slug__in=SLUGS).count() == len(SLUGS)
    assert case("case-korea-1950").name_en == "My own Korea"
    assert (
        case("case-marines-guam").context_en
        == next(c for c in cases.CASES if c["slug"] == "case-marines-guam")["context_en"]
    )


# --------------------------------------------------------------------------------------------------
# Where instructors meet them: the admin and the new-class form
# --------------------------------------------------------------------------------------------------


@pytest.fixture
def fast_hashing(settings: Any) -> None:
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


def test_the_admin_lists_cases_by_kind_and_shows_their_notes(
    admin_client: Client, fast_hashing: None
) -> None:
    page = admin_client.get("/admin/games/scenario/?kind__exact=historical").content.decode()
    assert all(f">{c['name_en']}<" in page for c in cases.CASES)
    assert "Tripwire: US forces in Japan" not in page  # a teaching scenario, filtered out
    korea = case("case-korea-1950")
    page = admin_client.get(f"/admin/games/scenario/{korea.pk}/change/").content.decode()
    for title in ("Names and kind", "The case", "Teaching note and questions"):
        assert f">{title}<" in page
    for field in ("kind", "context_en", "context_ja", "omits_en", "omits_ja", "judgement_en", "judgement_ja"):
        assert f'name="{field}"' in page
    assert escape(korea.context_en) in page


def test_the_admin_edits_lecture_figures(admin_client: Client, fast_hashing: None) -> None:
    page = admin_client.get("/admin/games/lecturefigure/").content.decode()
    assert 'name="form-0-value"' in page and 'name="form-0-verified"' in page  # editable in the list
    figure = LectureFigure.objects.get(key="reliability")
    page = admin_client.get(f"/admin/games/lecturefigure/{figure.pk}/change/").content.decode()
    assert "beside the class" in page and 'name="citation"' in page and 'name="key"' not in page


def test_the_class_admin_shows_its_stages(
    admin_client: Client, fast_hashing: None, baseline_scenario: Any
) -> None:
    korea = case("case-korea-1950")
    class_session = services.create_class(baseline_scenario, rounds=4, stages=[StageSpec(korea, 3)])
    page = admin_client.get(f"/admin/games/classsession/{class_session.pk}/change/").content.decode()
    assert "scenario stages" in page.lower() and korea.name_en in page


def test_the_new_class_form_groups_the_historical_cases() -> None:
    with translation.override("en"):
        html = str(NewClassForm(initial={"scenario": case("case-senkaku-article-5")})["scenario"])
    teaching, historical = (
        html.index('<optgroup label="Teaching scenarios">'),
        html.index('<optgroup label="Historical cases">'),
    )
    assert teaching < html.index(">Tripwire: US forces in Japan<") < historical
    for c in cases.CASES:
        assert html.index(f">{escape(c['name_en'])}<") > historical
    assert re.search(rf'value="{case("case-senkaku-article-5").pk}" selected', html)
    with translation.override("ja"):
        html = str(NewClassForm()["scenario"])
    assert '<optgroup label="歴史の事例">' in html and '<optgroup label="授業用シナリオ">' in html
    with translation.override("en"):
        switch = str(NewClassForm()["then_1_scenario"])  # a later stage's scenario: the same groups
    assert switch.index('<optgroup label="Teaching scenarios">') < switch.index(
        '<optgroup label="Historical cases">'
    )
    form = NewClassForm(
        {
            "scenario": case("case-korea-1950").pk,
            "rounds": 3,
            "matching": "fixed_rotating",
            "bot_strategy": "equilibrium",
            "max_students": 300,
            "result_seconds": 10,
        }
    )
    assert form.is_valid(), form.errors
    assert form.cleaned_data["scenario"] == case("case-korea-1950")
