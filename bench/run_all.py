"""Run the performance benchmarks (`make bench`): `python bench/run_all.py [PART ...] [options]`.

With no PART every available part runs, in the order of PARTS.  Options after the part names are passed
to every part (each ignores the ones it does not know), e.g. `bench/run_all.py engine --scenarios 500`.
A part is a module of this directory with `main(argv) -> int` (or `module:function`, a function of that
shape); add new ones to PARTS.
The exit status is non-zero when any part fails.
"""

from __future__ import annotations

import importlib
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

PARTS: dict[str, str] = {
    "engine": "bench.engine",  # solve() vs pygambit logit_solve (DESIGN.md Targets, first row)
    "debrief": "bench.debrief",  # class debrief of 300 students x 10 rounds from the event log (Targets)
    # Full-stack load runs, each followed by the same load on a bare websockets server (bench/load.py).
    "classroom": "bench.load:classroom",  # 300 students paced to 100 moves/s, no think time
    "burst": "bench.load:burst",  # 300 fast students: every round starts with a burst
    "stress": "bench.load:stress",  # 1,500 connections paced to 500 moves/s
    "scaleout": "bench.load:scaleout",  # two ASGI servers and two workers
    "enqueue": "bench.enqueue",  # the consumer's cost of handing a move over (queue append vs Celery)
}


def main(argv: list[str]) -> int:
    if any(a in ("-h", "--help") for a in argv[:1]):
        print(__doc__.strip())
        print("parts:", ", ".join(PARTS))
        return 0
    names = []
    for arg in argv:
        if arg.startswith("-"):
            break
        names.append(arg)
    options = argv[len(names):]
    unknown = [name for name in names if name not in PARTS]
    if unknown:
        print(f"unknown part {unknown[0]!r}; parts: {', '.join(PARTS)}", file=sys.stderr)
        return 2
    failed = []
    for name in names or list(PARTS):
        print(f"== bench {name}", flush=True)
        start = time.perf_counter()
        module, _, function = PARTS[name].partition(":")  # "module" runs main(); "module:function"
        status = getattr(importlib.import_module(module), function or "main")(options)
        print(f"== bench {name}: {'ok' if status == 0 else f'FAILED ({status})'} in "
              f"{time.perf_counter() - start:.1f} s", flush=True)
        if status:
            failed.append(name)
    return 1 if failed else 0


if __name__ == "__main__":
    raise SystemExit(main(sys.argv[1:]))
