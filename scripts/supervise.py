"""Run commands side by side as one unit: `make run` (one server) and `make run-stack` (three processes).

All of them stop when any one exits, on Ctrl-C or SIGTERM, and when the process that started this one
(make) goes away, so no server outlives `make run`, even when `make` itself is killed (by `timeout`,
say). Usage: `python scripts/supervise.py "command one" "command two" ...`.

Stopping is quiet and clean: each command runs in its own process group, so a Ctrl-C at the terminal
reaches this supervisor alone, which asks every command once to stop (SIGTERM), waits for them, and
kills what is left after GRACE_SECONDS (a second Ctrl-C kills at once). The exit status is 0 when they
were stopped that way, else the first non-zero status of a command that ended by itself (128 + N for a
command killed by signal N), whose end stopped the others.
"""

from __future__ import annotations

import ctypes
import shlex
import signal
import subprocess
import sys
import time
from types import FrameType

GRACE_SECONDS = 15
POLL_SECONDS = 0.2
PR_SET_PDEATHSIG = 1
STOP_SIGNALS = (signal.SIGINT, signal.SIGTERM, signal.SIGHUP)


def die_with_parent() -> None:
    """Linux: deliver SIGTERM to this process when its parent exits (elsewhere: nothing)."""
    if sys.platform.startswith("linux"):
        ctypes.CDLL(None, use_errno=True).prctl(PR_SET_PDEATHSIG, signal.SIGTERM)


class Stop:
    """The stop signals received so far (a handler only records them: no exception, no traceback)."""

    def __init__(self) -> None:
        self.signals: list[int] = []

    def __call__(self, signum: int, frame: FrameType | None) -> None:
        self.signals.append(signum)

    @property
    def requested(self) -> bool:
        return bool(self.signals)


def start(commands: list[str]) -> list[subprocess.Popen[bytes]]:
    """Each command in a process group of its own (Ctrl-C at the terminal does not reach it directly)."""
    return [
        subprocess.Popen(
            shlex.split(command), stdin=subprocess.DEVNULL, process_group=0, preexec_fn=die_with_parent
        )
        for command in commands
    ]


def wait_for_stop(processes: list[subprocess.Popen[bytes]], stop: Stop) -> None:
    """Until a stop signal arrives or a command ends by itself."""
    while not stop.requested and all(process.poll() is None for process in processes):
        time.sleep(POLL_SECONDS)


def terminate(processes: list[subprocess.Popen[bytes]], stop: Stop) -> None:
    """SIGTERM to every command still running, then wait; SIGKILL after the grace time or a second signal."""
    for process in processes:
        if process.poll() is None:
            process.terminate()
    asked = len(stop.signals)
    deadline = time.monotonic() + GRACE_SECONDS
    while any(process.poll() is None for process in processes):
        if time.monotonic() > deadline or len(stop.signals) > asked:
            for process in processes:
                if process.poll() is None:
                    process.kill()
            for process in processes:
                process.wait()
            return
        time.sleep(POLL_SECONDS / 4)


def exit_status(ended: list[subprocess.Popen[bytes]], *, stopped: bool) -> int:
    """0 after a requested stop; else the first failure among the commands that `ended` by themselves (the
    others were stopped here), a death by signal N counting as 128 + N."""
    if stopped:
        return 0
    for process in ended:
        code = process.returncode
        if code not in (0, None):
            return 128 - code if code < 0 else code
    return 0


def main(argv: list[str]) -> int:
    if not argv:
        print(__doc__, file=sys.stderr)
        return 2
    die_with_parent()
    stop = Stop()
    for signum in STOP_SIGNALS:
        signal.signal(signum, stop)
    processes = start(argv)
    wait_for_stop(processes, stop)
    ended = [process for process in processes if process.poll() is not None]
    if stop.requested:
        print("\nStopping...", file=sys.stderr, flush=True)
    terminate(processes, stop)
    if stop.requested:
        print("Stopped.", file=sys.stderr, flush=True)
    return exit_status(ended, stopped=stop.requested)


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
