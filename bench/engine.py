"""Engine benchmark (DESIGN.md "Targets": solve one scenario in under 1 ms median, at least 100x faster than
pygambit on the same tree, same equilibrium).

1. `solve(params)` on many seeded random valid scenarios (near the defaults and wide; some with Module A,
   which solves two core games, or Module C), each solved once, cold; `solve_core(params.core())` timed
   separately on the same scenarios.
2. pygambit's `nash.logit_solve` (default options) on the trees of an evenly spread subset of the same
   scenarios (those without Module A, whose stage 0 is not one tree), timed alone (building the tree is
   timed apart); our `solve` is timed again on each of these scenarios (median of 5) for a paired ratio.
3. On that subset, whether the logit limit is our selected equilibrium, another candidate we report
   (a documented selection difference, crisis-model.md §6.4), or neither (a finding), using the
   cross-check test's comparison (`tests/engine/gambit_tree.py`).

Run: `python bench/run_all.py engine [--scenarios N] [--pygambit M] [--seed S]`.
"""

from __future__ import annotations

import argparse
import gc
import json
import random
import statistics
import sys
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
sys.path[:0] = [str(ROOT), str(ROOT / "tests" / "engine")]

from gambit_tree import build_game, differences, knife_edges, logit_limit, random_params  # noqa: E402

from games.crisis.params import Params  # noqa: E402
from games.crisis.solver import solve, solve_core  # noqa: E402

RESULTS = ROOT / "bench" / "results"


def scenarios(n: int, seed: int) -> list[Params]:
    """n valid scenarios: half "near" the defaults, half "wide"; 10 % with Module A, 10 % with Module C."""
    rng = random.Random(seed)
    out = []
    for i in range(n):
        params = random_params(rng, "near" if i % 2 == 0 else "wide", module_c=i % 10 == 3)
        out.append(params.replace(module_a=True) if i % 10 == 7 else params)
    return out


def timed(fn: Callable[[], Any], cpu: list[float] | None = None) -> float:
    """Wall time of one call in milliseconds (its CPU time is appended to `cpu` when given)."""
    start, start_cpu = time.perf_counter_ns(), time.thread_time_ns()
    fn()
    wall, used = time.perf_counter_ns() - start, time.thread_time_ns() - start_cpu
    if cpu is not None:
        cpu.append(used / 1e6)
    return wall / 1e6


def pct(values: list[float], q: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, round(q * (len(ordered) - 1)))]


def stats(values: list[float]) -> dict[str, float]:
    return {"n": len(values), "median_ms": statistics.median(values), "p95_ms": pct(values, 0.95),
            "max_ms": max(values)}


def line(label: str, values: list[float]) -> str:
    s = stats(values)
    return f"  {label:34s} n={s['n']:5d}  median {s['median_ms']:9.3f} ms  p95 {s['p95_ms']:9.3f} ms"


def kind(params: Params) -> str:
    return "module_a" if params.module_a else "module_c" if params.module_c else "core"


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="bench engine", description=__doc__.split("\n\n")[0])
    parser.add_argument("--scenarios", type=int, default=2000)
    parser.add_argument("--pygambit", type=int, default=20, help="trees also solved by pygambit")
    parser.add_argument("--seed", type=int, default=20260611)
    args, _ = parser.parse_known_args(argv)
    import pygambit  # a dev dependency; imported here so that `--help` works without it

    sample = scenarios(args.scenarios, args.seed)
    for params in sample[:50]:  # warm-up: imports, caches of the interpreter
        solve(params)
    gc.collect()
    solve_cpu: list[float] = []
    solve_ms = [timed(lambda p=p: solve(p), solve_cpu) for p in sample]
    cores = [p.core() for p in sample]
    core_ms = [timed(lambda c=c: solve_core(c)) for c in cores]
    by_kind: dict[str, list[float]] = {}
    for params, ms in zip(sample, solve_ms, strict=True):
        by_kind.setdefault(kind(params), []).append(ms)

    print(f"engine: {len(sample)} random valid scenarios (seed {args.seed}), each solved once")
    print(line("solve(params)", solve_ms))
    print(line("  the same, CPU time of the thread", solve_cpu))
    for name, values in sorted(by_kind.items()):
        print(line(f"  of which {name}", values))
    print(line("solve_core(params.core())", core_ms))

    eligible = [i for i, p in enumerate(sample) if not p.module_a]
    step = max(1, len(eligible) // max(1, args.pygambit))
    subset = eligible[::step][: args.pygambit]
    build_ms, logit_ms, ours_ms, ratios, verdicts = [], [], [], [], []
    for i in subset:
        params, core = sample[i], cores[i]
        start = time.perf_counter_ns()
        game = build_game(core)
        build_ms.append((time.perf_counter_ns() - start) / 1e6)
        logit_ms.append(timed(lambda g=game: pygambit.nash.logit_solve(g)))
        ours = statistics.median(timed(lambda p=params: solve(p)) for _ in range(5))
        ours_ms.append(ours)
        ratios.append(logit_ms[-1] / ours)
        verdicts.append(verdict(core))
    counts = {v: sum(1 for x in verdicts if x[0] == v) for v in ("selected", "other", "none", "knife-edge")}
    print(f"pygambit {pygambit.__version__} nash.logit_solve on {len(subset)} of the same trees")
    print(line("pygambit logit_solve", logit_ms))
    print(line("pygambit tree build (not counted)", build_ms))
    print(line("solve(params), same scenarios", ours_ms))
    print(f"  paired ratio pygambit/ours: median {statistics.median(ratios):,.0f}x, min {min(ratios):,.0f}x")
    print(f"  logit limit = our selected equilibrium: {counts['selected']}; another candidate we report "
          f"(selection difference, §6.4): {counts['other']}; none of ours: {counts['none']}; "
          f"knife-edge (not compared): {counts['knife-edge']}")
    for (v, detail), i in zip(verdicts, subset, strict=True):
        if v in ("other", "none"):
            print(f"    scenario {i}: {v}: {detail}")

    ratio = statistics.median(ratios)
    summary = (f"engine: solve median {statistics.median(solve_ms):.3f} ms (target < 1 ms), pygambit median "
               f"{statistics.median(logit_ms):.0f} ms, ratio {ratio:,.0f} x (target >= 100x)")
    print(summary)
    RESULTS.mkdir(parents=True, exist_ok=True)
    (RESULTS / "engine.json").write_text(json.dumps({
        "seed": args.seed, "python": sys.version.split()[0], "pygambit": pygambit.__version__,
        "solve": stats(solve_ms), "solve_cpu": stats(solve_cpu),
        "solve_by_kind": {k: stats(v) for k, v in by_kind.items()},
        "solve_core": stats(core_ms), "pygambit_logit_solve": stats(logit_ms), "tree_build": stats(build_ms),
        "solve_same_scenarios": stats(ours_ms), "paired_ratio_median": ratio,
        "paired_ratio_min": min(ratios), "equilibrium_check": counts, "summary": summary,
    }, indent=2) + "\n")
    return 0 if counts["none"] == 0 else 1


def verdict(core: Any) -> tuple[str, str]:
    """Is the logit limit our selected equilibrium, another reported candidate, or none of them?"""
    reasons = knife_edges(core) if not core.module_c else []
    if reasons:
        return "knife-edge", "; ".join(reasons)
    sol = solve_core(core)
    lim = logit_limit(core)
    matched = [c.name + c.variant for c in sol.candidates if not differences(c, lim, core)]
    selected = sol.selected.name + sol.selected.variant
    if selected in matched:
        return "selected", selected
    if matched:
        return "other", f"selected {selected}, logit limit = {', '.join(matched)}"
    return "none", "; ".join(f"{c.name}: {differences(c, lim, core)}" for c in sol.candidates)


if __name__ == "__main__":
    raise SystemExit(main())
