"""`manage.py solve_scenario` (DESIGN.md "Commands (contract)")."""

from __future__ import annotations

import json
from io import StringIO
from pathlib import Path
from typing import Any

import pytest
from django.core.management import CommandError, call_command


def solve(source: str) -> Any:
    out = StringIO()
    call_command("solve_scenario", source, stdout=out)
    return json.loads(out.getvalue())


def solve_invalid(source: str) -> tuple[Any, CommandError]:
    out = StringIO()
    with pytest.raises(CommandError) as raised:
        call_command("solve_scenario", source, stdout=out)
    return json.loads(out.getvalue()), raised.value


def write_json(tmp_path: Path, data: Any, name: str = "params.json") -> str:
    path = tmp_path / name
    path.write_text(json.dumps(data), encoding="utf-8")
    return str(path)


@pytest.mark.django_db
def test_baseline_slug_prints_the_benchmark_of_example_1() -> None:
    result = solve("baseline")
    assert result["valid"] is True
    assert isinstance(result["thresholds"]["rho_W"], float)
    assert result["thresholds"]["rho_W"] == pytest.approx(0.8)
    assert result["selected"]["name"] == "E5"
    assert isinstance(result["selected"]["x_N"], float)
    assert result["selected"]["x_N"] == pytest.approx(0.25)
    assert result["params"]["p"] == pytest.approx(0.3)


def test_a_file_with_one_object_prints_one_object(tmp_path: Path) -> None:
    result = solve(write_json(tmp_path, {"p": 0.3, "tripwire": False}))
    assert isinstance(result, dict)
    assert result["valid"] is True


def test_a_list_prints_every_entry_in_order_and_exits_2_if_one_is_invalid(tmp_path: Path) -> None:
    results, error = solve_invalid(write_json(tmp_path, [{}, {"p": 1.5}]))
    assert error.returncode == 2
    assert [entry["valid"] for entry in results] == [True, False]
    assert results[0]["selected"]["name"] == "E5"
    assert set(results[1]) == {"valid", "errors"}
    assert "p" in [problem["field"] for problem in results[1]["errors"]]
    assert all(problem["message"] for problem in results[1]["errors"])


def test_exit_status_is_2_on_the_command_line(tmp_path: Path, manage_py: Any) -> None:
    done = manage_py("solve_scenario", write_json(tmp_path, [{"p": 0.3}, {"p": 1.5}]))
    assert done.returncode == 2, done.stderr
    results = json.loads(done.stdout)
    assert [entry["valid"] for entry in results] == [True, False]
    assert results[1]["errors"][0] == {
        "field": "p",
        "code": "between_zero_and_one_exclusive",
        "message": "must be between 0 and 1 (exclusive); got 1.5",
    }
    assert "1 of 2 parameter sets are invalid" in done.stderr


def test_unknown_parameter_names_the_field(tmp_path: Path) -> None:
    result, error = solve_invalid(write_json(tmp_path, {"q_typo": 1}))
    assert error.returncode == 2
    assert result["valid"] is False
    assert result["errors"][0]["field"] == "q_typo"


def test_missing_file_is_a_clear_error(tmp_path: Path) -> None:
    with pytest.raises(CommandError, match="No such file"):
        solve(str(tmp_path / "absent.json"))


def test_bad_json_is_a_clear_error(tmp_path: Path) -> None:
    path = tmp_path / "broken.json"
    path.write_text("{not json", encoding="utf-8")
    with pytest.raises(CommandError, match="not valid JSON"):
        solve(str(path))


def test_json_that_is_not_an_object_or_list_is_refused(tmp_path: Path) -> None:
    with pytest.raises(CommandError, match="parameter object or a list"):
        solve(write_json(tmp_path, 0.3))


@pytest.mark.django_db
def test_unknown_slug_is_a_clear_error() -> None:
    with pytest.raises(CommandError, match=r"No scenario with slug 'nowhere'.*baseline"):
        solve("nowhere")
