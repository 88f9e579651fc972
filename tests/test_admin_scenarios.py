"""The scenario editor in the admin: every parameter a field, exact storage, errors on the right field,
"save as new", and "What theory predicts" beside the form (and from /instructor/predict/ as one types)."""

from __future__ import annotations

import dataclasses
import re
from typing import Any

import pytest
from django.contrib.auth import get_user_model
from django.test import Client
from django.urls import reverse
from django.utils.html import escape

from games.crisis.params import Params
from games.crisis.solver import solve
from games.instructor.scenario_form.exact_numbers import display_number
from games.instructor.scenario_form.fields import initial_values
from games.instructor.scenario_form.specs import PARAM_NAMES
from games.models import Scenario

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def fast_password_hashing(settings: Any) -> None:
    """Staff logins are created per test; the default PBKDF2 hasher would spend a second or two on each."""
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


ADD_URL = "/admin/games/scenario/add/"


def change_url(scenario: Scenario) -> str:
    return f"/admin/games/scenario/{scenario.pk}/change/"


def form_data(**overrides: Any) -> dict[str, Any]:
    """What the browser posts for a new scenario with the defaults (checkboxes: present when on)."""
    data: dict[str, Any] = {
        "name_en": "Test scenario",
        "name_ja": "テスト",
        "slug": "test-scenario",
        "teaching_note_en": "",
        "teaching_note_ja": "",
        "decision_seconds": "60",
    }
    for name, value in initial_values({}).items():
        if isinstance(value, bool):
            if value:
                data[name] = "on"
        else:
            data[name] = "" if value is None else value
    for name, value in overrides.items():
        if value is None:
            data.pop(name, None)
        else:
            data[name] = value
    return data


def form_errors(response: Any) -> dict[str, list[str]]:
    return {field: list(errors) for field, errors in response.context["adminform"].form.errors.items()}


# ----- the form -----------------------------------------------------------------------------------------


def test_every_parameter_of_the_model_is_its_own_field_with_meaning_and_range(admin_client: Client) -> None:
    page = admin_client.get(ADD_URL).content.decode()
    names = [f.name for f in dataclasses.fields(Params)]
    assert sorted(PARAM_NAMES) == sorted(names)
    for name in names:
        assert f'name="{name}"' in page, name
    assert "Probability that Japan wins a war it fights alone." in page
    assert "Valid: 0 &lt; p &lt; 1" in page
    assert "Default: 0.3" in page
    for title in (
        "The dispute",
        "Military balance and war costs",
        "The alliance and its costs",
        "Private information and reputation",
        "Module A: Japan&#x27;s armament",
        "Module C: the Challenger&#x27;s type",
        "Module D: the cooperative-security layer (ARF)",
        "Time limits and timeout defaults",
        "What students are shown",
    ):
        assert title in page, title


def test_booleans_are_checkboxes_and_the_alliance_type_a_select(admin_client: Client) -> None:
    page = admin_client.get(ADD_URL).content.decode()
    for name in ("tripwire", "module_a", "module_c"):
        assert re.search(rf'<input type="checkbox" name="{name}"', page), name
    assert '<select name="alliance_type"' in page
    for value in ("defence_pact", "entente", "offensive", "neutrality", "non_aggression"):
        assert f'<option value="{value}"' in page


def test_the_editor_speaks_japanese(admin_client: Client) -> None:
    page = admin_client.get(ADD_URL, headers={"accept-language": "ja"}).content.decode()
    assert "日本が単独で勝つ確率" in page
    assert "理論の予測" in page
    assert "E5 準分離均衡" in page


@pytest.mark.parametrize(
    ("stored", "shown"),
    [("7/20", "0.35"), ("3/8", "0.375"), ("1/3", "1/3"), ("10", "10"), ("-1/20", "-0.05")],
)
def test_exact_values_are_shown_as_an_instructor_would_type_them(stored: str, shown: str) -> None:
    assert display_number(stored) == shown


# ----- create and edit ------------------------------------------------------------------------------------


def test_an_instructor_creates_a_scenario_with_decimals_and_fractions(admin_client: Client) -> None:
    data = form_data(k="0.35", p="3/10", c1="０．３５", tripwire="on", alliance_type="entente", pi0="")
    response = admin_client.post(ADD_URL, data)
    assert response.status_code == 302, form_errors(response)
    scenario = Scenario.objects.get(slug="test-scenario")
    assert scenario.params["k"] == "7/20"
    assert scenario.params["p"] == "3/10"
    assert scenario.params["c1"] == "7/20"
    assert scenario.params["tripwire"] is True
    assert scenario.params["module_a"] is False
    assert scenario.params["alliance_type"] == "entente"
    assert scenario.params["pi0"] is None
    assert scenario.params == Params.from_mapping(scenario.params).as_dict(exact=True)
    assert scenario.decision_seconds == 60


def test_an_instructor_edits_a_library_scenario(admin_client: Client) -> None:
    scenario = Scenario.objects.get(slug="expensive-alliance")
    page = admin_client.get(change_url(scenario)).content.decode()
    assert 'name="k" value="0.35"' in page
    data = form_data(
        slug=scenario.slug, name_en=scenario.name_en, name_ja=scenario.name_ja, k="2/5", pi="0.6"
    )
    response = admin_client.post(change_url(scenario), data)
    assert response.status_code == 302, form_errors(response)
    scenario.refresh_from_db()
    assert (scenario.params["k"], scenario.params["pi"]) == ("2/5", "3/5")


@pytest.mark.parametrize(
    ("overrides", "field", "message"),
    [
        ({"p": "0"}, "p", "must be between 0 and 1 (exclusive); got 0"),
        ({"p2": "0.2"}, "p2", "must be between p (0.3) and 1; got 0.2"),
        ({"beta": "0"}, "beta", "must be greater than 0; got 0"),
        ({"wN": "2"}, "wN", "must be at least 0 and less than wR (1); got 2"),
        (
            {"p2": "0.3", "cCa": "0"},
            "cCa",
            "US entry must hurt the Challenger: need (p′ + cC′) − (p + cC) > 0; got -0.2",
        ),
        ({"c1": "lots"}, "c1", "Enter a number such as 0.35 or 7/20."),
        ({"c1": "1/0"}, "c1", "Enter a number such as 0.35 or 7/20."),
        ({"k": ""}, "k", "This field is required."),
        ({"module_a": "on", "p_arm": "0"}, "p_arm", "must be between 0 and 1 (exclusive); got 0"),
    ],
)
def test_errors_are_shown_on_the_field_they_concern(
    admin_client: Client, overrides: dict[str, str], field: str, message: str
) -> None:
    response = admin_client.post(ADD_URL, form_data(**overrides))
    assert response.status_code == 200
    assert form_errors(response) == {field: [message]}
    assert not Scenario.objects.filter(slug="test-scenario").exists()
    page = response.content.decode()
    assert f'<ul class="errorlist" id="id_{field}_error"><li>{escape(message)}</li></ul>' in page
    # The preview beside the form lists the same error with a link to the field.
    assert f'<a href="#id_{field}">' in page


def test_engine_errors_are_translated_for_japanese_instructors(admin_client: Client) -> None:
    response = admin_client.post(ADD_URL, form_data(p="1.5", c1="x"), headers={"accept-language": "ja"})
    errors = form_errors(response)
    assert errors["p"] == ["0 より大きく 1 より小さい値にしてください（入力値：1.5）。"]
    assert errors["c1"] == ["0.35 や 7/20 のような数を入力してください。"]


def test_numbers_in_engine_errors_are_written_as_the_fields_write_them(admin_client: Client) -> None:
    response = admin_client.post(ADD_URL, form_data(p="1/3", p2="1/4"), headers={"accept-language": "ja"})
    assert form_errors(response) == {"p2": ["p（= 1/3）以上 1 以下の値にしてください（入力値：0.25）。"]}
    response = admin_client.post(ADD_URL, form_data(arf="on", betaD="0.5"), headers={"accept-language": "ja"})
    assert form_errors(response) == {"betaD": ["0 以上、β（= 0.1）以下の値にしてください（入力値：0.5）。"]}


def test_save_as_new_copies_the_scenario_and_leaves_the_original(admin_client: Client) -> None:
    original = Scenario.objects.get(slug="tripwire")
    before = dict(original.params)
    data = form_data(
        slug="tripwire-cheap",
        name_en="Cheap tripwire",
        name_ja="安いトリップワイヤー",
        tripwire="on",
        kT="0",
        _saveasnew="Save as new",
    )
    response = admin_client.post(change_url(original), data)
    assert response.status_code == 302, form_errors(response)
    copy = Scenario.objects.get(slug="tripwire-cheap")
    assert copy.pk != original.pk
    assert (copy.params["tripwire"], copy.params["kT"]) == (True, "0")
    original.refresh_from_db()
    assert original.params == before
    assert 'name="_saveasnew"' in admin_client.get(change_url(original)).content.decode()


def test_save_as_new_with_the_same_slug_says_so_on_the_slug(admin_client: Client) -> None:
    original = Scenario.objects.get(slug="tripwire")
    data = form_data(slug="tripwire", name_en="Copy", name_ja="コピー", _saveasnew="Save as new")
    response = admin_client.post(change_url(original), data)
    assert list(form_errors(response)) == ["slug"]


# ----- "What theory predicts" -----------------------------------------------------------------------------


def prediction_attributes(page: str) -> dict[str, str]:
    match = re.search(r'<div class="ct-prediction-body" data-valid="true"([^>]*)>', page)
    assert match, "no prediction panel"
    return dict(re.findall(r'data-([a-z0-9-]+)="([^"]*)"', match.group(1)))


def test_the_baseline_page_shows_what_the_engine_predicts(admin_client: Client) -> None:
    baseline = Scenario.objects.get(slug="baseline")
    page = admin_client.get(change_url(baseline)).content.decode()
    attributes = prediction_attributes(page)
    assert attributes["equilibrium"] == "E5"
    assert attributes["x-n"] == "1/4"
    assert attributes["rho-w"] == "4/5"
    assert attributes["y1"] == "15/26"
    assert attributes["approximate"] == "false"
    assert attributes["multiple"] == "true"
    text = re.sub(r"\s+", " ", page)
    assert "E5 semi-separating: the non-resolute US bluffs with probability 0.25" in text
    assert "the US is resolute reaches 0.80; the public reputation is π = 0.50" in text
    assert "the peacetime cost K = 0.15 is below its value of deterrence VD_N(0) = 0.30" in text
    # The path of play, with the engine's probabilities.
    bench = solve(baseline.engine_params()).main
    for entry in bench.path:
        assert (
            f'data-theta="{entry.theta}" data-alliance="{entry.alliance}" data-terminal="{entry.terminal}"'
            in page
        )
        assert f'data-exact="{entry.prob}"' in page
    assert 'data-candidate="E3" data-ic="true"' in page  # the other equilibrium
    assert 'data-assumption="S4" data-ok="true"' in page


@pytest.mark.parametrize(
    ("slug", "name", "x_n", "text"),
    [
        ("tripwire", "E2", "1", "The treaty ties the US&#x27;s hands"),
        ("expensive-alliance", "E1", "0", "Only the resolute US allies: the peacetime cost K = 0.35"),
        ("strong-reputation", "E3", "0", "Reputation alone deters"),
        ("very-expensive-alliance", "E3", "0", "VD_R(π) = 0.45"),
        ("hesitant-challenger", "E5", "11/14", "the US is resolute reaches 0.64"),
        ("neutrality-pact", "E3", "0", "E3 no alliance: the neutrality pact rules the alliance out"),
    ],
)
def test_library_pages_show_what_the_engine_predicts(
    admin_client: Client, slug: str, name: str, x_n: str, text: str
) -> None:
    scenario = Scenario.objects.get(slug=slug)
    page = admin_client.get(change_url(scenario)).content.decode()
    attributes = prediction_attributes(page)
    selected = solve(scenario.engine_params()).main.selected
    assert (attributes["equilibrium"], attributes["x-n"]) == (selected.name, str(selected.x_N)) == (name, x_n)
    assert text in re.sub(r"\s+", " ", page)


def test_an_approximate_benchmark_is_flagged(admin_client: Client) -> None:
    page = admin_client.get(change_url(Scenario.objects.get(slug="entente"))).content.decode()
    assert prediction_attributes(page)["approximate"] == "true"
    assert 'data-assumption="S4" data-ok="false"' in page
    assert "this benchmark is approximate" in page


def fieldset_classes(page: str, title: str) -> str:
    match = re.search(
        r'<fieldset class="module aligned ([^"]*)"[^>]*>\s*(?:<details>\s*<summary>)?\s*<h2[^>]*>'
        + re.escape(title),
        page,
    )
    assert match, title
    return match.group(1)


def test_module_fieldsets_are_folded_unless_the_scenario_uses_the_module(admin_client: Client) -> None:
    page = admin_client.get(change_url(Scenario.objects.get(slug="japan-arms"))).content.decode()
    assert "collapse" not in fieldset_classes(page, "Module A: Japan&#x27;s armament")
    assert "collapse" in fieldset_classes(page, "Module C: the Challenger&#x27;s type")
    assert "collapse" in fieldset_classes(page, "Module D: the cooperative-security layer (ARF)")
    assert "collapse" not in fieldset_classes(page, "The dispute")


def test_module_a_says_whether_japan_arms(admin_client: Client) -> None:
    page = admin_client.get(change_url(Scenario.objects.get(slug="japan-arms"))).content.decode()
    assert 'data-arm="true"' in page
    assert "Japan arms: its expected payoff is 0.475 if it arms and 0.374 if it does not." in page
    assert prediction_attributes(page)["x-n"] == "1/6"


def test_module_d_says_who_adopts_confidence_building_measures(admin_client: Client) -> None:
    page = admin_client.get(change_url(Scenario.objects.get(slug="cooperative-security"))).content.decode()
    assert prediction_attributes(page)["equilibrium"] == "E1"
    assert 'data-cbm="1,1"' in page
    assert "Japan adopts confidence-building measures: its expected payoff is 0.614 with them" in page
    assert 'data-terminal="DEF"' in page and 'data-exact="7/40"' in page


def test_module_d_shows_the_stage_zero_table_of_example_d1(admin_client: Client) -> None:
    """crisis-model.md §9.8, Example D1: (EU^J, EU^C) in each confidence-building subgame, (1,1) chosen."""
    scenario = Scenario.objects.get(slug="arf-d1-both-build-confidence")
    page = admin_client.get(change_url(scenario)).content.decode()
    rows = re.findall(
        r'<tr data-cbm="(\d,\d)" data-eu-japan="([^"]+)" data-eu-challenger="([^"]+)"( data-chosen="true")?>'
        r"<th[^>]*>[^<]*</th><td>[^<]*</td><td>[^<]*</td><td>(E\d)</td>",
        page,
    )
    assert [(e, j, c, bool(chosen), eq) for e, j, c, chosen, eq in rows] == [
        ("0,0", "311/832", "3/8", False, "E5"),
        ("0,1", "17753/31200", "109/780", False, "E5"),
        ("1,0", "258917/374400", "319/2880", False, "E5"),
        ("1,1", "491/800", "107/800", True, "E1"),
    ]
    assert "* marks the confidence-building choices theory predicts." in page


def test_module_d_errors_land_on_their_fields(admin_client: Client) -> None:
    response = admin_client.post(ADD_URL, form_data(arf="on", dphi1="0.9", betaD="0.5"))
    assert form_errors(response) == {"betaD": ["must be between 0 and β (0.1); got 0.5"]}
    response = admin_client.post(ADD_URL, form_data(arf="on", dphi1="0.9"))
    assert list(form_errors(response)) == ["dphi1"]
    response = admin_client.post(
        ADD_URL, form_data(arf="on", module_c="on"), headers={"accept-language": "ja"}
    )
    assert form_errors(response)["arf"][0].startswith("モジュールD（ARF）はモジュールC")


def test_a_scenario_without_module_d_stores_no_module_d_keys(admin_client: Client) -> None:
    assert admin_client.post(ADD_URL, form_data()).status_code == 302
    assert "arf" not in Scenario.objects.get(slug="test-scenario").params


def test_the_scenario_list_names_each_prediction(admin_client: Client) -> None:
    page = admin_client.get("/admin/games/scenario/").content.decode()
    assert "E5 semi-separating: the non-resolute US bluffs with probability 0.25" in page
    assert "E2 pooling on alliance: both US types ally" in page
    assert reverse("instructor:new_class") + "?scenario=" in page


# ----- the live preview endpoint --------------------------------------------------------------------------


def test_predict_answers_the_rendered_prediction(admin_client: Client) -> None:
    response = admin_client.post("/instructor/predict/", form_data(k="7/20"))
    assert response.status_code == 200
    body = response.json()
    assert body["valid"] is True and body["equilibrium"] == "E1"
    assert 'data-equilibrium="E1"' in body["html"]
    assert "E1 separating: only a resolute US allies" in body["html"]


def test_predict_answers_field_errors_for_invalid_input(admin_client: Client) -> None:
    body = admin_client.post("/instructor/predict/", form_data(p="0", beta="x")).json()
    assert body["valid"] is False
    assert body["errors"] == {
        "p": ["must be between 0 and 1 (exclusive); got 0"],
        "beta": ["Enter a number such as 0.35 or 7/20."],
    }
    assert 'data-valid="false"' in body["html"]
    assert '<a href="#id_p">' in body["html"]


def test_predict_is_for_staff_only(client: Client, django_user_model: Any) -> None:
    assert client.post("/instructor/predict/", form_data()).status_code == 403
    student = Client()
    student.post("/join", {"code": "NOPE", "name": "x"})  # a visitor with a session, not staff
    assert student.post("/instructor/predict/", form_data()).status_code == 403
    user = django_user_model.objects.create_user("someone", password="pw")
    client.force_login(user)
    response = client.post("/instructor/predict/", form_data())
    assert response.status_code == 403
    assert response.json()["error"]["code"] == "forbidden"


def test_predict_needs_post_and_a_csrf_token(admin_user: Any) -> None:
    strict = Client(enforce_csrf_checks=True)
    strict.force_login(admin_user)
    assert strict.post("/instructor/predict/", form_data()).status_code == 403
    assert strict.get("/instructor/predict/").status_code == 405


def test_a_staff_member_without_superuser_rights_may_preview(client: Client) -> None:
    staff = get_user_model().objects.create_user("teacher", password="pw", is_staff=True)
    client.force_login(staff)
    assert client.post("/instructor/predict/", form_data()).json()["equilibrium"] == "E5"
