"""The crisis model of crisis-model.md as a pure engine: no Django, Channels or Celery in here.

Modules: `params` (parameters, validation, effective core), `crisis` (backward induction given the
intervention probability), `solver` (the equilibrium benchmark), `game` (the extensive form, states and
moves), `views` (what each role may see), `reputation` (multi-round beliefs), `debrief` (labels and
flags), `bots` (seeded strategies).
"""

from .params import AllianceType, Core, FieldError, InvalidParams, Params
from .solver import Benchmark, Candidate, ModuleD, PathEntry, Solution, benchmark_json, solve, solve_core

__all__ = [
    "AllianceType",
    "Benchmark",
    "Candidate",
    "Core",
    "FieldError",
    "InvalidParams",
    "ModuleD",
    "Params",
    "PathEntry",
    "Solution",
    "benchmark_json",
    "solve",
    "solve_core",
]
