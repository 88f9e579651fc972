"""The pages' native ES modules still load with production's hashed static names: `collectstatic` with the
production storage (wargame/storage.py) rewrites every `import ... from "./x.js"` to the hashed name of a
file it wrote, so a browser that loads the hashed main.js finds every module it imports."""

from __future__ import annotations

import json
import posixpath
import re
import secrets
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest

from tests.conftest import ROOT, clean_environment

PRODUCTION = {
    "DJANGO_SETTINGS_MODULE": "wargame.settings_production",
    "ALLOWED_HOSTS": "crisis.example.org",
    "CSRF_TRUSTED_ORIGINS": "https://crisis.example.org",
}
# The specifier of a static `import ... from "…"` / `export ... from "…"`, a bare `import "…"` or a
# dynamic `import("…")`.
IMPORT = re.compile(
    r"""(?:\b(?:import|export)\b[^;'"]*?\bfrom\s*|\bimport\s*\(?\s*)["']([^"']+)["']""", re.MULTILINE
)
MODULE_DIRS = ("js/", "instructor/")


def imports(script: str) -> list[str]:
    return IMPORT.findall(script)


def modules(static: Path) -> list[str]:
    """The scripts under MODULE_DIRS, by their static names."""
    return sorted(
        path.relative_to(static).as_posix()
        for directory in MODULE_DIRS
        for path in (static / directory).rglob("*.js")
    )


@pytest.fixture(scope="module")
def collected(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, dict[str, str]]:
    root = tmp_path_factory.mktemp("static")
    env = clean_environment(**PRODUCTION, SECRET_KEY=secrets.token_urlsafe(50), STATIC_ROOT=str(root))
    done = subprocess.run(
        [sys.executable, "manage.py", "collectstatic", "--noinput"],
        cwd=ROOT, env=env, capture_output=True, text=True, timeout=300, check=False,
    )  # fmt: skip
    assert done.returncode == 0, done.stdout + done.stderr
    manifest = json.loads((root / "staticfiles.json").read_text())["paths"]
    return root, manifest


def test_the_play_page_is_built_of_modules_that_import_each_other() -> None:
    static = ROOT / "frontend" / "static"
    main = (static / "js" / "play" / "main.js").read_text()
    assert imports(main), "main.js imports nothing: the pattern no longer finds imports"
    assert sum(len(imports((static / name).read_text())) for name in modules(static)) > 30


def test_every_module_import_points_at_a_hashed_file_that_exists(
    collected: tuple[Path, dict[str, Any]],
) -> None:
    root, manifest = collected
    hashed_names = set(manifest.values())
    static = ROOT / "frontend" / "static"
    sources = modules(static)
    assert {"js/play/main.js", "js/shared/socket.js", "instructor/live.js"} <= set(sources)
    for name in sources:
        hashed = manifest[name]
        assert hashed != name, f"{name} was not given a hashed name"
        found = imports((root / hashed).read_text())
        assert len(found) == len(imports((static / name).read_text())), name
        for specifier in found:
            target = posixpath.normpath(posixpath.join(posixpath.dirname(hashed), specifier))
            assert target in hashed_names, f"{hashed} imports {specifier}, not a hashed name"
            assert (root / target).is_file(), f"{hashed} imports {specifier}, which was not written"
