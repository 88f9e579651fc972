"""Every user-facing string has a Japanese translation, and the pages use it."""

from __future__ import annotations

import ast
import re
from pathlib import Path
from typing import Any

import polib
import pytest

ROOT = Path(__file__).resolve().parent.parent
JA_PO = ROOT / "locale" / "ja" / "LC_MESSAGES" / "django.po"
SOURCE_DIRS = ("wargame", "games", "frontend")
GETTEXT_FUNCTIONS = {"_", "gettext", "gettext_lazy", "gettext_noop", "pgettext", "pgettext_lazy"}
TEMPLATE_STRING = re.compile(r"""\{%\s*(?:translate|trans)\s+(?P<q>["'])(?P<text>.*?)(?P=q)""")
BLOCK = re.compile(
    r"\{%\s*blocktrans(?:late)?\b(?P<args>[^%]*)%\}(?P<body>.*?)\{%\s*endblocktrans(?:late)?\s*%\}", re.S
)


@pytest.fixture(scope="module")
def catalogue() -> polib.POFile:
    return polib.pofile(str(JA_PO))


def python_msgids(path: Path) -> set[str]:
    found = set()
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if not isinstance(node, ast.Call):
            continue
        name = node.func.attr if isinstance(node.func, ast.Attribute) else getattr(node.func, "id", "")
        if name not in GETTEXT_FUNCTIONS or not node.args:
            continue
        arg = node.args[-1] if name.startswith("pgettext") else node.args[0]
        if isinstance(arg, ast.Constant) and isinstance(arg.value, str):
            found.add(arg.value)
    return found


def template_msgids(path: Path) -> set[str]:
    text = path.read_text(encoding="utf-8")
    found = {match["text"] for match in TEMPLATE_STRING.finditer(text)}
    for match in BLOCK.finditer(text):
        body = re.sub(r"\{\{\s*(\w+)\s*\}\}", r"%(\1)s", match["body"])
        found.add(" ".join(body.split()) if "trimmed" in match["args"] else body)
    return found


def used_msgids() -> set[str]:
    found: set[str] = set()
    for directory in SOURCE_DIRS:
        for path in (ROOT / directory).rglob("*"):
            if "migrations" in path.parts or "crisis" in path.parts:
                continue  # migrations freeze names; the engine has no user-facing strings
            if path.suffix == ".py":
                found |= python_msgids(path)
            elif path.suffix in {".html", ".txt"}:
                found |= template_msgids(path)
    return found


def test_catalogue_has_no_untranslated_or_fuzzy_entries(catalogue: polib.POFile) -> None:
    assert [entry.msgid for entry in catalogue.untranslated_entries()] == []
    assert [entry.msgid for entry in catalogue.fuzzy_entries()] == []
    assert [entry.msgid for entry in catalogue.obsolete_entries()] == []
    assert len(catalogue.translated_entries()) > 10


def test_every_string_in_the_code_is_in_the_catalogue(catalogue: polib.POFile) -> None:
    used = used_msgids()
    assert "Class code" in used  # the extraction itself works
    known = {entry.msgid for entry in catalogue}
    assert sorted(used - known) == []


def test_compiled_catalogue_matches_the_po_file(catalogue: polib.POFile) -> None:
    mo_path = JA_PO.with_suffix(".mo")
    assert mo_path.is_file(), "run `make messages` and commit the .mo file"
    compiled = {entry.msgid: entry.msgstr for entry in polib.mofile(str(mo_path)) if entry.msgid}
    source = {entry.msgid: entry.msgstr for entry in catalogue.translated_entries()}
    assert compiled == source, "the .mo is stale: run `make messages`"


def test_join_page_speaks_japanese(client: Any) -> None:
    page = client.get("/", headers={"accept-language": "ja"}).content.decode()
    assert '<html lang="ja">' in page
    assert "クラスコード" in page
    assert "表示名" in page
    assert "Class code" not in page


def test_join_page_speaks_english_by_default(client: Any) -> None:
    page = client.get("/").content.decode()
    assert '<html lang="en">' in page
    assert "Class code" in page


@pytest.mark.django_db
def test_language_switcher_sets_japanese(client: Any) -> None:
    response = client.post("/i18n/setlang/", {"language": "ja", "next": "/?code=ABC"})
    assert response.status_code == 302
    assert response.headers["Location"] == "/?code=ABC"
    page = client.get("/?code=ABC").content.decode()
    assert "クラスコード" in page
