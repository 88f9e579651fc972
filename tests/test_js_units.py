"""The pure browser modules' unit tests (tests/js/*.test.mjs: the number formats, the play page's state
rules, the socket's backoff), run by Node's own test runner: no npm package, no build step. Without Node
they are skipped, except in CI (`CI=true`), where they fail."""

from __future__ import annotations

import shutil
import subprocess

import pytest

from tests.conftest import IN_CI, ROOT

TESTS = sorted((ROOT / "tests" / "js").glob("*.test.mjs"))


def node() -> str:
    found = shutil.which("node")
    if found is None:
        message = "Node.js (node) not found: the JavaScript unit tests need it"
        if IN_CI:
            pytest.fail(message, pytrace=False)
        pytest.skip(message)
    return found


def test_the_javascript_unit_tests_pass() -> None:
    assert TESTS, "no tests/js/*.test.mjs"
    # The modules are plain .js files without a package.json: let Node tell ES modules by their syntax.
    command = [node(), "--experimental-detect-module", "--test", *map(str, TESTS)]
    done = subprocess.run(command, cwd=ROOT, capture_output=True, text=True, timeout=120, check=False)
    assert done.returncode == 0, done.stdout + done.stderr
