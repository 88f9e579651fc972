"""`manage.py solve_scenario <slug-or-path.json>`: the equilibrium benchmark as JSON (DESIGN.md, Commands).

The argument is a scenario slug, or a path to a .json file holding one parameter object or a list of
them. The output is one benchmark object, or a list in the same order. A parameter set that breaks the
validity constraints prints `{"valid": false, "errors": [{"field", "code", "message"}]}` in its place
(the code names the broken rule, the message says it in English), and the command exits with status 2
(after printing every entry).
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from games.crisis.params import InvalidParams, Params
from games.crisis.solver import benchmark_json, solve
from games.models import Scenario

EXIT_INVALID = 2


def solve_entry(raw: Any) -> dict[str, Any]:
    """The benchmark of one parameter object, or the reasons it is invalid."""
    try:
        params = Params.from_mapping(raw)
    except InvalidParams as exc:
        return {"valid": False, "errors": [error.as_dict() for error in exc.errors]}
    return benchmark_json(solve(params))


def looks_like_path(source: str) -> bool:
    return source.lower().endswith(".json") or "/" in source or "\\" in source or Path(source).exists()


def load_file(path: Path) -> Any:
    try:
        text = path.read_text(encoding="utf-8")
    except FileNotFoundError:
        raise CommandError(f"No such file: {path}") from None
    except OSError as exc:
        raise CommandError(f"Cannot read {path}: {exc.strerror or exc}") from None
    try:
        data = json.loads(text)
    except json.JSONDecodeError as exc:
        raise CommandError(f"{path} is not valid JSON: {exc}") from None
    if not isinstance(data, dict | list):
        raise CommandError(f"{path} must hold a parameter object or a list of them")
    return data


def load_scenario(slug: str) -> dict[str, Any]:
    scenario = Scenario.objects.filter(slug=slug).first()
    if scenario is None:
        known = ", ".join(Scenario.objects.values_list("slug", flat=True)) or "none"
        raise CommandError(f"No scenario with slug {slug!r} (known: {known}); a file path must end in .json")
    return scenario.params


class Command(BaseCommand):
    help = "Print the equilibrium benchmark of a scenario (slug) or of parameter sets in a JSON file."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument(
            "source", help="a scenario slug, or a .json file with one parameter object or a list"
        )

    def handle(self, *args: Any, source: str, **options: Any) -> None:
        data = load_file(Path(source)) if looks_like_path(source) else load_scenario(source)
        entries = data if isinstance(data, list) else [data]
        results = [solve_entry(entry) for entry in entries]
        output = results if isinstance(data, list) else results[0]
        self.stdout.write(json.dumps(output, indent=2, ensure_ascii=False))
        invalid = sum(1 for result in results if not result.get("valid"))
        if invalid:
            raise CommandError(
                f"{invalid} of {len(results)} parameter sets are invalid", returncode=EXIT_INVALID
            )
