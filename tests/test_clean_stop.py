"""Ctrl-C stops `make run` cleanly: scripts/supervise.py, which runs the servers, exits 0 with no traceback
and leaves no process behind, whether the signal comes from the terminal (to the whole foreground process
group) or to the supervisor alone; a command that fails by itself still fails the run."""

from __future__ import annotations

import os
import signal
import socket
import subprocess
import sys
import time
from pathlib import Path

import pytest

from tests.conftest import ROOT, clean_environment

# A stand-in server: writes its pid, then on SIGTERM (or SIGINT) exits the way uvicorn does, by re-raising
# the signal after a clean shutdown (so its status is "killed by SIGTERM").
SERVER = """
import os, signal, sys, time
open(sys.argv[1], "w").write(str(os.getpid()))
def stop(signum, frame):
    signal.signal(signum, signal.SIG_DFL)
    os.kill(os.getpid(), signum)
signal.signal(signal.SIGTERM, stop)
signal.signal(signal.SIGINT, stop)
while True:
    time.sleep(0.05)
"""
STUBBORN = """
import os, signal, sys, time
open(sys.argv[1], "w").write(str(os.getpid()))
signal.signal(signal.SIGTERM, signal.SIG_IGN)
signal.signal(signal.SIGINT, signal.SIG_IGN)
while True:
    time.sleep(0.05)
"""


def script(tmp_path: Path, name: str, source: str) -> str:
    path = tmp_path / f"{name}.py"
    path.write_text(source)
    return f"{sys.executable} {path} {tmp_path / (name + '.pid')}"


def supervise(*commands: str) -> subprocess.Popen[str]:
    """The supervisor as `make run` starts it, leading its own process group (as a terminal's job)."""
    return subprocess.Popen(
        [sys.executable, str(ROOT / "scripts" / "supervise.py"), *commands],
        cwd=ROOT, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True, start_new_session=True,
    )  # fmt: skip


def pids_when_started(tmp_path: Path, *names: str, timeout: float = 20) -> list[int]:
    deadline = time.monotonic() + timeout
    files = [tmp_path / f"{name}.pid" for name in names]
    while not all(f.is_file() and f.read_text() for f in files):
        assert time.monotonic() < deadline, "the commands did not start"
        time.sleep(0.05)
    return [int(f.read_text()) for f in files]


def gone(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return True
    status = Path(f"/proc/{pid}/stat")
    return status.is_file() and status.read_text().split()[2] == "Z"  # a zombie has exited


def test_ctrl_c_at_the_terminal_exits_0_quietly_and_stops_every_command(tmp_path: Path) -> None:
    process = supervise(script(tmp_path, "web", SERVER), script(tmp_path, "worker", SERVER))
    pids = pids_when_started(tmp_path, "web", "worker")
    os.killpg(process.pid, signal.SIGINT)  # what Ctrl-C does: the whole foreground group
    _, err = process.communicate(timeout=30)
    assert process.returncode == 0, err
    assert "Traceback" not in err and "KeyboardInterrupt" not in err
    assert "Stopped." in err
    assert all(gone(pid) for pid in pids)


def test_sigterm_to_the_supervisor_alone_stops_every_command(tmp_path: Path) -> None:
    process = supervise(script(tmp_path, "web", SERVER))
    (pid,) = pids_when_started(tmp_path, "web")
    process.send_signal(signal.SIGTERM)
    _, err = process.communicate(timeout=30)
    assert process.returncode == 0 and "Traceback" not in err
    assert gone(pid)


def test_a_second_ctrl_c_kills_a_command_that_will_not_stop(tmp_path: Path) -> None:
    process = supervise(script(tmp_path, "stubborn", STUBBORN))
    (pid,) = pids_when_started(tmp_path, "stubborn")
    started = time.monotonic()
    os.killpg(process.pid, signal.SIGINT)
    time.sleep(0.5)
    assert process.poll() is None  # still waiting for it (the grace time is 15 s)
    os.killpg(process.pid, signal.SIGINT)
    _, err = process.communicate(timeout=30)
    assert time.monotonic() - started < 10
    assert process.returncode == 0 and "Traceback" not in err
    assert gone(pid)


def test_a_command_that_fails_by_itself_stops_the_others_and_fails_the_run(tmp_path: Path) -> None:
    failing = f"{sys.executable} -c 'import time, sys; time.sleep(0.5); sys.exit(3)'"
    process = supervise(script(tmp_path, "web", SERVER), failing)
    (pid,) = pids_when_started(tmp_path, "web")
    process.communicate(timeout=30)
    assert process.returncode == 3
    assert gone(pid)


@pytest.mark.slow
def test_ctrl_c_stops_the_real_server_cleanly(tmp_path: Path) -> None:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    env = clean_environment(
        DJANGO_SETTINGS_MODULE="wargame.settings", DATABASE_URL=f"sqlite:///{tmp_path / 'db.sqlite3'}"
    )
    server = f"{sys.executable} -m uvicorn wargame.asgi:application --host 127.0.0.1 --port {port}"
    process = subprocess.Popen(
        [sys.executable, str(ROOT / "scripts" / "supervise.py"), server],
        cwd=ROOT, env=env, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True, start_new_session=True,
    )  # fmt: skip
    deadline = time.monotonic() + 60
    while True:
        try:
            with socket.create_connection(("127.0.0.1", port), timeout=1):
                break
        except OSError:
            assert time.monotonic() < deadline and process.poll() is None, "the server did not start"
            time.sleep(0.2)
    os.killpg(process.pid, signal.SIGINT)
    _, err = process.communicate(timeout=30)
    assert process.returncode == 0, err
    assert "Traceback" not in err and "Error" not in err, err
    assert "Finished server process" in err  # uvicorn shut down gracefully
