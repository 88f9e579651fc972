"""Write constraints.txt: every package the project needs (with its dev extra), at the installed version.

Walks the installed distributions' requirements from `crisis-table[dev]`, so packages installed by
hand into the venv are left out. Run through `make lock` after changing pyproject.toml.
"""

from __future__ import annotations

import sys
from importlib.metadata import PackageNotFoundError, distribution
from pathlib import Path

from packaging.requirements import Requirement
from packaging.utils import canonicalize_name

ROOT = Path(__file__).resolve().parent.parent
PROJECT = "crisis-table"
HEADER = "# Every package crisis-table[dev] needs, pinned (make lock). pyproject.toml pins the direct ones.\n"


def closure(name: str, extras: frozenset[str]) -> dict[str, str]:
    pinned: dict[str, str] = {}
    pending = [(name, extras)]
    seen: set[tuple[str, frozenset[str]]] = set()
    while pending:
        current, current_extras = pending.pop()
        key = (canonicalize_name(current), current_extras)
        if key in seen:
            continue
        seen.add(key)
        try:
            dist = distribution(current)
        except PackageNotFoundError:
            sys.exit(f"{current} is required but not installed: run `make install` first")
        if canonicalize_name(current) != canonicalize_name(PROJECT):
            pinned[dist.metadata["Name"]] = dist.version
        for line in dist.requires or []:
            requirement = Requirement(line)
            environments = [{"extra": extra} for extra in current_extras] or [{"extra": ""}]
            if requirement.marker is None or any(requirement.marker.evaluate(env) for env in environments):
                pending.append((requirement.name, frozenset(requirement.extras)))
    return pinned


def main() -> int:
    pinned = closure(PROJECT, frozenset({"dev"}))
    names = sorted(pinned, key=str.lower)
    lines = [f"{name}=={pinned[name]}\n" for name in names]
    (ROOT / "constraints.txt").write_text(HEADER + "".join(lines), encoding="utf-8")
    print(f"constraints.txt: {len(lines)} packages")
    return 0


if __name__ == "__main__":
    sys.exit(main())
