"""A class on the room's network: the join link, its QR code and the projector show this machine's address
there (not the loopback the instructor may be using), the pages warn when phones could not open the join
address, the address is found without sending anything, and `make classroom` serves all interfaces in
classroom mode while `make run` installs only what playing needs."""

from __future__ import annotations

import os
import socket
import stat
import subprocess
from pathlib import Path
from typing import Any

import pytest
from django.test import Client
from django.utils.html import escape

from games.instructor import views
from tests.live import make_class
from wargame import network

ROOT = Path(__file__).resolve().parent.parent
LAN = "192.0.2.50"  # TEST-NET-1: never a real machine


@pytest.fixture(autouse=True)
def fast_password_hashing(settings: Any) -> None:
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


@pytest.fixture
def classroom(settings: Any) -> None:
    """Classroom mode on a machine whose LAN address is LAN."""
    settings.CLASSROOM = True
    settings.LAN_ADDRESS = LAN
    settings.PUBLIC_URL = ""
    settings.ALLOWED_HOSTS = ["localhost", "127.0.0.1", "[::1]", LAN, "testserver"]


def page(client: Client, path: str, host: str, **headers: str) -> str:
    response = client.get(path, HTTP_HOST=host, headers=headers)
    assert response.status_code == 200
    return response.content.decode()


def dashboard_and_projector(client: Client, host: str, **headers: str) -> tuple[str, str, str]:
    class_session, _ = make_class(students=0)
    base = f"/instructor/classes/{class_session.code}/"
    return (
        class_session.code,
        page(client, base, host, **headers),
        page(client, base + "projector/", host, **headers),
    )


# ----- the join link, QR code and projector ----------------------------------------------------------------
@pytest.mark.django_db
@pytest.mark.usefixtures("classroom")
def test_opened_on_loopback_the_pages_advertise_the_lan_address(admin_client: Client) -> None:
    code, dashboard, projector = dashboard_and_projector(admin_client, "127.0.0.1:8123")
    link = f"http://{LAN}:8123/?code={code}"
    qr = str(views.qr_svg(link, "QR code of the join link"))
    assert f'href="{link}"' in dashboard and qr in dashboard
    assert qr in projector
    assert f'<strong class="proj-host">{LAN}:8123</strong>' in projector
    for html in (dashboard, projector):
        assert "127.0.0.1" not in html
        assert "data-join-warning" not in html


@pytest.mark.django_db
@pytest.mark.usefixtures("classroom")
def test_opened_at_the_lan_address_the_pages_keep_it(admin_client: Client) -> None:
    code, dashboard, _ = dashboard_and_projector(admin_client, f"{LAN}:8000")
    assert f'href="http://{LAN}:8000/?code={code}"' in dashboard


@pytest.mark.django_db
def test_a_public_url_wins_everywhere(admin_client: Client, settings: Any) -> None:
    settings.PUBLIC_URL = "https://crisis.school.example"
    code, dashboard, projector = dashboard_and_projector(admin_client, "127.0.0.1:8000")
    assert f'href="https://crisis.school.example/?code={code}"' in dashboard
    assert '<strong class="proj-host">crisis.school.example</strong>' in projector
    assert "data-join-warning" not in dashboard + projector


@pytest.mark.django_db
def test_a_loopback_join_address_is_warned_about_on_the_dashboard_and_the_projector(
    admin_client: Client, settings: Any
) -> None:
    settings.CLASSROOM = False
    code, dashboard, projector = dashboard_and_projector(admin_client, "127.0.0.1:8000")
    assert f'href="http://127.0.0.1:8000/?code={code}"' in dashboard  # `make run`: this machine only
    for html in (dashboard, projector):
        assert "data-join-warning" in html
        assert escape("127.0.0.1:8000 is this computer's own address: phones cannot open it.") in html
        assert "make classroom" in html


@pytest.mark.django_db
@pytest.mark.usefixtures("classroom")
def test_classroom_mode_without_a_network_still_warns(admin_client: Client, settings: Any) -> None:
    settings.LAN_ADDRESS = None
    _, dashboard, projector = dashboard_and_projector(admin_client, "localhost:8000")
    assert "data-join-warning" in dashboard and "data-join-warning" in projector


@pytest.mark.django_db
def test_the_warning_speaks_japanese(admin_client: Client, settings: Any) -> None:
    settings.CLASSROOM = False
    _, dashboard, projector = dashboard_and_projector(admin_client, "localhost:8000", accept_language="ja")
    for html in (dashboard, projector):
        assert "localhost:8000 はこのコンピューター自身のアドレスのため" in html


# ----- finding the address ---------------------------------------------------------------------------------
@pytest.mark.parametrize(
    ("host", "local"),
    [
        ("127.0.0.1", True),
        ("127.8.9.10", True),
        ("localhost", True),
        ("LOCALHOST.", True),
        ("app.localhost", True),
        ("::1", True),
        ("[::1]", True),
        ("0.0.0.0", True),
        ("", True),
        ("192.168.1.23", False),
        ("10.0.0.5", False),
        ("fd00::2", False),
        ("crisis-laptop.local", False),
        ("crisis.school.example", False),
    ],
)
def test_tells_addresses_only_this_machine_can_open(host: str, local: bool) -> None:
    assert network.is_local_only(host) is local


class RecordingSocket:
    """A UDP socket that records what is done with it; `connect` picks a route as the kernel would."""

    calls: list[str] = []

    def __init__(self, family: int, kind: int) -> None:
        assert (family, kind) == (socket.AF_INET, socket.SOCK_DGRAM)

    def __enter__(self) -> RecordingSocket:
        return self

    def __exit__(self, *exc: object) -> None:
        self.calls.append("close")

    def connect(self, address: tuple[str, int]) -> None:
        self.calls.append(f"connect {address[0]}")

    def getsockname(self) -> tuple[str, int]:
        return ("192.168.7.20", 40000)

    def __getattr__(self, name: str) -> Any:
        raise AssertionError(f"the address probe must not call socket.{name}")  # send, sendto, ...


def test_the_lan_address_is_found_by_routing_alone_with_no_name_lookup(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    RecordingSocket.calls = []
    monkeypatch.setattr(network.socket, "socket", RecordingSocket)
    for lookup in ("getaddrinfo", "gethostbyname", "gethostbyname_ex", "getfqdn"):  # DNS or mDNS queries
        monkeypatch.setattr(network.socket, lookup, lambda *a, _name=lookup: pytest.fail(f"{_name} called"))
    monkeypatch.setattr(network, "_interface_addresses", lambda: ["127.0.1.1", "192.168.7.20", "10.8.0.3"])
    assert network.lan_address() == "192.168.7.20"
    assert network.machine_addresses() == ["192.168.7.20", "10.8.0.3"]
    calls = RecordingSocket.calls
    assert calls and all(call.split()[0] in {"connect", "close"} for call in calls)
    assert all(call.split()[1].startswith(("10.", "192.168.", "172.")) for call in calls if " " in call)


def test_a_machine_without_a_network_has_no_lan_address(monkeypatch: pytest.MonkeyPatch) -> None:
    def unreachable(probe: str) -> None:
        return None

    monkeypatch.setattr(network, "_route_source", unreachable)
    monkeypatch.setattr(network, "_interface_addresses", lambda: ["127.0.1.1"])
    assert network.lan_address() is None
    assert network.base_url(8000) == "http://127.0.0.1:8000"


def test_the_real_lan_address_is_never_loopback() -> None:
    address = network.lan_address()
    assert address is None or not network.is_local_only(address)


def test_the_printed_address_is_the_public_url_when_set(run_python: Any) -> None:
    done = run_python("-m", "wargame.network", "--port", "8123", env={"PUBLIC_URL": "http://laptop.local:8123/"})
    assert done.returncode == 0, done.stderr
    assert done.stdout.strip() == "http://laptop.local:8123"
    plain = run_python("-m", "wargame.network", "--port", "8123")
    address = network.lan_address()
    assert plain.stdout.strip() == f"http://{address or '127.0.0.1'}:8123"
    assert ("phones cannot join" in plain.stderr) is (address is None)


# ----- the Makefile: make run installs what playing needs; make classroom serves the room ----------------
@pytest.fixture
def fake_python(tmp_path: Path) -> tuple[Path, Path]:
    """A stand-in interpreter that logs each call with the CLASSROOM it saw, and answers the address probe."""
    log = tmp_path / "calls.log"
    venv = tmp_path / "venv"
    (venv / "bin").mkdir(parents=True)
    python = venv / "bin" / "python"
    python.write_text(
        "#!/bin/sh\n"
        f'echo "CLASSROOM=$CLASSROOM $*" >> "{log}"\n'
        'if [ "$1 $2" = "-m wargame.network" ]; then echo "http://192.0.2.77:$4"; fi\n'
    )
    python.chmod(python.stat().st_mode | stat.S_IXUSR)
    return venv, log


MAKE_VARIABLES = {"HOST", "PORT", "CLASSROOM", "MAKEFLAGS", "MAKELEVEL", "MFLAGS"}


def make(target: str, venv: Path, *flags: str, **variables: str) -> subprocess.CompletedProcess[str]:
    """`make -s <target>` in the checkout with the fake interpreter (nothing is installed or served)."""
    env = {key: value for key, value in os.environ.items() if key not in MAKE_VARIABLES}
    arguments = [f"VENV={venv}", f"PY={venv}/bin/python", *(f"{k}={v}" for k, v in variables.items())]
    command = ["make", "-s", *flags, target, *arguments]
    return subprocess.run(command, cwd=ROOT, env=env, capture_output=True, text=True, timeout=60)


def test_make_run_installs_the_runtime_dependencies_only_and_serves_loopback(
    fake_python: tuple[Path, Path],
) -> None:
    venv, log = fake_python
    done = make("run", venv, PORT="8123")
    assert done.returncode == 0, done.stderr
    calls = log.read_text().splitlines()
    installs = [call for call in calls if "pip install" in call]
    assert len(installs) == 1 and installs[0].endswith("--constraint constraints.txt --editable .")
    assert "[dev]" not in installs[0]
    assert "Installing what playing needs" in done.stdout  # says what it does before pip's own output
    assert any("manage.py migrate" in call for call in calls)
    serve = next(call for call in calls if "scripts/supervise.py" in call)
    assert serve.startswith("CLASSROOM=false ") and "--host 127.0.0.1 --port 8123" in serve
    assert "http://127.0.0.1:8123/" in done.stdout


@pytest.mark.parametrize(("target", "variables"), [("classroom", {}), ("run", {"HOST": "0.0.0.0"})])
def test_make_classroom_serves_every_interface_in_classroom_mode_at_the_lan_address(
    fake_python: tuple[Path, Path], target: str, variables: dict[str, str]
) -> None:
    venv, log = fake_python
    done = make(target, venv, PORT="8124", **variables)
    assert done.returncode == 0, done.stderr
    calls = log.read_text().splitlines()
    for command in ("manage.py migrate", "manage.py seed_demo", "scripts/supervise.py"):
        call = next(call for call in calls if command in call)
        assert call.startswith("CLASSROOM=true "), call
    assert any("seed_demo --base-url http://192.0.2.77:8124" in call for call in calls)
    assert "--host 0.0.0.0 --port 8124" in next(call for call in calls if "supervise.py" in call)
    assert "Crisis Table:  http://192.0.2.77:8124/" in done.stdout
    assert "Served to the room's network" in done.stdout


def test_make_test_installs_the_development_tools(fake_python: tuple[Path, Path]) -> None:
    venv, log = fake_python
    done = make("venv", venv)
    assert done.returncode == 0, done.stderr
    installs = [call for call in log.read_text().splitlines() if "pip install" in call]
    assert len(installs) == 1 and "--editable .[dev]" in installs[0]
    (venv / ".installed-dev").unlink()
    dry = make("test", venv, "-n")
    assert "pip install --constraint constraints.txt --editable '.[dev]'" in dry.stdout


# ----- the instructor finds their pages from the home page --------------------------------------------------
@pytest.mark.django_db
def test_the_home_page_links_the_instructors_pages(client: Client) -> None:
    html = client.get("/").content.decode()
    assert 'href="/instructor/"' in html
