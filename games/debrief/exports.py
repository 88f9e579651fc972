"""The class exports (docs/exports.md is the column dictionary of each).

* `events_csv`: `export.csv`, one row per event (long format), each engine event beside the benchmark;
* `rounds_csv`: `rounds.csv`, one row per round (wide format): seats, moves, outcome, benchmark, beliefs;
* `export_json`: `export.json`, the whole log (enough to rebuild every debrief: `analysis.rebuild`) and the
  class debrief computed from it.

All three are built from one `analysis.ClassDebrief`, i.e. from the event log alone.  Numbers are written
as plain decimals (probabilities, payoffs) with exact fractions where they matter (`*_exact` columns), so a
spreadsheet and a script read the same values.  Free text typed by people (display names) is guarded
against spreadsheet formula injection (a leading `=`, `+`, `-`, `@`, tab or carriage return gets a `'`).
"""

from __future__ import annotations

import csv
import io
import json
from collections.abc import Iterable, Iterator
from typing import Any

from games.crisis.game import ROLES
from games.debrief.class_analysis import ClassDebrief
from games.debrief.class_log import ENGINE_KINDS
from games.debrief.round_analysis import NODE_ORDER, Decision, RoundAnalysis
from games.vocabulary.numbers import exact_float, fixed, significant

EVENT_COLUMNS = (
    "class_code",
    "round_id",
    "round",
    "group",
    "seq",
    "created",
    "kind",
    "student",
    "node",
    "role",
    "action",
    "participant_id",
    "participant_name",
    "participant_bot",
    "move_id",
    "infoset",
    "alliance",
    "us_type",
    "challenger_type",
    "prior",
    "benchmark_belief",
    "benchmark_probs",
    "benchmark_prob",
    "predicted",
    "deviation",
    "on_benchmark_path",
    "value_played",
    "value_benchmark",
    "cost",
    "cost_exact",
    "cost_points",
    "payload",
)

ROUND_COLUMNS = (
    "class_code",
    "round_id",
    "round",
    "group",
    "scenario",
    "status",
    "started",
    "finished",
    "prior",
    "prior_exact",
    "us_type",
    "challenger_type",
    "armed",
    "cbm",
    "preventive_diplomacy",
    *(f"{role}_{part}" for role in ROLES for part in ("id", "name", "bot")),
    *(f"{node}_{part}" for node in NODE_ORDER for part in ("action", "kind")),
    "alliance",
    "terminal",
    "label",
    "qualifier",
    "outcome",
    "flags",
    "off_benchmark",
    *(f"payoff_{role}" for role in ROLES),
    *(f"payoff_{role}_exact" for role in ROLES),
    "benchmark",
    "equilibria",
    "multiple_equilibria",
    "approximate",
    "mu",
    "rho",
    "range_low",
    "range_high",
    "status_quo_in_range",
    "benchmark_war",
    "complete_info_alliance",
    "complete_info_war",
    "war_caused_by_uncertainty",
    "no_alliance_war",
    "no_alliance_war_ex_ante",
    "student_deviations",
    "student_cost_points",
    "mu_after_alliance",
    "mu_after_intervention",
    "pi_next",
    "reputation_matches_live",
    "events",
    "student_moves",
    "bot_moves",
    "timeouts",
    "standins",
    "system_events",
)

_FORMULA_START = ("=", "+", "-", "@", "\t", "\r")


def safe_text(value: str) -> str:
    """A display name as a spreadsheet will show it, never as a formula (OWASP CSV injection)."""
    return "'" + value if value.startswith(_FORMULA_START) else value


def _flag(value: bool | None) -> str:
    return "" if value is None else str(int(bool(value)))


def _csv(header: Iterable[str], rows: Iterable[dict[str, Any]]) -> str:
    out = io.StringIO()
    writer = csv.DictWriter(out, fieldnames=list(header), lineterminator="\r\n", extrasaction="raise")
    writer.writeheader()
    for row in rows:
        writer.writerow(row)
    return out.getvalue()


# --------------------------------------------------------------------------------------------------
# export.csv
# --------------------------------------------------------------------------------------------------


def event_rows(report: ClassDebrief) -> Iterator[dict[str, Any]]:
    log = report.log
    for result in report.rounds:
        r = result.log
        decisions = {d.seq: d for d in result.decisions}
        for event in r.events:
            d = decisions.get(event.seq)
            row: dict[str, Any] = dict.fromkeys(EVENT_COLUMNS, "")
            row.update(
                class_code=log.code,
                round_id=r.id,
                round=r.number,
                group=r.group,
                seq=event.seq,
                created=event.created or "",
                kind=event.kind,
                student=_flag(event.kind == "move"),
                node=event.node,
                role=event.role,
                action=event.action,
                participant_id=event.participant or "",
                participant_name=safe_text(log.name(event.participant)) if event.participant else "",
                participant_bot=_flag(log.is_bot(event.participant)) if event.participant else "",
                move_id=event.move_id or "",
                us_type=r.us_type,
                challenger_type=result.state.ctype or "",
                prior=exact_float(r.prior),
                payload=json.dumps(dict(event.payload), sort_keys=True) if event.payload else "",
            )
            if d is not None and event.kind in ENGINE_KINDS:
                row.update(_decision_columns(d))
            yield row


def _decision_columns(d: Decision) -> dict[str, Any]:
    cost = d.cost
    values = d.values
    return {
        "infoset": d.infoset.key,
        "alliance": "" if d.infoset.alliance is None else d.infoset.alliance,
        "benchmark_belief": exact_float(d.belief),
        "benchmark_probs": ";".join(f"{a}={significant(p)}" for a, p in d.probs.items()),
        "benchmark_prob": exact_float(d.probs.get(d.action, 0)),
        "predicted": d.predicted()[0] if d.predicted() else "",
        "deviation": _flag(d.deviation),
        "on_benchmark_path": _flag(d.on_path),
        "value_played": exact_float(values[d.action]) if values else "",
        "value_benchmark": exact_float(d.benchmark_value) if values else "",
        "cost": exact_float(cost),
        "cost_exact": "" if cost is None else str(cost),
        "cost_points": "" if cost is None else fixed(float(cost) * 100, 2),
    }


def events_csv(report: ClassDebrief) -> str:
    return _csv(EVENT_COLUMNS, event_rows(report))


# --------------------------------------------------------------------------------------------------
# rounds.csv
# --------------------------------------------------------------------------------------------------


def round_rows(report: ClassDebrief) -> Iterator[dict[str, Any]]:
    for result in report.rounds:
        yield round_row(report, result)


def round_row(report: ClassDebrief, result: RoundAnalysis) -> dict[str, Any]:
    log, r, state = report.log, result.log, result.state
    row: dict[str, Any] = dict.fromkeys(ROUND_COLUMNS, "")
    counts = result.counts
    row.update(
        class_code=log.code,
        round_id=r.id,
        round=r.number,
        group=r.group,
        scenario=r.scenario or log.meta.get("scenario") or "",
        status=r.status,
        started=r.started or "",
        finished=r.finished or "",
        prior=exact_float(r.prior),
        prior_exact=str(r.prior),
        us_type=r.us_type,
        challenger_type=state.ctype or "",
        armed="" if not state.params.module_a else _flag(state.armed),
        cbm="" if state.cbm is None else "".join(map(str, state.cbm)),
        preventive_diplomacy=state.arf_draw or "",
        events=len(r.events),
        student_moves=counts.get("move", 0),
        bot_moves=counts.get("bot", 0),
        timeouts=counts.get("timeout", 0),
        standins=counts.get("standin", 0),
        system_events=counts.get("system", 0),
    )
    for role, pid in r.seats.items():
        row.update(
            {
                f"{role}_id": pid,
                f"{role}_name": safe_text(log.name(pid)),
                f"{role}_bot": _flag(log.is_bot(pid)),
            }
        )
    for d in result.decisions:
        row.update({f"{d.node}_action": d.action, f"{d.node}_kind": d.kind})
    student = [d for d in result.decisions if d.student and d.deviation]
    row.update(
        student_deviations=len(student),
        student_cost_points=fixed(sum(float(d.cost or 0) for d in student) * 100, 2),
    )
    c = result.classification
    if not result.finished or c is None:
        return row
    low, high = c.bargaining_range
    complete, counter = result.complete_info() or {}, result.counterfactual() or {}
    no_alliance_war = sum(v for t, v in counter.get("terminals", {}).items() if t in ("WAR_I", "WAR_S"))
    row.update(
        alliance=state.alliance,
        terminal=result.terminal,
        label=c.label,
        qualifier=c.qualifier or "",
        outcome=result.outcome,
        flags=";".join(_flag_text(f.as_dict()) for f in c.flags),
        off_benchmark=";".join(f"{f.player}:{f.node}" for f in c.flags if f.name == "OFF_BENCHMARK"),
        benchmark=c.benchmark,
        equilibria=";".join(c.equilibria),
        multiple_equilibria=_flag(c.has("MULTIPLE_EQUILIBRIA")),
        approximate=_flag(c.approximate),
        mu=exact_float(c.mu),
        rho=exact_float(c.rho),
        range_low=exact_float(low),
        range_high=exact_float(high),
        status_quo_in_range=_flag(low <= 1 <= high),
        benchmark_war=exact_float(result.expected.get("war", 0)),
        complete_info_alliance=complete.get("alliance", ""),
        complete_info_war=exact_float(complete.get("war")),
        war_caused_by_uncertainty=_flag(complete.get("war_caused_by_uncertainty")),
        no_alliance_war=exact_float(no_alliance_war),
        no_alliance_war_ex_ante=exact_float(counter.get("war")),
    )
    for role, value in c.payoffs.items():
        row.update({f"payoff_{role}": exact_float(value), f"payoff_{role}_exact": str(value)})
    if result.update is not None:
        u = result.update
        row.update(
            mu_after_alliance=exact_float(u.mu_after_alliance),
            mu_after_intervention=exact_float(u.mu_after_intervention),
            pi_next=exact_float(u.pi_next),
            reputation_matches_live=_flag(result.reputation_matches),
        )
    return row


def _flag_text(flag: dict[str, Any]) -> str:
    if flag["name"] == "OFF_BENCHMARK":
        return f"OFF_BENCHMARK({flag['player']},{flag['node']})"
    return flag["name"]


def rounds_csv(report: ClassDebrief) -> str:
    return _csv(ROUND_COLUMNS, round_rows(report))


# --------------------------------------------------------------------------------------------------
# export.json
# --------------------------------------------------------------------------------------------------


def export_json(report: ClassDebrief, polls: list[dict[str, Any]] | None = None) -> dict[str, Any]:
    """The log (`analysis.ClassLog.as_json`) plus `debrief`: `analysis.rebuild(this)` gives `debrief`;
    `polls`: the class's "predict before the reveal" polls with every answer (`load.polls_of`)."""
    return {**report.log.as_json(), "debrief": report.as_dict(), "polls": polls or []}


# --------------------------------------------------------------------------------------------------
# polls.csv: one row per answer of each poll (a poll nobody answered: one row without an answer)
# --------------------------------------------------------------------------------------------------

POLL_COLUMNS = (
    "poll", "round", "question", "status", "opened", "closed", "participant", "name", "answer", "answered",
)  # fmt: skip


def poll_rows(polls: list[dict[str, Any]]) -> Iterator[dict[str, Any]]:
    for poll in polls:
        head = {key: poll[key] for key in ("round", "question", "status", "opened", "closed")}
        head["poll"] = poll["id"]
        if not poll["answers"]:
            yield {**head, "participant": "", "name": "", "answer": "", "answered": ""}
        for answer in poll["answers"]:
            yield {**head, **answer, "name": safe_text(answer["name"])}


def polls_csv(polls: list[dict[str, Any]]) -> str:
    return _csv(POLL_COLUMNS, poll_rows(polls))
