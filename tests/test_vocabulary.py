"""The one vocabulary (games/vocabulary/): every code of the engine has exactly one entry in each table and
no table names a code the engine lacks; every form is translated; the words are defined nowhere else; the
refusals the services raise are all worded; the join-code rule and the number formats hold."""

from __future__ import annotations

import ast
import dataclasses
import re
from collections.abc import Iterator, Mapping
from pathlib import Path
from typing import Any

import pytest
from django.utils import translation

from games.crisis import debrief, game, params, views
from games.vocabulary import errors, join_code, labels, numbers
from tests.test_i18n_complete import GETTEXT_FUNCTIONS, template_msgids

ROOT = Path(__file__).resolve().parent.parent

# --------------------------------------------------------------------------------------------------
# The engine's codes, read from the engine
# --------------------------------------------------------------------------------------------------

ENGINE_ACTIONS = {action for actions in game.ACTIONS.values() for action in actions}
ENGINE_CHANCE_ACTIONS = {action for actions in game.CHANCE_ACTIONS.values() for action in actions}
ENGINE_NODES = set(game.NODES) | set(game.CHANCE_ACTIONS)
ENGINE_TERMINALS = {terminal for terminal, _alliance in debrief._LABELS}
ENGINE_QUALIFIERS: dict[str, set[str]] = {}
for _label, _qualifier in debrief._LABELS.values():
    ENGINE_QUALIFIERS.setdefault(_label, set()).update({_qualifier} if _qualifier else set())
ENGINE_TYPES = {*params.THETAS, *params.CHALLENGER_TYPES}


def engine_flags() -> set[str]:
    """Every flag the classifier can raise: the names of its `Flag(...)` calls."""
    tree = ast.parse((ROOT / "games" / "crisis" / "debrief.py").read_text(encoding="utf-8"))
    return {
        node.args[0].value
        for node in ast.walk(tree)
        if isinstance(node, ast.Call)
        and getattr(node.func, "id", "") == "Flag"
        and node.args
        and isinstance(node.args[0], ast.Constant)
    }


def test_roles_actions_nodes_and_terminals_are_the_engines() -> None:
    assert tuple(labels.ROLES) == game.ROLES
    assert set(labels.ACTIONS) == ENGINE_ACTIONS
    assert set(labels.CHANCE_ACTIONS) == ENGINE_CHANCE_ACTIONS
    assert set(labels.NODES) == ENGINE_NODES
    assert set(labels.TERMINALS) == ENGINE_TERMINALS
    assert set(labels.AUTOMATIC_EVENTS) == {game.NEUTRALITY_EVENT}


def test_outcomes_and_qualifiers_are_the_engines() -> None:
    assert {label: set(o.qualifiers) for label, o in labels.OUTCOMES.items()} == ENGINE_QUALIFIERS
    assert tuple(labels.outcome_keys()) == debrief.OUTCOME_KEYS
    for key in debrief.OUTCOME_KEYS:
        entry = labels.outcome(key)
        assert entry is not None and entry.name and entry.sentence and entry.explanation, key
        assert (entry.tag is not None) == ("/" in key), key


def test_flags_types_treaties_and_statuses_are_the_engines() -> None:
    from games.models import ClassSession

    assert set(labels.FLAGS) == engine_flags()
    assert set(labels.TYPES) == ENGINE_TYPES
    assert {code: t.view for code, t in labels.TYPES.items()} == {
        **views.US_TYPE_NAMES,
        **views.CHALLENGER_TYPE_NAMES,
    }
    assert {t.role for code, t in labels.TYPES.items() if code in params.THETAS} == {"us"}
    assert set(labels.ALLIANCE_TYPES) == {t.value for t in params.AllianceType}
    assert set(labels.CLASS_STATUS) == set(ClassSession.Status.values)


def test_every_decision_node_has_every_form_and_every_move_of_the_tree_an_edge() -> None:
    for node in game.ACTIONS:
        entry = labels.NODES[node]
        assert entry.title and entry.question and entry.prompt and entry.phrase, node
    continuing = {a for (_node, a), (_next, terminal) in game._NEXT.items() if terminal is None}
    assert {a for a, entry in labels.ACTIONS.items() if entry.edge} >= continuing


def test_a_type_is_found_by_either_code() -> None:
    with translation.override("en"):
        assert labels.type_name("R") == labels.type_name("resolute") == "resolute"
        assert labels.type_name("H") == labels.type_name("hesitant") == "hesitant"
        assert labels.type_name(None) == labels.type_name("?") == ""


# --------------------------------------------------------------------------------------------------
# Every form is translated
# --------------------------------------------------------------------------------------------------


def words(value: Any, where: str) -> Iterator[tuple[str, Any]]:
    """Every translatable string in a table entry, with where it is."""
    if value is None or isinstance(value, str):
        return
    if dataclasses.is_dataclass(value):
        for f in dataclasses.fields(value):
            yield from words(getattr(value, f.name), f"{where}.{f.name}")
    elif isinstance(value, Mapping):
        for key, item in value.items():
            yield from words(item, f"{where}[{key}]")
    else:
        yield where, value


TABLES = {
    "ROLES": labels.ROLES,
    "ACTIONS": labels.ACTIONS,
    "CHANCE_ACTIONS": labels.CHANCE_ACTIONS,
    "AUTOMATIC_EVENTS": labels.AUTOMATIC_EVENTS,
    "NODES": labels.NODES,
    "TERMINALS": labels.TERMINALS,
    "OUTCOMES": labels.OUTCOMES,
    "FLAGS": labels.FLAGS,
    "TYPES": labels.TYPES,
    "ALLIANCE_TYPES": labels.ALLIANCE_TYPES,
    "CLASS_STATUS": labels.CLASS_STATUS,
    "errors.JOIN": errors.JOIN,
    "errors.PLAY": errors.PLAY,
    "errors.INSTRUCTOR": errors.INSTRUCTOR,
}


@pytest.mark.parametrize("name", TABLES)
def test_every_form_is_translated_into_japanese(name: str) -> None:
    found = list(words(TABLES[name], name))
    assert found
    untranslated = []
    for where, value in found:
        with translation.override("en"):
            english = str(value)
        with translation.override("ja"):
            japanese = str(value)
        if not english or japanese == english:
            untranslated.append(where)
    assert untranslated == []


def test_the_japanese_uses_the_lectures_terms() -> None:
    with translation.override("ja"):
        assert "一般抑止" in str(labels.OUTCOMES["GENERAL_DETERRENCE_HELD"].name)
        assert "緊急抑止" in str(labels.OUTCOMES["IMMEDIATE_DETERRENCE_HELD"].name)
        assert "見捨てられ" in str(labels.OUTCOMES["ABANDONMENT"].name)
        assert "巻き込まれ" in str(labels.FLAGS["ENTRAPMENT"].title)
        assert "トリップワイヤー" in str(labels.FLAGS["TRIPWIRE_TRIGGERED"].title)
        bluffs = [
            str(form)
            for name in ("BLUFF_CALLED", "BLUFF_UNTESTED")
            for _w, form in words(labels.FLAGS[name], "")
        ]
        assert all("はったり" in text or "決意の弱い" in text for text in bluffs)
        assert not any("ブラフ" in text for text in bluffs)


# --------------------------------------------------------------------------------------------------
# Defined once
# --------------------------------------------------------------------------------------------------


def translatable(path: Path) -> set[tuple[str | None, str]]:
    """(context, msgid) of every translatable string of a Python file or a template."""
    if path.suffix == ".html":
        return {(None, text) for text in template_msgids(path)}
    found = set()
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if not isinstance(node, ast.Call) or not node.args:
            continue
        name = node.func.attr if isinstance(node.func, ast.Attribute) else getattr(node.func, "id", "")
        if name not in GETTEXT_FUNCTIONS or not all(isinstance(a, ast.Constant) for a in node.args):
            continue
        context = node.args[0].value if name.startswith("pgettext") else None
        found.add((context, node.args[-1].value))
    return found


def test_no_name_of_the_vocabulary_is_written_again_elsewhere() -> None:
    """A name or refusal of games/vocabulary/ is a translatable string there and nowhere else in games/
    or the templates (the scenario editor's treaty choices are its own form of the treaty's name)."""
    vocabulary = ROOT / "games" / "vocabulary"
    names = translatable(vocabulary / "labels.py") | translatable(vocabulary / "errors.py")
    copies = []
    for path in [*(ROOT / "games").rglob("*.py"), *(ROOT / "frontend" / "templates").rglob("*.html")]:
        if {"vocabulary", "migrations", "crisis", "scenario_form"} & set(path.parts):
            continue
        copies += [
            f"{path.relative_to(ROOT)}: {text}" for _context, text in sorted(translatable(path) & names)
        ]
    assert copies == []


# --------------------------------------------------------------------------------------------------
# Refusals: every code raised is worded
# --------------------------------------------------------------------------------------------------


def raises(path: Path, exception: str) -> Iterator[ast.Call]:
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.Call) and getattr(node.func, "id", "") == exception:
            yield node


def code_of(call: ast.Call) -> str | None:
    for keyword in call.keywords:
        if keyword.arg == "code" and isinstance(keyword.value, ast.Constant):
            return keyword.value.value
    return None


def test_every_refusal_the_services_and_pages_raise_is_in_its_table() -> None:
    """The services raise a code only, and every code raised without words of its own has them in its
    table; so do the engine's refusals of a move."""
    services = [*(ROOT / "games" / "play" / "services").glob("*.py")]
    tables = {"JoinError": errors.JOIN, "ServiceError": errors.INSTRUCTOR, "MoveRejected": errors.PLAY}
    unworded, worded_at_the_raise = [], []
    for exception, table in tables.items():
        for path in [*services, ROOT / "games" / "play" / "pages.py"]:
            for call in raises(path, exception):
                if call.args and path in services:
                    worded_at_the_raise.append(f"{path.name}:{call.lineno}")
                code = code_of(call)
                if not call.args and code is not None and code not in table:
                    unworded.append(f"{path.name}:{call.lineno} {code}")
    engine = ast.parse((ROOT / "games" / "crisis" / "game.py").read_text(encoding="utf-8"))
    illegal = {
        n.args[0].value
        for n in ast.walk(engine)
        if getattr(getattr(n, "func", None), "id", "") == "IllegalMove"
    }
    assert illegal and illegal <= set(errors.PLAY)
    assert (unworded, worded_at_the_raise) == ([], [])


def test_a_refusal_speaks_the_readers_language_and_english_on_sockets() -> None:
    from games.play.services import JoinError, MoveRejected

    refusal = JoinError(code="bad_name", status=400, max_length=40)
    assert refusal.message == "Enter a display name of at most 40 characters, without control characters."
    with translation.override("ja"):
        assert "40" in refusal.text() and refusal.text() != refusal.message
        assert refusal.message.startswith("Enter a display name")
        assert errors.in_english(errors.PLAY, "stale") == str(MoveRejected(code="stale").message)


# --------------------------------------------------------------------------------------------------
# The join-code rule
# --------------------------------------------------------------------------------------------------


def test_the_join_code_rule() -> None:
    from games.models import ClassSession, new_join_code

    assert join_code.normalise(" ab c12 ") == "ABC12"
    assert all(join_code.is_valid(code) for code in ("ABCD", "PLAY42", "A" * 12, new_join_code()))
    assert not any(
        join_code.is_valid(code) for code in ("ABC", "A" * 13, "AB-CD", "ab12", "ＡＢＣＤ", "AB\x00C")
    )
    assert set(join_code.ALPHABET) <= set("ABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789")
    assert join_code.MIN_LENGTH <= join_code.LENGTH <= join_code.MAX_LENGTH
    assert ClassSession._meta.get_field("code").max_length == join_code.MAX_LENGTH
    assert re.fullmatch(join_code.URL_PATTERN, "play42")


def test_every_valid_code_routes_to_the_instructor_socket() -> None:
    from games.routing import websocket_urlpatterns

    pattern = websocket_urlpatterns[1].pattern
    assert pattern.match("ws/instructor/ABCD/") and pattern.match(f"ws/instructor/{'Z9' * 6}/")
    assert not pattern.match("ws/instructor/ABC/") and not pattern.match("ws/instructor/AB_CD/")


def test_the_services_and_the_form_apply_the_rule(db: None) -> None:
    from games.instructor.forms import NewClassForm
    from games.play import services

    assert services.normalise_code(" pl ay42 ") == "PLAY42"
    for bad in ("", "ABC", "A" * 13, None, 42):
        with pytest.raises(services.JoinError):
            services.normalise_code(bad)
    form = NewClassForm(data={"code": "ab"})
    form.is_valid()
    assert "code" in form.errors
    form = NewClassForm(data={"code": " room 7 "})
    form.is_valid()
    assert "code" not in form.errors and form.cleaned_data["code"] == "ROOM7"


# --------------------------------------------------------------------------------------------------
# Numbers
# --------------------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("function", "value", "text"),
    [
        (numbers.decimal, 0.8, "0.80"),
        (numbers.decimal, 1, "1"),
        (numbers.decimal, -2 / 9, "−0.222"),
        (numbers.decimal, None, "–"),
        (numbers.percent, 0.577, "58 %"),
        (numbers.percent, None, "–"),
        (numbers.percent_figure, 0.577, "58"),
        (numbers.signed_percent, -0.28, "−28 %"),
        (numbers.signed_percent, 0.47, "+47 %"),
        (numbers.as_points, -0.125, "−12.5"),
        (numbers.as_points, -0.0001, "0"),
        (numbers.points, 40.0, "40"),
        (numbers.probability, 0.5769, "0.577"),
        (numbers.probability, 0.5, "0.5"),
        (numbers.tree_probability, 0.5769, ".577"),
        (numbers.tree_probability, 1, "1"),
        (numbers.short, -0.3, "−0.3"),
        (numbers.exact_float, 0.1, "0.1"),
        (numbers.exact_float, None, ""),
        (numbers.significant, 1 / 3, "0.333333"),
        (numbers.significant, None, None),
    ],
)
def test_numbers_are_written_one_way(function: Any, value: Any, text: str | None) -> None:
    assert function(value) == text


def test_rounded_and_fixed() -> None:
    assert numbers.rounded(-0.25, 2) == "−0.25"
    assert numbers.rounded(-0.001, 2) == "0.00"
    assert (
        numbers.fixed(12.5, 2) == "12.50" and numbers.fixed(-1, 1) == "-1.0" and numbers.fixed(None, 2) == ""
    )
