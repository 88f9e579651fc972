"""Run commands side by side as one unit: `make run` (one server) and `make run-stack` (three processes).

All of them stop when any one exits, on Ctrl-C or SIGTERM, and when the process that started this one
(make) goes away, so no server outlives `make run`, even when `make` itself is killed (by `timeout`,
say). Usage: `python scripts/supervise.py "command one" "command two" ...`; the exit status is the first
non-zero status of a command, else 0.
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
PR_SET_PDEATHSIG = 1


def die_with_parent() -> None:
    """Linux: deliver SIGTERM to this process when its parent exits (elsewhere: nothing)."""
    if sys.platform.startswith("linux"):
        ctypes.CDLL(None, use_errno=True).prctl(PR_SET_PDEATHSIG, signal.SIGTERM)


def _stop(signum: int, frame: FrameType | None) -> None:
    raise KeyboardInterrupt


def main(argv: list[str]) -> int:
    if not argv:
        print(__doc__, file=sys.stderr)
        return 2
    die_with_parent()
    signal.signal(signal.SIGTERM, _stop)
    signal.signal(signal.SIGINT, _stop)
    processes = [subprocess.Popen(shlex.split(command), preexec_fn=die_with_parent) for command in argv]
    try:
        while all(process.poll() is None for process in processes):
            time.sleep(0.2)
    except KeyboardInterrupt:
        pass
    finally:
        signal.signal(signal.SIGINT, signal.SIG_IGN)
        signal.signal(signal.SIGTERM, signal.SIG_IGN)
        for process in processes:
            if process.poll() is None:
                process.terminate()
        deadline = time.monotonic() + GRACE_SECONDS
        for process in processes:
            try:
                process.wait(timeout=max(0.0, deadline - time.monotonic()))
            except subprocess.TimeoutExpired:
                process.kill()
                process.wait()
    return next((process.returncode for process in processes if process.returncode not in (0, None)), 0)


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
