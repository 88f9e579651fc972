"""Debrief pages and exports. Staff: the class debrief, a round's debrief, its replay and the three
exports. Students: `/play/debrief/`, their own decisions and the class summary once the instructor has
released the debrief.

Every page is computed from the event log by `class_analysis` and `round_report`. The class report comes
from `games.debrief.cache`, so three hundred students opening their debrief at once compute it once; a
round's page and its replay read only that round's events.
"""

from __future__ import annotations

import html
import json
import uuid
from typing import Any

from django.contrib.admin.views.decorators import staff_member_required
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.safestring import SafeString, mark_safe
from django.utils.translation import get_language
from django.utils.translation import gettext as _
from django.views.decorators.http import require_safe

from games.crisis.debrief import outcome_key
from games.crisis.game import ROLES
from games.crisis.params import Params
from games.debrief import class_analysis, discussion, exports, glance, round_report, text
from games.debrief import svg as debrief_svg
from games.debrief.cache import class_report, student_report
from games.debrief.load import lecture_figures, load_class, polls_of
from games.models import ClassSession, Participant, Round
from games.play import identity
from games.vocabulary import glossary, join_code, labels, numbers

VIEWERS = ("all", *ROLES)


def _class(code: str) -> ClassSession:
    return get_object_or_404(ClassSession.objects.select_related("scenario"), code=join_code.normalise(code))


# --------------------------------------------------------------------------------------------------
# Presentation helpers (codes -> words and charts)
# --------------------------------------------------------------------------------------------------


def outcome_rows(rows: list[dict[str, Any]], alliance_type: str | None = None) -> list[dict[str, Any]]:
    return [
        {
            **row,
            "key": row["outcome"],
            "label": labels.outcome_name(row["outcome"], alliance_type),
            "explanation": labels.outcome_explanation(row["outcome"], alliance_type),
        }
        for row in rows
    ]


def node_views(nodes: list[dict[str, Any]]) -> list[dict[str, Any]]:
    out = []
    for entry in nodes:
        name = labels.node_phrase(entry["node"])
        sets = [
            {
                **s,
                "label": text.infoset(s),
                "rows": _action_rows(s),
            }
            for s in entry["infosets"]
        ]
        out.append(
            {
                **entry,
                "label": name,
                "role_label": labels.role_name(entry["role"]),
                "chart": debrief_svg.node_shares(entry, name),
                "infoset_views": sets,
            }
        )
    return out


def _action_rows(entry: dict[str, Any]) -> list[dict[str, Any]]:
    return [{"action": a, "label": labels.action_label(a), **row} for a, row in entry["actions"].items()]


def rate_rows(rates: dict[str, Any], figures: dict[str, dict[str, Any]]) -> list[dict[str, Any]]:
    """The class's rates; the honoured share beside the instructor's reliability figure and its source."""
    reliability = figures.get("reliability", {})
    rows = []
    for key in ("general_deterrence", "immediate_deterrence", "honoured", "war"):
        row = {"key": key, "label": str(text.RATES[key]), **rates[key]}
        if key == "honoured" and reliability:
            row.update(
                lecture=reliability["value"], source=reliability["source"], verified=reliability["verified"]
            )
        rows.append(row)
    return rows


def lecture_rows(rows: list[dict[str, Any]], figures: dict[str, dict[str, Any]]) -> list[dict[str, Any]]:
    """The lecture's findings beside the class and the model, each with the instructor's own figure and
    citation where one is set (the slides' figure otherwise)."""
    out = []
    for row in rows:
        words = text.LECTURE[row["key"]]
        out.append(
            {
                **row,
                **figures.get(row["key"], {}),
                "name": str(words["name"]),
                "measure": str(words["measure"]),
                "percent_change": row["key"] != "reliability",
            }
        )
    return out


def lecture_notes(figures: dict[str, dict[str, Any]]) -> list[dict[str, Any]]:
    """The instructor's figures that no class measure stands beside (the share of defence pacts)."""
    return [
        {"key": key, "sentence": str(text.LECTURE_NOTES[key]), **figures[key]}
        for key in text.LECTURE_NOTES
        if key in figures
    ]


def condition_rows(rows: list[dict[str, Any]]) -> list[dict[str, Any]]:
    out = []
    for row in rows:
        bars = [
            {"key": k, "label": labels.outcome_name(k, row["alliance_type"]), **v, "theory": None}
            for k, v in row["outcomes"].items()
        ]
        name = _("alliance formed") if row["allied"] else _("no alliance formed")
        if row["armed"] is not None:
            name += " · " + (_("Japan armed") if row["armed"] else _("Japan unarmed"))
        if row.get("cbm"):
            name += " · " + text.infoset_cbm(row["cbm"])
        label = labels.alliance_type_name(row["alliance_type"])
        if row["tripwire"]:
            label += " + " + _("tripwire")
        out.append(
            {**row, "name": name, "treaty": label, "chart": debrief_svg.share_bars(bars, name, "condition")}
        )
    return out


def reputation_views(
    lines: list[dict[str, Any]], rounds: int, threshold: float | None, alliance_type: str | None = None
) -> list[dict[str, Any]]:
    out = []
    for line in lines:
        points = [
            {
                **p,
                "events_text": ", ".join(text.reputation_event(e, alliance_type) for e in p["events"]),
                "us_type_label": labels.type_name(p["us_type"]),
                "outcome_label": labels.outcome_name(p["outcome"], alliance_type),
            }
            for p in line["points"]
        ]
        out.append({**line, "points": points, "chart": debrief_svg.reputation(line, rounds, threshold)})
    return out


def flag_views(flags: list[dict[str, Any]]) -> list[dict[str, str]]:
    return [text.flag(f) for f in flags]


def decision_view(d: dict[str, Any], round_row: dict[str, Any]) -> dict[str, Any]:
    seat = round_row["seats"].get(d["role"], {})
    return {
        **d,
        "role_label": labels.role_name(d["role"]),
        "node_label": text.infoset({"node": d["node"], **text.infoset_context(d["infoset"])}),
        "action_label": labels.action_label(d["action"]),
        "predicted_label": text.predicted(d["probs"]),
        "kind_label": str(text.EVENT_KINDS.get(d["kind"], "")),
        "who": seat.get("name", ""),
        "who_bot": seat.get("bot"),
    }


def summary_context(report: dict[str, Any]) -> dict[str, Any]:
    """What both the staff page and the student page show of the class: aggregates only."""
    outcomes = outcome_rows(report["outcomes"]["rows"], report["scenario"]["alliance_type"])
    outcomes = glance.reachable_outcomes(outcomes, report["scenario"])
    figures = lecture_figures()
    return {
        "outcomes": outcomes,
        "outcomes_chart": debrief_svg.share_bars(outcomes, _("Outcomes: this class and theory"), "outcomes"),
        "n_finished": report["rounds"]["finished"],
        "rates": rate_rows(report["rates"], figures),
        "abandonment": report["rates"]["abandonment"],
        "lecture": lecture_rows(report["lecture"], figures),
        "lecture_notes": lecture_notes(figures),
        "stages": stage_views(report.get("stages")),
        "nodes": node_views(report["nodes"]),
        "scenario": report["scenario"],
        "treaty": labels.alliance_type_name(report["scenario"]["alliance_type"]),
        "arf": preventive_diplomacy_view(report.get("preventive_diplomacy")),
    }


def localised_name(entry: dict[str, Any]) -> str:
    """`name_ja` when the page is in Japanese and it is set, else `name_en` (a stage's scenario)."""
    japanese = (get_language() or "en").startswith("ja") and entry.get("name_ja")
    return entry["name_ja"] if japanese else entry.get("name_en") or entry.get("scenario") or ""


STAGE_RATES = ("general_deterrence", "immediate_deterrence", "war")


def stage_views(stages: list[dict[str, Any]] | None) -> dict[str, Any] | None:
    """Before and after each switch of scenario, side by side: each stage's scenario and rounds, then one
    row per outcome and per deterrence rate with, for every stage, the class's share beside theory's for
    that stage's own parameters (None: the class played one scenario)."""
    if not stages:
        return None
    heads, by_outcome = [], {}
    for stage in stages:
        heads.append(
            {
                **stage,
                "name": localised_name(stage),
                "treaty": labels.alliance_type_name(stage["alliance_type"]),
                "n": stage["outcomes"]["n"],
            }
        )
        reachable = glance.reachable_outcomes(
            outcome_rows(stage["outcomes"]["rows"], stage["alliance_type"]), stage
        )
        for row in reachable:
            by_outcome.setdefault(row["key"], {"key": row["key"], "label": row["label"]})
    outcome_table = []
    for key, row in by_outcome.items():
        cells = [next(r for r in stage["outcomes"]["rows"] if r["outcome"] == key) for stage in stages]
        outcome_table.append({**row, "cells": cells})
    rate_table = [
        {"key": key, "label": str(text.RATES[key]), "cells": [stage["rates"][key] for stage in stages]}
        for key in STAGE_RATES
    ]
    return {"stages": heads, "outcomes": outcome_table, "rates": rate_table}


def preventive_diplomacy_view(stats: dict[str, Any] | None) -> dict[str, Any] | None:
    """Module D's draws in words: with an alliance behind Japan, without, then all draws (None without
    Module D, so the section is not drawn)."""
    if not stats:
        return None
    names = {1: _("With the alliance behind Japan"), 0: _("Without an alliance")}
    rows = [
        {
            **row,
            "key": f"a{row['alliance']}",
            "label": names[row["alliance"]],
            "by_cbm": [{**c, "label": text.infoset_cbm(c["cbm"])} for c in row["by_cbm"]],
        }
        for row in stats["rows"]
    ]
    rows.append({**stats["total"], "key": "all", "label": _("All draws"), "by_cbm": []})
    bench = stats["benchmark"]
    return {
        "rows": rows,
        "n": stats["total"]["n"],
        "benchmark": {**bench, "label": text.infoset_cbm(bench["cbm"])},
    }


# --------------------------------------------------------------------------------------------------
# Staff pages
# --------------------------------------------------------------------------------------------------


@staff_member_required
@require_safe
def class_page(request: HttpRequest, code: str) -> HttpResponse:
    class_session = _class(code)
    report = class_report(class_session)
    treaty = report["scenario"]["alliance_type"]
    context = {
        "class_session": class_session,
        "report": report,
        **summary_context(report),
        "conditions": condition_rows(report["by_condition"]),
        "deviations": [
            {**row, "role_label": labels.role_name(row["role"])} for row in report["deviations"]["rows"]
        ],
        "reputation": reputation_views(
            report["reputation"], class_session.rounds, report["thresholds"]["rho_star"], treaty
        ),
        "rounds_table": rounds_table(report["round_list"], class_session.code, treaty),
        "events": report["events"],
        "discussion": discussion.class_discussion(report, class_session.scenario.questions),
        "decisions_text": glance.decisions_in_words(report["events"]),
        "numbers_open": True,  # staff read the tables; students see them folded
    }
    return render(request, "debrief/class.html", context)


def rounds_table(rows: list[dict[str, Any]], code: str, alliance_type: str | None = None) -> SafeString:
    """The body of the every-round table.  Built here rather than in the template: a class of 300 students
    has 1,000 rounds, and the template engine would spend seconds on what string joining does in
    milliseconds.  Every text goes through `html.escape`; labels are translated once per distinct value."""
    worded: dict[Any, str] = {}

    def once(key: Any, make: Any) -> str:
        if key not in worded:
            worded[key] = make()
        return worded[key]

    bot = f' <span class="bot">{esc(_("bot"))}</span>'
    links = (esc(_("debrief")), esc(_("replay")))
    base = f"/instructor/classes/{esc(code)}/rounds/"
    out = []
    for r in rows:
        seats = "".join(
            f"<td>{esc(r['seats'][role]['name'])}{bot if r['seats'][role]['bot'] else ''}</td>"
            for role in ROLES
        )
        flags = "".join(
            once(("flag", tuple(sorted(f.items()))), lambda f=f: _flag_html(f)) for f in r.get("flags", [])
        )
        if r["finished"]:
            outcome = once(
                ("outcome", r["outcome"]), lambda r=r: esc(labels.outcome_name(r["outcome"], alliance_type))
            )
        else:
            outcome = once("in progress", lambda: f"<em>{esc(_('in progress'))}</em>")
        us_type = once(("type", r["us_type"]), lambda r=r: esc(labels.type_name(r["us_type"])))
        deviations = sum(1 for d in r["decisions"] if d["student"] and d["deviation"])
        rid = int(r["id"])
        out.append(
            f'<tr data-round="{rid}" data-outcome="{esc(r["outcome"] or "")}"><td>{int(r["number"])}</td>'
            f"<td>{int(r['group'])}</td>{seats}<td>{us_type}</td><td>{outcome}</td><td>{flags}</td>"
            f'<td>{deviations}</td><td class="no-print">'
            f'<a href="{base}{rid}/" data-link="round">{links[0]}</a> · '
            f'<a href="{base}{rid}/replay/" data-link="replay">{links[1]}</a></td></tr>'
        )
    return mark_safe("\n".join(out))  # every text above went through esc()


def _flag_html(entry: dict[str, Any]) -> str:
    f = text.flag(entry)
    attrs = f'data-flag="{esc(f["name"])}" title="{esc(f["explanation"])}"'
    return f'<span class="flag" {attrs}>{esc(f["title"])}</span>'


def esc(value: Any) -> str:
    return html.escape(str(value), quote=True)


@staff_member_required
@require_safe
def round_page(request: HttpRequest, code: str, round_id: int) -> HttpResponse:
    class_session = _class(code)
    rnd = get_object_or_404(Round, pk=round_id, class_session=class_session)
    log = load_class(class_session, round_ids=[rnd.pk])
    data = round_report.round_debrief(log, rnd.pk)
    params = Params.from_mapping(log.round_params(rnd.number))  # the scenario the round played
    context = {
        "class_session": class_session,
        "round_scenario": localised_name(data["stage"]) if data.get("stage") else class_session.scenario.name,
        **round_context(data, params.alliance_type.value),
        "discussion": discussion.round_discussion(data, params, class_session.scenario.questions),
    }
    return render(request, "debrief/round.html", context)


def round_context(data: dict[str, Any], alliance_type: str | None = None) -> dict[str, Any]:
    knowledge = {k["seq"]: k for k in data["knowledge"]}
    decisions = []
    for d in data["decisions"]:
        view = decision_view(d, data)
        knew = knowledge.get(d["seq"], {})
        view["private"] = _private_lines(knew.get("private", {}))
        view["public_belief"] = knew.get("public_belief")
        view["values_view"] = [
            {"label": labels.action_label(a), "points": v * 100, "played": a == d["action"]}
            for a, v in (d["values"] or {}).items()
        ]
        decisions.append(view)
    equilibria = [
        {
            **e,
            "description": str(text.EQUILIBRIA.get(e["name"], "")),
            "outcomes_view": sorted(
                ((labels.outcome_name(k), v) for k, v in e["outcomes"].items()), key=lambda kv: -kv[1]
            ),
        }
        for e in data["equilibria"]
    ]
    finished = data["finished"]
    context: dict[str, Any] = {
        "r": data,
        "decisions": decisions,
        "equilibria": equilibria,
        "tree_svg": debrief_svg.game_tree(data["tree"]),
        "seats": [{"role": role, "label": labels.role_name(role), **data["seats"][role]} for role in ROLES],
        "us_type_label": labels.type_name(data["us_type"]),
        "challenger_type_label": labels.type_name(data["challenger_type"]),
        "stage0": [
            {
                **step,
                "node_label": labels.node_phrase(step["node"]),
                "action_label": labels.action_label(step["action"]),
                "predicted_label": text.predicted(step["probs"]),
            }
            for step in data["tree"]["stage0"]
        ],
        "arf": arf_context(data["arf"]) if data.get("arf") else None,
    }
    if finished:
        complete = data["complete_info"]
        context.update(
            outcome_label=labels.outcome_name(data["outcome"], alliance_type),
            outcome_explanation=labels.outcome_explanation(data["outcome"], alliance_type),
            flags=flag_views(data["flags"]),
            payoffs=[
                {"label": labels.role_name(role), **data["payoffs"][role]}
                for role in ("us", "challenger", "japan")
            ],
            bargaining_svg=debrief_svg.bargaining(data["bargaining"]),
            complete_terminals=[(labels.terminal_name(k), v) for k, v in complete["terminals"].items()],
            counterfactual_terminals=[
                (labels.terminal_name(k), v) for k, v in data["no_alliance"]["terminals"].items()
            ],
            counterfactual_path=[
                {**e, "label": labels.outcome_name(e["outcome"]), "type": labels.type_name(e["theta"])}
                for e in data["counterfactual_path"]
            ],
            expected_rows=[
                (_("With the alliance option (benchmark)"), data["expected_payoffs"]),
                (_("Without the alliance option"), data["counterfactual_payoffs"]),
            ],
            complete_alliance=complete["alliance"],
        )
    return context


def arf_context(arf: dict[str, Any]) -> dict[str, Any]:
    """Module D's report (§9.9) for the round page: the CBM choices, the ARF's draw and chances, stage 0."""

    def cbm(e: list[int] | None) -> str:
        return numbers.DASH if e is None else labels.cbm_builders(e)

    return {
        **arf,
        "played": cbm(arf["e"]),
        "benchmark": cbm(arf["benchmark_e"]),
        "draw": labels.action_label(arf["preventive_diplomacy"]) or numbers.DASH,
        "stage0_rows": [
            {**row, "who": cbm(row["e"]), "selected_label": text.equilibrium(row["selected"])}
            for row in arf["stage0"]
        ],
        "no_arf": {**arf["no_arf"], "selected_label": text.equilibrium(arf["no_arf"]["selected"])},
    }


def _private_lines(private: dict[str, Any]) -> list[str]:
    lines = []
    if "us_type" in private:
        lines.append(
            _("type: %(type)s; w = %(w)s; g = %(g)s")
            % {
                "type": labels.type_name(private["us_type"]),
                "w": numbers.short(private["w"]),
                "g": numbers.short(private["g"]),
            }
        )
    if "challenger_type" in private:
        lines.append(
            _("type: %(type)s; cC = %(cC)s; cCa = %(cCa)s")
            % {
                "type": labels.type_name(private["challenger_type"]),
                "cC": numbers.short(private["cC"]),
                "cCa": numbers.short(private["cCa"]),
            }
        )
    return lines


@staff_member_required
@require_safe
def replay_page(request: HttpRequest, code: str, round_id: int) -> HttpResponse:
    class_session = _class(code)
    rnd = get_object_or_404(Round, pk=round_id, class_session=class_session)
    viewer = request.GET.get("as", "all")
    if viewer not in VIEWERS:
        viewer = "all"
    log = load_class(class_session, round_ids=[rnd.pk])
    data = round_report.round_replay(log, rnd.pk)
    steps = [_step_view(i, step, viewer, data) for i, step in enumerate(data["steps"])]
    context = {
        "class_session": class_session,
        "r": data,
        "steps": steps,
        "viewer": viewer,
        "viewers": [(v, _("everything") if v == "all" else labels.role_name(v)) for v in VIEWERS],
        "viewer_label": _("everything") if viewer == "all" else labels.role_name(viewer),
        "heading": replay_heading(viewer),
        "step_template": str(text.STEP_OF),
    }
    return render(request, "debrief/replay.html", context)


def replay_heading(viewer: str) -> str:
    if viewer == "all":
        return _("Replay: every move, with every player's private information")
    return _("Replay: as seen by %(role)s") % {"role": labels.role_name(viewer)}


def _step_view(index: int, step: dict[str, Any], viewer: str, data: dict[str, Any]) -> dict[str, Any]:
    view = step["all"] if viewer == "all" else step["views"][viewer]
    event = step["event"]
    decision = next((d for d in data["decisions"] if event and d["seq"] == event["seq"]), None)
    out = {
        "index": index,
        "event": event,
        "actor": step["actor"],
        "actor_bot": step["actor_bot"],
        "node": view["node"],
        "node_label": labels.node_phrase(view["node"]),
        "to_move": view["to_move"],
        "to_move_label": labels.role_name(view["to_move"]) if view["to_move"] else "",
        "actions": [labels.action_label(a) for a in view["actions"]] if viewer != "all" else [],
        "history": [
            {
                "role": labels.role_name(h.get("role")),
                "action": labels.action_label(h["action"]),
                "auto": h.get("auto"),
            }
            for h in view["history"]
        ],
        "belief": view["public"]["belief"],
        "benchmark_belief": view["public"].get("benchmark_belief"),
        "outcome": view.get("outcome"),
    }
    if event:
        out["event_text"] = (
            _("%(role)s chose %(action)s")
            % {"role": labels.role_name(event["role"]), "action": labels.action_label(event["action"])}
            if event["kind"] != "system"
            else _("system event: %(action)s") % {"action": event["action"]}
        )
        out["kind_label"] = str(text.EVENT_KINDS.get(event["kind"], event["kind"]))
    if decision is not None:
        out["decision"] = decision_view(decision, data)
    if viewer == "all":
        out["private"] = {labels.role_name(r): _private_lines(p) for r, p in view["private"].items() if p}
        out["types"] = {
            "us": labels.type_name(view.get("us_type")) or None,
            "challenger": labels.type_name(view.get("challenger_type")) or None,
        }
    else:
        out["private"] = (
            {labels.role_name(viewer): _private_lines(view["private"])} if view["private"] else {}
        )
    if out["outcome"]:
        out["outcome_label"] = labels.outcome_name(
            outcome_key(out["outcome"]["label"], out["outcome"].get("qualifier"))
        )
        out["payoffs"] = [(labels.role_name(r), v * 100) for r, v in out["outcome"]["payoffs"].items()]
    return out


# --------------------------------------------------------------------------------------------------
# Exports (staff only)
# --------------------------------------------------------------------------------------------------


def _download(content: str, filename: str, content_type: str) -> HttpResponse:
    response = HttpResponse(content, content_type=content_type)
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    response["Cache-Control"] = "no-store"
    return response


def _csv(request: HttpRequest, content: str, filename: str) -> HttpResponse:
    if request.GET.get("excel"):  # a byte-order mark makes Excel read UTF-8 (Japanese names) correctly
        content = "\ufeff" + content
    return _download(content, filename, "text/csv; charset=utf-8")


def _export_report(code: str) -> tuple[ClassSession, class_analysis.ClassDebrief]:
    """The class and its report for a download. The exports need the whole analysis (every decision and
    its values), not the cached page report, and are downloaded rarely: computed on request."""
    class_session = _class(code)
    return class_session, class_analysis.class_debrief(load_class(class_session))


@staff_member_required
@require_safe
def events_csv(request: HttpRequest, code: str) -> HttpResponse:
    class_session, report = _export_report(code)
    return _csv(request, exports.events_csv(report), f"crisis-{class_session.code}-events.csv")


@staff_member_required
@require_safe
def rounds_csv(request: HttpRequest, code: str) -> HttpResponse:
    class_session, report = _export_report(code)
    return _csv(request, exports.rounds_csv(report), f"crisis-{class_session.code}-rounds.csv")


@staff_member_required
@require_safe
def polls_csv(request: HttpRequest, code: str) -> HttpResponse:
    """Every answer to the class's "predict before the reveal" polls (one row each)."""
    class_session = _class(code)
    return _csv(request, exports.polls_csv(polls_of(class_session)), f"crisis-{class_session.code}-polls.csv")


@staff_member_required
@require_safe
def export_json(request: HttpRequest, code: str) -> HttpResponse:
    class_session, report = _export_report(code)
    content = json.dumps(exports.export_json(report, polls_of(class_session)), ensure_ascii=False, indent=1)
    return _download(content, f"crisis-{class_session.code}.json", "application/json; charset=utf-8")


# --------------------------------------------------------------------------------------------------
# The student's page
# --------------------------------------------------------------------------------------------------


@require_safe
def student_page(request: HttpRequest) -> HttpResponse:
    """The student's own debrief and the class summary, once released; a student sees only a class this
    browser joined (`?code=` picks one of them, by default the class joined last)."""
    participant = _student(request)
    if participant is None:
        return redirect("/")
    class_session = participant.class_session
    if not class_session.debrief_released:
        return render(
            request, "debrief/not_released.html", {"class_session": class_session, "participant": participant}
        )
    report = student_report(class_session, participant)
    mine = class_analysis.student_debrief(report, str(participant.pk))
    treaty = report["scenario"]["alliance_type"]
    rounds = []
    by_id = {r["id"]: r for r in report["round_list"]}
    for entry in mine:
        row = by_id[entry["round_id"]]
        rounds.append(
            {
                **entry,
                "role_label": labels.role_name(entry["role"]),
                "outcome": row["outcome"],
                "outcome_label": labels.outcome_name(row["outcome"], treaty),
                "outcome_explanation": labels.outcome_explanation(row["outcome"], treaty),
                "us_type_label": labels.type_name(row["us_type"]),
                "payoffs": [
                    {"label": labels.role_name(role), **row["payoffs"][role]}
                    for role in ("us", "challenger", "japan")
                ],
                "flags": flag_views(row["flags"]),
                "sentences": [
                    {**decision_view(d, row), "sentence": text.sentence(d)} for d in entry["decisions"]
                ],
                "strip": glance.round_strip(entry, row, treaty),
            }
        )
    groups = {r["group"] for r in rounds}
    lines = [line for line in report["reputation"] if line["group"] in groups]  # where they played a round
    summary = summary_context(report)
    context = {
        "class_session": class_session,
        "participant": participant,
        "rounds": rounds,
        **summary,
        "lecture": glance.lecture_rows_that_apply(summary["lecture"]),
        "reputation": reputation_views(lines, class_session.rounds, report["thresholds"]["rho_star"], treaty),
        "discussion": discussion.student_discussion(report, mine, class_session.scenario.questions),
        "glossary": glossary.defined(),
    }
    return render(request, "debrief/student.html", context)


def _student(request: HttpRequest) -> Participant | None:
    """The browser's participant (None: it never joined).  With `?code=`, its participant in that class,
    which must be one this browser joined: any other class is a 404, whether it exists or not."""
    code = join_code.normalise(request.GET.get("code", ""))
    if not code:
        return identity.current_participant(request.session)
    pid = (request.session.get(identity.CLASSES) or {}).get(code)
    try:
        pid = str(uuid.UUID(pid)) if isinstance(pid, str) else None
    except ValueError:
        pid = None
    participant = (
        Participant.objects.select_related("class_session")
        .filter(pk=pid, is_bot=False, class_session__code=code)
        .first()
        if pid
        else None
    )
    if participant is None:
        raise Http404("no such class for this browser")
    return participant
