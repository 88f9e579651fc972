"""Debrief benchmark (DESIGN.md "Targets": the debrief of a class of 300 students x 10 rounds under 2 s).

Builds such a class in a throwaway SQLite database (a fresh file in a temporary directory, migrated, deleted
afterwards): 300 students in 100 fixed groups, 10 rounds, every decision an event row. The rounds are played
by the engine exactly as live play would (seeded Nature, the §4 reputation carried from round to round, the
US type persisting or redrawn), with "students" who play the benchmark action with probability 0.7 and a
random one otherwise (so that there are deviations to price) and 5 % timeouts. The rows are written with
`bulk_create` (playing 4,000 moves through the services would only measure the services).

Then it times, from the database:

* `class_analysis.class_debrief(load_class(class_session)).as_dict()` cold: the benchmark caches emptied
  first, so every distinct prior is solved again (the figure the target is about);
* the same warm (benchmarks cached in the process, as in a server that ran the class);
* the exports (`rounds.csv`, `export.csv`, `export.json`) built from one analysis.

Run: `python bench/run_all.py debrief [--students N] [--rounds R] [--seed S] [--repeat K] [--scenario SLUG]`.
The work runs in a child interpreter so the throwaway database never touches another part's settings.
"""

from __future__ import annotations

import argparse
import json
import os
import random
import statistics
import subprocess
import sys
import tempfile
import time
from fractions import Fraction
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
RESULTS = ROOT / "bench" / "results"
TARGET_S = 2.0


def parse(argv: list[str]) -> argparse.Namespace:
    parser = argparse.ArgumentParser(prog="bench debrief", description=__doc__.split("\n\n")[0])
    parser.add_argument("--students", type=int, default=300)
    parser.add_argument("--rounds", type=int, default=10)
    parser.add_argument("--seed", type=int, default=20260611)
    parser.add_argument("--repeat", type=int, default=3, help="timed runs of each measurement")
    parser.add_argument("--deviate", type=float, default=0.3, help="share of student moves chosen at random")
    parser.add_argument("--scenario", default="baseline", help="slug of the scenario the class plays")
    parser.add_argument("--child", action="store_true", help=argparse.SUPPRESS)
    args, _ = parser.parse_known_args(argv)
    return args


def main(argv: list[str] | None = None) -> int:
    args = parse(list(argv or []))
    if args.child:
        return child(args)
    with tempfile.TemporaryDirectory(prefix="crisis-bench-") as tmp:
        env = {
            k: v
            for k, v in os.environ.items()
            if k not in ("DATABASE_URL", "REDIS_URL", "DJANGO_SETTINGS_MODULE")
        }
        env.update(
            DATABASE_URL=f"sqlite:///{Path(tmp) / 'bench.sqlite3'}",
            DJANGO_READ_DOT_ENV_FILE="false",
            PYTHONPATH=os.pathsep.join(filter(None, [str(ROOT), env.get("PYTHONPATH")])),
        )
        command = [sys.executable, str(Path(__file__).resolve()), "--child", *(argv or [])]
        return subprocess.run(command, cwd=ROOT, env=env, check=False).returncode


# --------------------------------------------------------------------------------------------------
# The child: a throwaway database, a class of event rows, the timings
# --------------------------------------------------------------------------------------------------


def child(args: argparse.Namespace) -> int:
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "wargame.settings")
    import django

    django.setup()
    from django.core.management import call_command

    call_command("migrate", verbosity=0)
    start = time.perf_counter()
    class_session, counts = build_class(args)
    built = time.perf_counter() - start
    print(
        f"debrief: built class {class_session.code}: {args.students} students, {counts['rounds']} rounds, "
        f"{counts['events']} events ({counts['student_moves']} student moves, {counts['deviations']} off "
        f"the benchmark, {counts['priors']} distinct priors) in {built:.1f} s"
    )
    return measure(class_session, args, counts)


def build_class(args: argparse.Namespace) -> tuple[Any, dict[str, int]]:
    from django.utils import timezone

    from games.crisis import bots, game, reputation
    from games.crisis.analysis import solution_at
    from games.models import ClassSession, Event, Group, Participant, Round, Scenario
    from games.play import round_state

    rng = random.Random(args.seed)
    scenario = Scenario.objects.get(slug=args.scenario)
    now = timezone.now()
    class_session = ClassSession.objects.create(
        scenario=scenario,
        params=dict(scenario.params),
        rounds=args.rounds,
        current_round=args.rounds,
        status=ClassSession.Status.FINISHED,
        seed=args.seed,
        debrief_released=True,
        started=now,
        finished=now,
        max_students=max(args.students, 1),
    )
    params = round_state.class_params(class_session)
    people = Participant.objects.bulk_create(
        Participant(class_session=class_session, name=f"Student {i + 1}", session_key=f"bench-{i}")
        for i in range(args.students)
    )
    n_groups = len(people) // 3
    groups = Group.objects.bulk_create(
        Group(
            class_session=class_session,
            number=g + 1,
            prior=round_state.exact(params.base_prior),
            us_type=game.draw_us_type(f"{class_session.seed}:group:{g + 1}", params.base_prior),
        )
        for g in range(n_groups)
    )
    members = {g.number: people[3 * i : 3 * i + 3] for i, g in enumerate(groups)}
    prior = {g.number: Fraction(g.prior) for g in groups}
    us_type = {g.number: g.us_type for g in groups}
    rounds, events, priors = [], [], set()
    counts = {"rounds": 0, "events": 0, "student_moves": 0, "deviations": 0}
    for number in range(1, args.rounds + 1):
        for group in groups:
            g = group.number
            seats = [members[g][(slot - (number - 1)) % 3] for slot in range(3)]
            seed = f"{class_session.seed}:{g}:{number}"
            priors.add(prior[g])
            bench = round_state.benchmark_for(class_session, prior[g], number)
            state = game.new_round(params, prior=prior[g], us_type=us_type[g], seed=seed)
            log = []
            while not game.is_terminal(state):
                role = game.to_move(state)
                holder = seats[game.ROLES.index(role)]
                kind = "timeout" if rng.random() < 0.05 else "move"
                if kind == "move" and rng.random() < args.deviate:
                    action = rng.choice(game.legal_actions(state))
                else:
                    action = bots.choose("equilibrium", state, role, bench, rng)
                if kind == "move":
                    counts["student_moves"] += 1
                    counts["deviations"] += not bots.benchmark_behaviour(state, bench)[action]
                log.append((len(log) + 1, kind, state.node, role, action, holder))
                state = game.apply(state, action, role)
            solution = solution_at(bench, state)
            update = reputation.round_update(
                round_state.round_params(class_session, prior[g], number),
                solution,
                state.history,
                prior=prior[g],
            )
            rnd = Round(
                class_session=class_session,
                group=group,
                number=number,
                japan=seats[0],
                us=seats[1],
                challenger=seats[2],
                prior=round_state.exact(prior[g]),
                us_type=us_type[g],
                seed=seed,
                status=Round.Status.FINISHED,
                seq=len(log),
                node=state.node,
                state=round_state.snapshot(state),
                reputation=update.as_dict(),
                finished=now,
            )
            rounds.append((rnd, log))
            next_prior = Fraction(update.pi_next).limit_denominator(10**9)
            prior[g] = min(max(next_prior, Fraction(1, 10**6)), 1 - Fraction(1, 10**6))
            us_type[g] = reputation.next_us_type(
                us_type[g], float(params.eta), float(params.base_prior), random.Random(f"{seed}:next-type")
            )
    Round.objects.bulk_create([rnd for rnd, _ in rounds], batch_size=500)
    for rnd, log in rounds:
        for seq, kind, node, role, action, holder in log:
            events.append(
                Event(
                    round=rnd,
                    seq=seq,
                    kind=kind,
                    node=node,
                    role=role,
                    action=action,
                    participant=holder,
                    move_id=f"{rnd.pk}-{seq}" if kind == "move" else None,
                )
            )
    Event.objects.bulk_create(events, batch_size=2000)
    counts.update(rounds=len(rounds), events=len(events), priors=len(priors))
    return class_session, counts


def clear_caches() -> None:
    from games.crisis.params import params_from_json
    from games.crisis.solver import round_benchmark
    from games.debrief import round_analysis

    for cached in (
        round_benchmark,
        round_analysis.no_alliance,
        params_from_json,
    ):
        cached.cache_clear()


def timed(fn: Any, cpu: list[float] | None = None) -> tuple[float, Any]:
    """Wall seconds of one call (its CPU seconds are appended to `cpu` when given)."""
    start, start_cpu = time.perf_counter(), time.process_time()
    value = fn()
    if cpu is not None:
        cpu.append(time.process_time() - start_cpu)
    return time.perf_counter() - start, value


def measure(class_session: Any, args: argparse.Namespace, counts: dict[str, int]) -> int:
    from games.debrief import class_analysis, exports
    from games.debrief.load import load_class

    def debrief() -> dict[str, Any]:
        return class_analysis.class_debrief(load_class(class_session)).as_dict()

    cold, warm, load, cold_cpu, warm_cpu = [], [], [], [], []
    for _ in range(args.repeat):
        clear_caches()
        seconds, report = timed(debrief, cold_cpu)
        cold.append(seconds)
        warm.append(timed(debrief, warm_cpu)[0])
        load.append(timed(lambda: load_class(class_session))[0])
    assert report["rounds"]["finished"] == counts["rounds"], "every round must be analysed"
    log = load_class(class_session)
    analysed = class_analysis.class_debrief(log)
    export_s = {
        "rounds.csv": timed(lambda: exports.rounds_csv(analysed))[0],
        "export.csv": timed(lambda: exports.events_csv(analysed))[0],
        "export.json": timed(lambda: json.dumps(exports.export_json(analysed)))[0],
    }
    result = {
        "students": args.students,
        "rounds": counts["rounds"],
        "events": counts["events"],
        "student_moves": counts["student_moves"],
        "deviations": counts["deviations"],
        "distinct_priors": counts["priors"],
        "python": sys.version.split()[0],
        "class_debrief_cold_cpu_s": statistics.median(cold_cpu),
        "class_debrief_warm_cpu_s": statistics.median(warm_cpu),
        "class_debrief_cold_s": statistics.median(cold),
        "class_debrief_warm_s": statistics.median(warm),
        "load_class_s": statistics.median(load),
        "cold_runs_s": cold,
        "warm_runs_s": warm,
        "cold_runs_cpu_s": cold_cpu,
        "exports_s": export_s,
        "load_average": os.getloadavg()[0],
        "cpus": os.cpu_count(),
        "target_s": TARGET_S,
    }
    print(f"  load_class (4 queries)          median {result['load_class_s'] * 1000:8.1f} ms wall")
    print(
        f"  class debrief, cold caches      median {result['class_debrief_cold_cpu_s']:6.3f} s CPU, "
        f"{result['class_debrief_cold_s']:6.3f} s wall (runs " + ", ".join(f"{x:.2f}" for x in cold) + ")"
    )
    print(
        f"  class debrief, warm benchmarks  median {result['class_debrief_warm_cpu_s']:6.3f} s CPU, "
        f"{result['class_debrief_warm_s']:6.3f} s wall"
    )
    for name, seconds in export_s.items():
        print(f"  {name:31s} {seconds:8.3f} s wall (from one analysis)")
    print(f"  load average {result['load_average']:.1f} on {result['cpus']} CPUs")
    # Judged on the CPU time the computation needs: it runs in one thread, so on an idle machine its wall
    # time is the same; on a shared machine the wall time also measures the neighbours (printed beside it).
    ok = result["class_debrief_cold_cpu_s"] < TARGET_S
    summary = (
        f"debrief: {args.students} students x {args.rounds} rounds ({counts['rounds']} rounds, "
        f"{counts['events']} events): cold {result['class_debrief_cold_cpu_s']:.2f} s CPU "
        f"({result['class_debrief_cold_s']:.2f} s wall), warm {result['class_debrief_warm_cpu_s']:.2f} s CPU "
        f"({result['class_debrief_warm_s']:.2f} s wall); target < {TARGET_S:.0f} s"
    )
    print(summary)
    result["summary"] = summary
    RESULTS.mkdir(parents=True, exist_ok=True)
    (RESULTS / "debrief.json").write_text(json.dumps(result, indent=2) + "\n")
    return 0 if ok else 1


if __name__ == "__main__":
    raise SystemExit(main(sys.argv[1:]))
