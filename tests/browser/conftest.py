"""The browser tests' fixtures: a live server and Debian's Chromium driven by Playwright.

* `crisis_server`: uvicorn in a subprocess, in embedded mode (SQLite, in-memory channel layer, in-process
  timers), on a free port and a fresh SQLite database that `manage.py migrate` prepared. pytest-django's
  `crisis_server` cannot serve websockets, hence a real ASGI server. Classes are made with
  `manage.py create_class` against the same database; `--autostart` starts them inside the server process,
  whose in-memory channel layer then pushes the start to every page.
* `browser`: the system Chromium (`CHROMIUM`, default /usr/bin/chromium), never a downloaded one. Missing,
  it skips the tests, except in CI (`CI=true`), where it fails them.

Screenshots go to a temporary directory, or to docs/screenshots/ with UPDATE_SCREENSHOTS=1.

The fixtures are package-scoped, not session-scoped: while Playwright's sync API is open it keeps an event
loop on the main thread, and the later tests that call `async_to_sync` would then refuse to run.
"""

from __future__ import annotations

import os
import re
import socket
import subprocess
import sys
import time
import urllib.request
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import pytest
from playwright.sync_api import Page, expect

from tests.conftest import IN_CI, ROOT, clean_environment

CHROMIUM = os.environ.get("CHROMIUM", "/usr/bin/chromium")
CHROMIUM_ARGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]
STARTUP_SECONDS = 60.0
PHONE = {"width": 360, "height": 740}
LAPTOP = {"width": 1280, "height": 800}


@dataclass
class LiveServer:
    url: str
    env: dict[str, str]
    process: subprocess.Popen[bytes] | None = field(default=None, repr=False)

    def manage(self, *args: str) -> str:
        """`manage.py <args>` against the server's database; returns stdout."""
        result = subprocess.run(
            [sys.executable, "manage.py", *args],
            cwd=ROOT,
            env=self.env,
            capture_output=True,
            text=True,
            timeout=120,
            check=False,
        )
        if result.returncode != 0:
            raise AssertionError(f"manage.py {' '.join(args)} failed:\n{result.stdout}\n{result.stderr}")
        return result.stdout

    def create_class(self, code: str, *options: str) -> str:
        return self.manage("create_class", "--scenario", "baseline", "--code", code, *options).strip()


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def wait_until_up(url: str, process: subprocess.Popen[bytes]) -> None:
    deadline = time.monotonic() + STARTUP_SECONDS
    while time.monotonic() < deadline:
        if process.poll() is not None:
            raise RuntimeError(f"the live server exited with status {process.returncode}")
        try:
            with urllib.request.urlopen(url + "/healthz", timeout=2) as response:
                if response.status == 200:
                    return
        except OSError:
            time.sleep(0.2)
    raise RuntimeError(f"the live server did not answer within {STARTUP_SECONDS:.0f} s")


@pytest.fixture(scope="package")
def crisis_server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[LiveServer]:
    workdir = tmp_path_factory.mktemp("browser-server")
    env = clean_environment(
        DJANGO_SETTINGS_MODULE="tests.browser.server_settings",
        CRISIS_BROWSER_DB=str(workdir / "db.sqlite3"),
        JOIN_RATE_LIMIT="0/60",
        LOG_LEVEL="WARNING",
    )
    port = free_port()
    server = LiveServer(url=f"http://127.0.0.1:{port}", env=env)
    server.manage("migrate", "--noinput")
    command = [
        sys.executable, "-m", "uvicorn", "wargame.asgi:application", "--host", "127.0.0.1",
        "--port", str(port), "--lifespan", "on", "--ws-max-size", "65536", "--log-level", "warning",
    ]  # fmt: skip
    log = (workdir / "server.log").open("wb")
    server.process = subprocess.Popen(command, cwd=ROOT, env=env, stdout=log, stderr=subprocess.STDOUT)
    try:
        wait_until_up(server.url, server.process)
        yield server
    finally:
        server.process.terminate()
        try:
            server.process.wait(timeout=15)
        except subprocess.TimeoutExpired:
            server.process.kill()
            server.process.wait()
        log.close()


@pytest.fixture(scope="package")
def chromium() -> str:
    if not os.access(CHROMIUM, os.X_OK):
        message = f"Chromium not found at {CHROMIUM} (set CHROMIUM, or `make ensure-chromium`)"
        if IN_CI:
            pytest.fail(message, pytrace=False)
        pytest.skip(message)
    return CHROMIUM


@pytest.fixture(scope="package")
def browser(chromium: str) -> Iterator[Any]:
    from playwright.sync_api import expect, sync_playwright

    expect.set_options(timeout=10_000)  # a loaded CI machine: give every update up to 10 s

    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=chromium, headless=True, args=CHROMIUM_ARGS)
        try:
            yield browser
        finally:
            browser.close()


@pytest.fixture(scope="package")
def screenshot_dir(tmp_path_factory: pytest.TempPathFactory) -> Path:
    if os.environ.get("UPDATE_SCREENSHOTS", "").strip().lower() in {"1", "true", "yes"}:
        path = ROOT / "docs" / "screenshots"
        path.mkdir(parents=True, exist_ok=True)
        return path
    return tmp_path_factory.mktemp("screenshots")


@pytest.fixture
def new_page(browser: Any, crisis_server: LiveServer) -> Iterator[Callable[..., Any]]:
    """`new_page(viewport=PHONE, locale="en-GB")`: a page in a browser context of its own (its own
    cookies: one student), closed after the test."""
    contexts: list[Any] = []

    def make(viewport: dict[str, int] = PHONE, locale: str = "en-GB", **options: Any) -> Any:
        context = browser.new_context(
            viewport=viewport, locale=locale, base_url=crisis_server.url, reduced_motion="reduce", **options
        )
        context.set_default_timeout(10_000)
        contexts.append(context)
        return context.new_page()

    yield make
    for context in contexts:
        context.close()


# ----- the instructor's account and the student's join, for every browser test ----------------------------
INSTRUCTOR_USERNAME = "teacher"
INSTRUCTOR_PASSWORD = "browser-test-password"  # a throwaway account on the live server's throwaway database


@pytest.fixture(scope="package")
def instructor(crisis_server: LiveServer) -> tuple[str, str]:
    """A staff superuser on the live server's database."""
    crisis_server.manage(
        "shell",
        "-c",
        "from django.contrib.auth import get_user_model\n"
        f"user, _ = get_user_model().objects.get_or_create(username={INSTRUCTOR_USERNAME!r})\n"
        "user.is_staff = user.is_superuser = user.is_active = True\n"
        f"user.set_password({INSTRUCTOR_PASSWORD!r})\n"
        "user.save()\n",
    )
    return INSTRUCTOR_USERNAME, INSTRUCTOR_PASSWORD


def log_in(page: Page, account: tuple[str, str], path: str) -> None:
    """Open `path` as a staff page does for a stranger (the login page), log in, land on `path`."""
    page.goto(path)
    expect(page).to_have_url(re.compile(r"/admin/login/\?next="))
    page.fill("#id_username", account[0])
    page.fill("#id_password", account[1])
    page.click("input[type=submit]")
    page.wait_for_url(f"**{path}")


def join(page: Page, code: str, name: str) -> Page:
    page.goto(f"/?code={code}")
    page.fill("#id_name", name)
    page.click(".join-form button[type=submit]")
    page.wait_for_url("**/play/")
    return page
