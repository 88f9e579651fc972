"""The engine (`games.crisis`) is pure: no framework, no service client, nothing else of ours.

Checked twice, independently: by import-linter's contract in pyproject.toml, and by reading every
file's syntax tree here (which also catches `importlib.import_module("django")` and relative imports
that climb out of the package).
"""

from __future__ import annotations

import ast
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
ENGINE = ROOT / "games" / "crisis"
ENGINE_PACKAGE = "games.crisis"
FORBIDDEN_TOP_LEVEL = {
    "django",
    "channels",
    "channels_redis",
    "daphne",
    "uvicorn",
    "celery",
    "kombu",
    "redis",
    "psycopg",
    "psycopg2",
    "asgiref",
    "whitenoise",
    "environ",
    "wargame",
}


def module_of(path: Path) -> str:
    parts = path.relative_to(ROOT).with_suffix("").parts
    return ".".join(parts[:-1] if parts[-1] == "__init__" else parts)


def resolve_relative(package: str, level: int, module: str | None) -> str:
    """The absolute name `from <level dots><module> import ...` means inside `package` ("" if invalid)."""
    parts = package.split(".") if package else []
    if level - 1 > len(parts):
        return ""
    base = parts[: len(parts) - (level - 1)]
    return ".".join(base + ([module] if module else []))


def imported_names(source: str, module: str, is_package: bool = False) -> list[tuple[int, str]]:
    """(line, absolute module name) of every import in `source`, as if it were module `module`."""
    package = module if is_package else module.rpartition(".")[0]
    found: list[tuple[int, str]] = []
    for node in ast.walk(ast.parse(source)):
        if isinstance(node, ast.Import):
            found.extend((node.lineno, alias.name) for alias in node.names)
        elif isinstance(node, ast.ImportFrom):
            target = resolve_relative(package, node.level, node.module) if node.level else node.module or ""
            # `from x import y` may import the module x.y: check both.
            found.append((node.lineno, target))
            found.extend((node.lineno, f"{target}.{alias.name}") for alias in node.names if alias.name != "*")
        elif isinstance(node, ast.Call) and node.args and isinstance(node.args[0], ast.Constant):
            func = node.func
            name = func.attr if isinstance(func, ast.Attribute) else getattr(func, "id", "")
            if name in {"import_module", "__import__"} and isinstance(node.args[0].value, str):
                found.append((node.lineno, node.args[0].value))
    return found


def is_forbidden(name: str) -> bool:
    top = name.split(".")[0]
    if top in FORBIDDEN_TOP_LEVEL:
        return True
    if top == "games" or name == "":
        return not (name == ENGINE_PACKAGE or name.startswith(ENGINE_PACKAGE + "."))
    return False


def violations(path: Path) -> list[str]:
    module = module_of(path)
    names = imported_names(path.read_text(encoding="utf-8"), module, path.name == "__init__.py")
    return [f"{path.relative_to(ROOT)}:{line} imports {name}" for line, name in names if is_forbidden(name)]


def engine_files() -> list[Path]:
    return sorted(ENGINE.rglob("*.py"))


def test_engine_source_imports_nothing_forbidden() -> None:
    files = engine_files()
    assert any(path.name == "params.py" for path in files)
    problems = [problem for path in files for problem in violations(path)]
    assert problems == []


@pytest.mark.parametrize(
    "source",
    [
        "import django",
        "from django.db import models",
        "from channels.layers import get_channel_layer",
        "import celery.app",
        "from games import models",
        "from games.models import Scenario",
        "from .. import tasks",
        "from ..services import submit_move",
        "import importlib\nimportlib.import_module('django.conf')",
        "__import__('wargame.settings')",
    ],
)
def test_checker_catches(source: str) -> None:
    names = imported_names(source, "games.crisis.solver")
    assert any(is_forbidden(name) for _, name in names), names


@pytest.mark.parametrize(
    "source",
    [
        "from fractions import Fraction",
        "from .params import Params",
        "from . import params",
        "from games.crisis.params import Params",
        "import games.crisis.solver",
    ],
)
def test_checker_allows(source: str) -> None:
    names = imported_names(source, "games.crisis.solver")
    assert not any(is_forbidden(name) for _, name in names), names


def test_import_linter_contract_is_kept() -> None:
    lint_imports = Path(sys.executable).with_name("lint-imports")
    done = subprocess.run(
        [str(lint_imports), "--no-cache"], cwd=ROOT, capture_output=True, text=True, timeout=300, check=False
    )
    assert done.returncode == 0, done.stdout + done.stderr
    assert " 0 broken" in done.stdout, done.stdout
