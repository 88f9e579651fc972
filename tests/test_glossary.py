"""The one glossary (games/vocabulary/glossary.py) is the words every page uses: the Japanese catalogue and
the scenarios' names, notes and questions use each concept's term and none of its avoided renderings, and
nothing a student or instructor reads shows a raw code, a reference to the model's specification or the
awkward Japanese the teaching review found."""

from __future__ import annotations

import re
from collections.abc import Iterator
from pathlib import Path

import polib
import pytest

from games.vocabulary import labels
from games.vocabulary.glossary import GLOSSARY, STUDENT_TERMS, TERMS, defined

ROOT = Path(__file__).resolve().parent.parent
JA_PO = ROOT / "locale" / "ja" / "LC_MESSAGES" / "django.po"
TEMPLATES = ROOT / "frontend" / "templates"

PLACEHOLDER = re.compile(r"%\(\w+\)[sd]|%%")

# Codes of the engine and the pages that must never reach a reader on their own.
RAW_CODES = re.compile(
    r"\b[A-Z]{2,}(?:_[A-Z]{2,})+\b"  # MULTIPLE_EQUILIBRIA, COSTLY_SIGNAL_PAID, ...
    r"|\b(?:no_)?cbm\b|\bbeta\b|\bp2?_arm\b|\bsd_arm\b|\barm_cost\b"
    r"|\b[LHRN]\s*/\s*[LHRN]\b"  # the types' letters: "L/H", "R / N"
)
SPEC_REFERENCES = re.compile(r"crisis-model|§\s*\d|\bspec(?:'s|ification)?\b|仕様書|仕様", re.IGNORECASE)
EQUILIBRIUM_CODE = re.compile(r"(?<![A-Za-z0-9_])E[1-5](?![0-9])")
EQUILIBRIUM_MEANING = re.compile(
    r"separating|pooling|no alliance|bluff|分離均衡|一括均衡|同盟なし|はったり|neither US type|どちらのタイプ"
)

# The review's awkward Japanese: a type name that is an adjective (決意が固い) followed by だった or でした
# (「米国は「決意が固い」だった」), and literal glosses.
TYPE_NAMES_JA = {"us": ("決意が固い", "決意が弱い"), "challenger": ("強硬型", "慎重型")}
AWKWARD_JAPANESE = {
    "あなたは誰か": "“Who you are” is the player's position: あなたの立場",
    "抽選": "a lottery: the preventive-diplomacy draw is 予防外交の判定",
}
ADJECTIVE_BEFORE_COPULA = re.compile(r"い」?(?:だった|でした|だと|だ。)")
ROLE_WORDS = (("us", "US"), ("us", "United States"), ("challenger", "Challenger"))


@pytest.fixture(scope="module")
def catalogue() -> polib.POFile:
    return polib.pofile(str(JA_PO))


def plain(text: str) -> str:
    return PLACEHOLDER.sub(" ", text)


def uses(japanese: str, forms: tuple[str, ...]) -> bool:
    return any(form in japanese for form in forms)


def visible_template_text(path: Path) -> str:
    """The words a template writes itself (its `{% translate %}` strings are checked in the catalogue)."""
    text = path.read_text(encoding="utf-8")
    text = re.sub(r"\{#.*?#\}|\{%\s*comment\s*%\}.*?\{%\s*endcomment\s*%\}", " ", text, flags=re.S)
    text = re.sub(r"<(script|style)\b.*?</\1>|<!--.*?-->", " ", text, flags=re.S)
    text = re.sub(r"\{%.*?%\}|\{\{.*?\}\}", " ", text, flags=re.S)
    return re.sub(r"<[^>]*>", " ", text)


def templates() -> Iterator[Path]:
    yield from sorted(TEMPLATES.rglob("*.html"))


def scenario_texts() -> Iterator[tuple[str, str, str]]:
    """(slug, field, text) of every scenario's words in both languages, as the migrations left them."""
    from games.models import Scenario

    for scenario in Scenario.objects.order_by("slug"):
        for field in ("name", "teaching_note", "questions"):
            for language in ("en", "ja"):
                yield scenario.slug, f"{field}_{language}", getattr(scenario, f"{field}_{language}")


def scenario_pairs() -> Iterator[tuple[str, str, str, str]]:
    """(slug, field, English, Japanese) of every scenario."""
    from games.models import Scenario

    for scenario in Scenario.objects.order_by("slug"):
        for field in ("name", "teaching_note", "questions"):
            yield scenario.slug, field, getattr(scenario, f"{field}_en"), getattr(scenario, f"{field}_ja")


# --------------------------------------------------------------------------------------------------
# The glossary itself
# --------------------------------------------------------------------------------------------------


def test_each_concept_has_one_entry_with_both_terms() -> None:
    assert len(TERMS) == len(GLOSSARY)
    assert len({t.en.lower() for t in GLOSSARY}) == len(GLOSSARY)
    for t in GLOSSARY:
        assert t.en and t.ja, t.key
        assert t.pattern.search(t.en), f"{t.key}: its pattern does not find its own English term"
        assert any(form in t.ja for form in t.forms), t.key
        assert not any(re.search(v, t.ja) for v in t.avoid_ja), f"{t.key} avoids its own term"
        assert bool(t.definition_en) == bool(t.definition_ja), t.key


def test_the_lectures_terms_are_the_ones_chosen() -> None:
    chosen = {key: TERMS[key].ja for key in TERMS}
    assert chosen["general_deterrence"] == "一般抑止" and chosen["immediate_deterrence"] == "緊急抑止"
    assert chosen["extended_deterrence"] == "拡大抑止" and chosen["direct_deterrence"] == "直接抑止"
    assert chosen["credibility"] == "信憑性" and chosen["defence_pact"] == "防御同盟"
    assert chosen["bargaining_range"] == "交渉妥結範囲" and chosen["entente"] == "協商"
    assert chosen["ad_hoc_coalition"] == "有志連合" and chosen["arf"] == "ASEAN地域フォーラム"
    assert "事前コスト" in chosen["sinking_costs"] and "事後コスト" in chosen["ex_post_cost"]
    assert len(defined(STUDENT_TERMS)) == len(STUDENT_TERMS)


# --------------------------------------------------------------------------------------------------
# The Japanese catalogue
# --------------------------------------------------------------------------------------------------


def test_the_japanese_uses_each_concepts_term(catalogue: polib.POFile) -> None:
    missing = [
        f"{t.key}: {entry.msgid!r} -> {entry.msgstr!r}"
        for t in GLOSSARY
        for entry in catalogue
        if entry.msgid and t.pattern.search(plain(entry.msgid)) and not uses(entry.msgstr, t.forms)
    ]
    assert missing == []


def test_the_japanese_uses_no_avoided_rendering(catalogue: polib.POFile) -> None:
    found = [
        f"{t.key}: {variant!r} in {entry.msgstr!r}"
        for t in GLOSSARY
        for variant in t.avoid_ja
        for entry in catalogue
        if re.search(variant, entry.msgstr)
    ]
    assert found == []


def test_the_english_uses_no_avoided_rendering(catalogue: polib.POFile) -> None:
    texts = [(entry.msgid, entry.msgid) for entry in catalogue if entry.msgid]
    texts += [(str(path.relative_to(ROOT)), visible_template_text(path)) for path in templates()]
    found = [
        f"{t.key}: {variant!r} in {where!r}"
        for t in GLOSSARY
        for variant in t.avoid_en
        for where, text in texts
        if re.search(variant, text)
    ]
    assert found == []


def test_no_catalogue_entry_shows_a_raw_code_or_the_specification(catalogue: polib.POFile) -> None:
    found = []
    for entry in catalogue:
        for text in (entry.msgid, entry.msgstr):
            text = plain(text)
            for pattern in (RAW_CODES, SPEC_REFERENCES):
                found += [f"{m.group(0)!r} in {text!r}" for m in pattern.finditer(text)]
    assert found == []


def test_equilibria_are_named_by_what_they_mean(catalogue: polib.POFile) -> None:
    texts = [plain(t) for entry in catalogue for t in (entry.msgid, entry.msgstr)]
    assert bare_equilibrium_codes(texts) == []


def bare_equilibrium_codes(texts: list[str]) -> list[str]:
    """Every E1-E5 with no words of its meaning within 60 characters."""
    out = []
    for text in texts:
        for m in EQUILIBRIUM_CODE.finditer(text):
            around = text[max(0, m.start() - 60) : m.end() + 60]
            if not EQUILIBRIUM_MEANING.search(around):
                out.append(f"{m.group(0)} in {text!r}")
    return out


def test_the_japanese_reads_naturally(catalogue: polib.POFile) -> None:
    awkward = [
        f"{word!r} ({why}): {entry.msgstr!r}"
        for entry in catalogue
        for word, why in AWKWARD_JAPANESE.items()
        if word in entry.msgstr
    ]
    for entry in catalogue:
        if "%(type)s" not in entry.msgstr:
            continue
        for name in type_names_for(entry.msgid):
            shown = entry.msgstr.replace("%(type)s", name)
            if ADJECTIVE_BEFORE_COPULA.search(shown):
                awkward.append(f"type name {name!r} before a copula: {shown!r}")
    assert awkward == []


def type_names_for(msgid: str) -> tuple[str, ...]:
    """The Japanese type names a sentence about the US, the Challenger or either can show."""
    found = {role for role, word in ROLE_WORDS if word in msgid}
    return tuple(name for role in (found or set(TYPE_NAMES_JA)) for name in TYPE_NAMES_JA[role])


def test_the_type_names_are_the_ones_checked() -> None:
    from django.utils import translation

    with translation.override("ja"):
        names = {t.role: [] for t in labels.TYPES.values()}
        for t in labels.TYPES.values():
            names[t.role].append(str(t.name))
    assert {role: tuple(n) for role, n in names.items()} == TYPE_NAMES_JA


# --------------------------------------------------------------------------------------------------
# Templates
# --------------------------------------------------------------------------------------------------


@pytest.mark.parametrize("path", list(templates()), ids=lambda p: str(p.relative_to(TEMPLATES)))
def test_no_template_shows_a_raw_code_or_the_specification(path: Path) -> None:
    text = visible_template_text(path)
    found = [m.group(0) for pattern in (RAW_CODES, SPEC_REFERENCES) for m in pattern.finditer(text)]
    assert found == [], path
    assert bare_equilibrium_codes([text]) == [], path


def test_no_template_translates_a_literal_with_a_percent_sign() -> None:
    """Django looks a `{% translate %}` literal up with each "%" doubled, so one with a "%" never finds its
    Japanese: such strings come from Python instead."""
    literal = re.compile(r"""\{%\s*(?:translate|trans)\s+(["'])([^"']*%[^"']*)\1""")
    found = [f"{path.name}: {m[2]!r}" for path in templates() for m in literal.finditer(path.read_text())]
    assert found == []


# --------------------------------------------------------------------------------------------------
# The scenarios, as the data migrations leave them
# --------------------------------------------------------------------------------------------------


@pytest.mark.django_db
def test_the_scenarios_show_no_raw_code_or_specification() -> None:
    found = [
        f"{slug}.{field}: {m.group(0)!r}"
        for slug, field, text in scenario_texts()
        for pattern in (RAW_CODES, SPEC_REFERENCES)
        for m in pattern.finditer(text)
    ]
    found += bare_equilibrium_codes([text for _slug, _field, text in scenario_texts()])
    assert found == []


@pytest.mark.django_db
def test_the_scenarios_use_the_glossary() -> None:
    problems = []
    for slug, field, english, japanese in scenario_pairs():
        for t in GLOSSARY:
            if t.pattern.search(english) and not any(f in japanese for f in t.forms):
                problems.append(f"{slug}.{field}: {t.key} ({t.ja}) missing in Japanese")
            problems += [f"{slug}.{field}_ja: {v!r}" for v in t.avoid_ja if re.search(v, japanese)]
            problems += [f"{slug}.{field}_en: {v!r}" for v in t.avoid_en if re.search(v, english)]
        problems += [f"{slug}.{field}_ja: {w!r}" for w in AWKWARD_JAPANESE if w in japanese]
    assert problems == []


@pytest.mark.django_db
def test_every_library_scenario_has_discussion_questions_in_both_languages() -> None:
    from games.models import Scenario

    for scenario in Scenario.objects.all():
        en, ja = scenario.questions_en.splitlines(), scenario.questions_ja.splitlines()
        assert en and len(en) == len(ja), scenario.slug
        assert all(q.rstrip().endswith("?") for q in en), scenario.slug
        assert all(q.rstrip().endswith(("？", "か。")) for q in ja), scenario.slug
        assert "Ask:" not in scenario.teaching_note_en and "問い：" not in scenario.teaching_note_ja
