"""Sections side by side (issue 18): two or more finished classes compared figure by figure: outcome
shares, the deterrence rates (general deterrence held, immediate deterrence held, deterrence failed), the
share of tested commitments honoured, and the students' choices at each decision beside theory; every
figure with the number of rounds behind it.

Built from `class_analysis.ClassDebrief` objects and nothing else: each class gives one column
(`class_column`), made of what the class debrief already computes (`outcomes()`, `rates()`,
`node_shares()`), so a class compared here shows the same numbers as its own debrief. `comparison` lines
the columns up row by row; `comparison_csv` and `comparison_json` are the downloads. Codes only, no
framework: the views (`compare_views`) put them into words.

A class's scenario(s): the class's own (`ClassLog.meta`), then any scenario its stages or rounds name
(`meta["stages"]`, a round's `scenario`) when the log carries them, each once, in order of first play.
"""

from __future__ import annotations

import csv
import io
from collections.abc import Iterable, Mapping, Sequence
from typing import Any

from games.crisis import game
from games.debrief.class_analysis import ClassDebrief
from games.debrief.class_log import ClassLog
from games.debrief.exports import safe_text
from games.debrief.round_analysis import NODE_ORDER, OUTCOMES
from games.vocabulary.numbers import exact_float

FORMAT = "crisis-table/comparison"
VERSION = 1

# §5's labels where deterrence failed: Japan conceded, or war (with or without the US, allied or not).
FAILED_LABELS = (
    "DETERRENCE_FAILED_JAPAN_CONCEDED",
    "DETERRENCE_FAILED_WAR_US_INTERVENED",
    "DETERRENCE_FAILED_WAR_JAPAN_ALONE",
    "ABANDONMENT",
)

# The rates compared, in the order of the table: (key, the class debrief's rate it is, or None: derived).
RATE_KEYS = ("general_deterrence", "immediate_deterrence", "failed", "honoured")

CSV_COLUMNS = (
    "class_code",
    "scenarios",
    "alliance_type",
    "section",
    "figure",
    "node",
    "role",
    "infoset",
    "action",
    "count",
    "n",
    "share",
    "theory",
)


def _share(part: int, whole: int) -> float | None:
    return part / whole if whole else None


# --------------------------------------------------------------------------------------------------
# One class
# --------------------------------------------------------------------------------------------------


def scenarios(log: ClassLog) -> list[dict[str, str | None]]:
    """The scenario(s) the class played, each once, in order of first play: `slug`, `name_en`, `name_ja`
    (a scenario known by its slug alone is named by it)."""
    seen: dict[str, dict[str, str | None]] = {}

    def add(slug: Any, name_en: Any = None, name_ja: Any = None) -> None:
        if not slug and not name_en:
            return
        key = str(slug or name_en)
        if key not in seen:
            seen[key] = {"slug": slug, "name_en": name_en or key, "name_ja": name_ja or name_en or key}

    meta = log.meta
    add(meta.get("scenario"), meta.get("scenario_name_en"), meta.get("scenario_name_ja"))
    for stage in meta.get("stages") or ():
        if isinstance(stage, Mapping):
            add(
                stage.get("scenario"),
                stage.get("scenario_name_en", stage.get("name_en")),
                stage.get("scenario_name_ja", stage.get("name_ja")),
            )
    for r in log.rounds:
        scenario = getattr(r, "scenario", None)
        if isinstance(scenario, Mapping):
            add(scenario.get("slug"), scenario.get("name_en"), scenario.get("name_ja"))
        elif scenario:
            add(scenario)
    return list(seen.values())


def class_column(report: ClassDebrief) -> dict[str, Any]:
    """One class's figures, from its debrief: JSON-ready (the views cache it per state of the log)."""
    log = report.log
    params = log.engine_params()
    outcomes = report.outcomes()
    rates = report.rates()
    done = outcomes["n"]
    failed = [row for row in outcomes["rows"] if row["outcome"].split("/")[0] in FAILED_LABELS]
    failed_count = sum(row["count"] for row in failed)
    return {
        "code": log.code,
        "scenarios": scenarios(log),
        "alliance_type": params.alliance_type.value,
        "tripwire": params.tripwire,
        "modules": [m for m, on in (("A", params.module_a), ("C", params.module_c), ("D", params.arf)) if on],
        "created": log.meta.get("created"),
        "started": log.meta.get("started"),
        "finished": log.meta.get("finished"),
        "status": log.meta.get("status"),
        "rounds": {"total": len(report.rounds), "finished": done, "planned": log.meta.get("rounds")},
        "outcomes": {
            row["outcome"]: {
                "count": row["count"],
                "n": done,
                "share": row["share"],
                "theory": row["theory"],
            }
            for row in outcomes["rows"]
        },
        "rates": {
            "general_deterrence": _rate(rates["general_deterrence"]),
            "immediate_deterrence": _rate(rates["immediate_deterrence"]),
            "failed": {
                "count": failed_count,
                "n": done,
                "rate": _share(failed_count, done),
                "theory": sum(row["theory"] or 0.0 for row in failed) if done else None,
            },
            "honoured": _rate(rates["honoured"]),
        },
        "nodes": {
            entry["node"]: {
                "role": entry["role"],
                "n": entry["n"],
                "actions": {a: {**v, "n": entry["n"]} for a, v in entry["actions"].items()},
                "infosets": {
                    s["infoset"]: {
                        "n": s["n"],
                        "actions": {a: {**v, "n": s["n"]} for a, v in s["actions"].items()},
                    }
                    for s in entry["infosets"]
                },
            }
            for entry in report.node_shares()
        },
    }


def _rate(rate: Mapping[str, Any]) -> dict[str, Any]:
    return {key: rate[key] for key in ("count", "n", "rate", "theory")}


# --------------------------------------------------------------------------------------------------
# The classes side by side
# --------------------------------------------------------------------------------------------------


def comparison(columns: Sequence[Mapping[str, Any]]) -> dict[str, Any]:
    """The columns lined up: which outcome rows any class reached or theory expected, the rates, and every
    decision (node) and action any class's students met. A cell a class has no figure for is None."""
    outcome_keys = [
        key
        for key in OUTCOMES
        if any((cell := c["outcomes"].get(key)) and (cell["count"] or cell["theory"]) for c in columns)
    ]
    nodes = [node for node in NODE_ORDER if any(node in c["nodes"] for c in columns)]
    return {
        "format": FORMAT,
        "version": VERSION,
        "classes": list(columns),
        "outcome_keys": outcome_keys,
        "rate_keys": list(RATE_KEYS),
        "nodes": [
            {
                "node": node,
                "role": game.MOVER[node],
                "actions": list(game.ACTIONS[node]),
                "infosets": sorted(
                    {key for c in columns for key in c["nodes"].get(node, {}).get("infosets", {})}
                ),
            }
            for node in nodes
        ],
    }


def compare(reports: Iterable[ClassDebrief]) -> dict[str, Any]:
    return comparison([class_column(r) for r in reports])


# --------------------------------------------------------------------------------------------------
# Downloads
# --------------------------------------------------------------------------------------------------


def _csv_row(base: Mapping[str, Any], section: str, figure: str, cell: Mapping[str, Any] | None,
             **extra: Any) -> dict[str, Any]:  # fmt: skip
    cell = cell or {}
    out = dict.fromkeys(CSV_COLUMNS, "")
    out.update(base, section=section, figure=figure, **extra)
    out.update(
        count=cell.get("count", ""),
        n=cell.get("n", 0),
        share=exact_float(cell.get("share", cell.get("rate"))),
        theory=exact_float(cell.get("theory")),
    )
    return out


def comparison_rows(data: Mapping[str, Any]) -> Iterable[dict[str, Any]]:
    """compare.csv: one row per class and figure (long format), `count` of `n` rounds, the class's `share`
    and `theory` (the benchmark's, averaged over the same rounds or decisions)."""
    for c in data["classes"]:
        base = {
            "class_code": c["code"],
            "scenarios": ";".join(safe_text(str(s["slug"] or s["name_en"])) for s in c["scenarios"]),
            "alliance_type": c["alliance_type"],
        }
        for key in data["outcome_keys"]:
            yield _csv_row(base, "outcome", key, c["outcomes"].get(key))
        for key in data["rate_keys"]:
            yield _csv_row(base, "rate", key, c["rates"][key])
        for node in data["nodes"]:
            entry = c["nodes"].get(node["node"])
            if entry is None:
                continue
            where = {"node": node["node"], "role": node["role"]}
            for action in node["actions"]:
                cell = entry["actions"][action]
                yield _csv_row(base, "choice", f"{node['node']}:{action}", cell, **where, action=action)
            for infoset, shares in sorted(entry["infosets"].items()):
                for action in node["actions"]:
                    cell = shares["actions"][action]
                    yield _csv_row(
                        base,
                        "choice_infoset",
                        f"{infoset}:{action}",
                        cell,
                        **where,
                        infoset=infoset,
                        action=action,
                    )


def comparison_csv(data: Mapping[str, Any]) -> str:
    out = io.StringIO()
    writer = csv.DictWriter(out, fieldnames=list(CSV_COLUMNS), lineterminator="\r\n", extrasaction="raise")
    writer.writeheader()
    writer.writerows(comparison_rows(data))
    return out.getvalue()


def comparison_json(data: Mapping[str, Any]) -> dict[str, Any]:
    """compare.json: the comparison as the page shows it, codes and plain numbers (shares 0..1)."""
    return dict(data)
