"""Printable handouts of a scenario (issue 18): one briefing per role and the instructor's answer key.

A briefing says what one role may know before play: the game tree with that role's decisions marked, the
bargaining range, the parameters (all public), the role's own payoffs, what it does not know and what it
decides and when. Nothing private is in it: the US's type is drawn each round, so every briefing gives only
its probability (the reputation), and the US's briefing gives both types' numbers. The answer key is what
theory predicts, in the sentences of the prediction panel (`games.instructor.prediction`, chosen by the
engine's claims), then the scenario's teaching note, discussion questions and case notes.

Everything is built from the engine (`games.crisis`) and the shared words (`games.vocabulary`, the board's
briefing sentences of `games.play.strings`); the view (`handout_views.py`) renders it in the language
asked for, under `translation.override`.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from fractions import Fraction
from html import escape
from typing import Any

from django.utils.safestring import SafeString, mark_safe
from django.utils.translation import gettext as _

from games.crisis import game
from games.crisis.params import Core, Params
from games.crisis.solver import bargaining_range
from games.instructor import prediction
from games.instructor.scenario_form.specs import SPECS
from games.models import Scenario
from games.play.strings import play_strings
from games.vocabulary import labels
from games.vocabulary.numbers import decimal, percent

LANGUAGES = ("en", "ja")
PAPERS = {"a4": "A4", "letter": "letter"}  # the `paper` parameter -> CSS @page size
ROLE_ORDER = ("japan", "us", "challenger")
ZERO, ONE = Fraction(0), Fraction(1)


# --------------------------------------------------------------------------------------------------
# Options of the page: ?lang=en|ja&paper=a4|letter&key=1|0
# --------------------------------------------------------------------------------------------------


class OptionError(ValueError):
    """A query parameter with a value the page does not know."""

    def __init__(self, name: str, value: str, allowed: tuple[str, ...]):
        self.name, self.value, self.allowed = name, value, allowed
        super().__init__(f"{name}={value!r}")


@dataclass(frozen=True)
class Options:
    lang: str
    paper: str
    key: bool

    @property
    def page_size(self) -> str:
        return PAPERS[self.paper]


def read_options(query: Mapping[str, str], default_lang: str = "en") -> Options:
    """The page's options from its query string; raises `OptionError` for an unknown value."""
    lang = query.get("lang") or (default_lang if default_lang in LANGUAGES else "en")
    paper = query.get("paper") or "a4"
    key = query.get("key") or "1"
    if lang not in LANGUAGES:
        raise OptionError("lang", lang, LANGUAGES)
    if paper not in PAPERS:
        raise OptionError("paper", paper, tuple(PAPERS))
    if key not in ("0", "1"):
        raise OptionError("key", key, ("0", "1"))
    return Options(lang=lang, paper=paper, key=key == "1")


# --------------------------------------------------------------------------------------------------
# The whole handout
# --------------------------------------------------------------------------------------------------


def build(scenario: Scenario, *, key: bool = True) -> dict[str, Any]:
    """The handout's context in the active language; raises `InvalidParams` for a scenario that cannot be
    played (its stored parameters are invalid)."""
    params = scenario.engine_params()
    core = params.core()
    return {
        "scenario": scenario,
        "name": scenario.name,
        "facts": scenario_facts(params),
        "briefings": [briefing(params, core, role) for role in ROLE_ORDER],
        "key": answer_key(scenario, params) if key else None,
    }


def scenario_facts(params: Params) -> list[str]:
    """The scenario's treaty and options, as the board states them."""
    facts = [str(labels.ALLIANCE_TYPES[params.alliance_type.value].fact)]
    if params.tripwire:
        facts.append(_("The alliance stations US tripwire forces in Japan."))
    if params.module_a:
        facts.append(_("Japan first decides whether to arm."))
    if params.module_c:
        facts.append(_("The Challenger's cost of war is its private information."))
    if params.arf:
        facts.append(_("Preventive diplomacy (the ARF) may defuse a stand-off."))
    return facts


# --------------------------------------------------------------------------------------------------
# A role's briefing
# --------------------------------------------------------------------------------------------------


def briefing(params: Params, core: Core, role: str) -> dict[str, Any]:
    entry = labels.ROLES[role]
    return {
        "role": role,
        "name": str(entry.name),
        "part": str(entry.part),
        "tagline": str(entry.tagline),
        "sections": briefing_sections(params, core, role),
        "tree": tree_svg(params, role),
        "decisions": decision_rows(params, role),
        "unknown": unknown_sentences(params, role),
        "range": range_rows(core),
        "payoffs": payoff_table(params, core, role),
        "parameters": parameter_rows(params),
    }


def quotes_of(core: Core) -> dict[str, str]:
    """The briefing's values that depend on the effective numbers only."""
    return {
        "gRes": decimal(core.g("R")),
        "gNon": decimal(core.g("N")),
        "gR": decimal(core.g("N") - core.rN + core.R),
    }


def quotes(params: Params, core: Core) -> dict[str, str]:
    """The values the board's briefing sentences quote (frontend/static/js/play/render/quotes.js), from
    the scenario's effective numbers before any choice."""
    values: dict[str, Fraction] = {
        "p": core.p, "p2": core.p2, "c1": core.c1, "c1a": core.c1a, "cC": core.cC, "cCa": core.cCa,
        "beta": core.beta, "sigma": core.sigma, "c2": core.c2, "K": core.K, "R": core.R, "K1": core.K1,
        "rN": core.rN, "cC_H": core.cC_H, "cCa_H": core.cCa_H, "p_arm": params.p_arm,
        "p2_arm": params.p2_arm, "arm_cost": params.arm_cost, "wR": core.wR, "wN": core.wN,
        "gRes": core.g("R"), "gNon": core.g("N"), "gR": core.g("N") - core.rN + core.R,
        "win_alone": 1 - core.p, "win_coalition": 1 - core.p2,
    }  # fmt: skip
    out = {name: decimal(value) for name, value in values.items()}
    out["pi"] = percent(core.pi)
    out["pi_exact"] = decimal(core.pi)
    return out


def briefing_sections(params: Params, core: Core, role: str) -> list[dict[str, Any]]:
    """[{heading, paragraphs}] of the board's briefing (games/play/strings.py), for the role before any
    round: the US's briefing gives both of its possible types."""
    strings = play_strings()
    headings, texts = strings["briefing_headings"], strings["briefing"][role]
    v = quotes(params, core)

    def fill(template: str, **extra: str) -> str:
        return template % {**v, **extra}

    if role == "japan":
        choices = [fill(texts["arming"])] if params.module_a else []
        return [
            {"heading": headings["who"], "paragraphs": [fill(texts["who"])]},
            {"heading": headings["want"], "paragraphs": [fill(texts["want"])]},
            {"heading": headings["know_public"], "paragraphs": [fill(texts["know"])]},
            {"heading": headings["choices"], "paragraphs": [*choices, fill(texts["choices"])]},
        ]
    if role == "us":
        know = [
            _(
                "At the start of every round Nature draws your type, and only you see it: resolute with "
                "probability %(pi)s, otherwise not resolute. The others know only this probability: your "
                "reputation."
            )
            % v,
            *us_type_sentences(core),
        ]
        know.append(texts["g_meaning"])
        want = _(
            "Japan's security is worth w = %(wR)s to you if you are resolute and w = %(wN)s if you are not, "
            "and fighting costs you %(c2)s. An alliance costs %(K)s in peacetime, paid up front whatever "
            "happens (sinking costs: an ex-ante cost); abandoning an ally that is attacked costs you %(R)s "
            "more, paid only if you break the commitment (tying hands: an ex-post cost)."
        )
        choices = texts["choices"] if core.alliance_allowed else texts["neutrality"]
        return [
            {"heading": headings["who"], "paragraphs": [fill(texts["who"])]},
            {"heading": headings["want"], "paragraphs": [want % v]},
            {"heading": headings["know"], "paragraphs": know},
            {"heading": headings["choices"], "paragraphs": [fill(choices)]},
        ]
    want = [fill(texts["want"])] + ([fill(texts["sigma"])] if core.sigma > 0 else [])
    know = [fill(texts["know"])] + ([fill(texts["module_c"])] if params.module_c else [])
    return [
        {"heading": headings["who"], "paragraphs": [fill(texts["who"])]},
        {"heading": headings["want"], "paragraphs": want},
        {"heading": headings["know"] if params.module_c else headings["know_public"], "paragraphs": know},
        {"heading": headings["choices"], "paragraphs": [fill(texts["choices"])]},
    ]


def us_type_sentences(core: Core) -> list[str]:
    """What each US type would know of itself, as conditions (no type is drawn before play); the
    non-resolute type's with whether an alliance ties its hands."""
    v = quotes_of(core)
    resolute = _(
        "If you are resolute, fighting for Japan is worth it to you even without a treaty: your net gain "
        "from intervening is g = %(g)s ≥ 0."
    ) % {"g": v["gRes"]}
    not_resolute = [
        _(
            "If you are not resolute, fighting is not worth it to you on your own: your net gain from "
            "intervening is g = %(g)s < 0."
        )
        % {"g": v["gNon"]}
    ]
    if core.alliance_allowed:
        texts = play_strings()["briefing"]["us"]
        not_resolute.append(texts["tied" if core.h else "not_tied"] % v)
    return [resolute, prediction.join(not_resolute)]


def unknown_sentences(params: Params, role: str) -> list[str]:
    """What the role does not know when it decides."""
    out = []
    if role != "us":
        out.append(
            _(
                "Whether the United States is resolute: you know only the probability that it is, "
                "%(pi)s (its reputation), and what it does."
            )
            % {"pi": percent(params.pi)}
        )
    if params.module_c and role != "challenger":
        out.append(
            _(
                "Whether the Challenger is determined or hesitant: you know only the probability that it "
                "is determined, %(q)s."
            )
            % {"q": percent(params.q)}
        )
    if params.arf:
        out.append(_("Whether preventive diplomacy will defuse a stand-off: only its chances."))
    if not out:
        out.append(_("Nothing about the others: your own type is the only hidden fact, and you know it."))
    return out


def decision_rows(params: Params, role: str) -> list[dict[str, Any]]:
    """The role's decisions in the order of the round, each with its step number, question and options."""
    steps = game.spine(params)
    rows = []
    for number, step in enumerate(steps, start=1):
        if step["mover"] != role:
            continue
        node = labels.NODES[step["node"]]
        if step["node"] == "alliance" and not params.alliance_allowed:
            continue  # under a neutrality pact the alliance step is an automatic event, not a decision
        rows.append(
            {
                "node": step["node"],
                "step": number,
                "steps": len(steps),
                "title": str(node.title),
                "prompt": str(node.prompt or node.title),
                "actions": [labels.action_label(edge["action"]) for edge in step["edges"]],
            }
        )
    return rows


def range_rows(core: Core) -> list[dict[str, Any]]:
    """The bargaining range (Japan's share x of the good) without the United States and with it fighting
    for sure."""
    rows = []
    for rho, label in ((ZERO, _("Without the United States")), (ONE, _("With the United States fighting"))):
        low, high = bargaining_range(core, rho)
        rows.append(
            {
                "rho": rho,
                "label": label,
                "low": low,
                "high": high,
                "low_text": decimal(low),
                "high_text": decimal(high),
            }
        )
    return rows


def parameter_rows(params: Params) -> list[dict[str, str]]:
    """Every parameter the round is played with (all public), with the editor's words for it."""
    names = ["p", "p2", "c1", "c1a", "cC", "cCa", "beta", "sigma", "c2", "wR", "wN", "pi", "k", "r", "k1"]
    if params.tripwire:
        names += ["tau", "kT", "k1T"]
    names += {"entente": ["lambda_E"], "offensive": ["delta_O"], "neutrality": ["r_N"],
              "non_aggression": ["v_NA"]}.get(params.alliance_type.value, [])  # fmt: skip
    if params.module_a:
        names += ["p_arm", "p2_arm", "arm_cost", "sd_arm"]
    if params.module_c:
        names += ["q", "cC_H", "cCa_H"]
    if params.arf:
        names += ["phi0", "dphi1", "dphiC", "psi", "kappa1", "kappaC", "betaD"]
    rows = []
    for name in names:
        spec = SPECS[name]
        rows.append(
            {
                "name": name,
                "symbol": spec.symbol,
                "label": str(spec.label),
                "value": decimal(getattr(params, name)),
            }
        )
    return rows


# --------------------------------------------------------------------------------------------------
# Payoffs
# --------------------------------------------------------------------------------------------------


def terminals(params: Params) -> list[str]:
    """The terminals a round can end at, in the order of the tree."""
    return [edge["terminal"] for step in game.spine(params) for edge in step["edges"] if edge["terminal"]]


def payoff_columns(core: Core, role: str) -> list[dict[str, Any]]:
    """The columns of a role's payoff table: the alliance decision, and the type where the role's payoff
    depends on its own type (the US's; the Challenger's in Module C)."""
    alliances = (0, 1) if core.alliance_allowed else (0,)
    types: tuple[str | None, ...] = (None,)
    if role == "us":
        types = ("R", "N")
    elif role == "challenger" and core.module_c:
        types = ("L", "H")
    columns = []
    for a in alliances:
        for t in types:
            head = _("with an alliance") if a else _("without an alliance")
            if not core.alliance_allowed:
                head = ""
            columns.append(
                {
                    "alliance": a,
                    "type": t,
                    "head": head,
                    "type_name": str(labels.TYPES[t].holder) if t else "",
                }
            )
    return columns


def payoff_table(params: Params, core: Core, role: str) -> dict[str, Any]:
    """The role's own payoff at each terminal, before any arming or confidence-building choice."""
    position = {"us": 0, "challenger": 1, "japan": 2}[role]
    columns = payoff_columns(core, role)
    rows = []
    for terminal in terminals(params):
        cells = []
        for column in columns:
            t = column["type"]
            theta = t if role == "us" else "R"
            ctype = t if role == "challenger" and t else "L"
            value = core.payoffs(terminal, column["alliance"], theta, ctype)[position]
            cells.append({"value": decimal(value), "exact": str(value)})
        rows.append({"terminal": terminal, "name": labels.terminal_name(terminal), "cells": cells})
    staged = params.module_a or params.arf
    return {"columns": columns, "rows": rows, "staged": staged}


# --------------------------------------------------------------------------------------------------
# The game tree, as inline SVG (no script, no font: it prints as it is)
# --------------------------------------------------------------------------------------------------

TREE_W, SPINE_X, TEXT_X, CHIP_X, CHIP_W, ROW, TOP = 560, 24, 48, 330, 220, 58, 30
ROLE_COLOURS = {"us": "#1f5fbf", "challenger": "#b3261e", "japan": "#2e7d32", None: "#555555"}


def _tag(name: str, body: str = "", **attrs: Any) -> str:
    text = " ".join(
        f'{key.rstrip("_").replace("_", "-")}="{escape(str(value))}"'
        for key, value in attrs.items()
        if value is not None
    )
    if body or name in ("text", "g", "svg", "title"):
        return f"<{name} {text}>{body}</{name}>"
    return f"<{name} {text}/>"


def tree_svg(params: Params, role: str | None = None) -> SafeString:
    """The round's steps top to bottom (Nature's draw of the US type first), the moves that end the round
    leading to their outcomes on the right; the role's own decisions ringed and marked "you"."""
    steps = [{"node": "nature", "mover": None, "edges": []}, *game.spine(params)]
    if params.module_c:  # Nature draws the Challenger's type once Japan resists (seen by the Challenger)
        at = next(i for i, step in enumerate(steps) if step["node"] == "response") + 1
        steps.insert(at, {"node": "challenger_type", "mover": None, "edges": []})
    height = TOP + (len(steps) - 1) * ROW + 40
    you = str(play_strings()["you_marker"])
    title = _("The game tree")
    parts = [_tag("title", escape(title))]
    for i, step in enumerate(steps):
        parts.append(_tree_step(params, step, TOP + i * ROW, last=i == len(steps) - 1, role=role, you=you))
    body = "".join(parts)
    svg = _tag(
        "svg",
        body,
        viewBox=f"0 0 {TREE_W} {height}",
        class_="tree",
        role="img",
        aria_label=title,
        data_chart="handout-tree",
        data_role=role,
    )
    return mark_safe(svg)  # every text in it is escaped


def _tree_step(
    params: Params, step: dict[str, Any], y: int, *, last: bool, role: str | None, you: str
) -> str:
    node, mover = step["node"], step["mover"]
    out = []
    if not last:
        onward = [edge["action"] for edge in step["edges"] if not edge["terminal"]]
        label = " / ".join(
            str(labels.ACTIONS[a].edge or labels.ACTIONS[a].label)
            if a in labels.ACTIONS
            else labels.action_label(a)
            for a in onward
        )
        if node == "nature":
            label = _("resolute US %(pi)s / non-resolute US %(rest)s") % {
                "pi": percent(params.pi),
                "rest": percent(1 - params.pi),
            }
        elif node == "challenger_type":
            label = _("determined Challenger %(q)s / hesitant Challenger %(rest)s") % {
                "q": percent(params.q),
                "rest": percent(1 - params.q),
            }
        out.append(_tag("line", x1=SPINE_X, x2=SPINE_X, y1=y + 13, y2=y + ROW - 13, class_="edge"))
        out.append(_tag("text", escape(label), x=SPINE_X + 12, y=y + ROW / 2 + 5, class_="edge-label"))
    exits = [edge for edge in step["edges"] if edge["terminal"]]
    for k, edge in enumerate(exits):
        chip_y = y if len(exits) == 1 else y + (-13 if k == 0 else 13)
        path = f"M {CHIP_X - 30} {y} C {CHIP_X - 14} {y}, {CHIP_X - 14} {chip_y}, {CHIP_X} {chip_y}"
        out.append(_tag("path", d=path, class_="exit"))
        text = f"{labels.action_label(edge['action'])} → {labels.terminal_name(edge['terminal'])}"
        out.append(
            _tag(
                "g",
                _tag("rect", x=CHIP_X, y=chip_y - 10, width=CHIP_W, height=20, rx=10)
                + _tag("text", escape(text), x=CHIP_X + 10, y=chip_y + 4),
                class_="terminal",
                data_terminal=edge["terminal"],
            )
        )
    mine = mover is not None and mover == role
    colour = ROLE_COLOURS[mover]
    initial = str(labels.ROLES[mover].initial) if mover else "?"
    if mine:
        out.append(_tag("circle", cx=SPINE_X, cy=y, r=17, class_="mine-ring", stroke=colour))
    out.append(_tag("circle", cx=SPINE_X, cy=y, r=12, fill=colour))
    out.append(_tag("text", escape(initial), x=SPINE_X, y=y + 4, class_="initial", text_anchor="middle"))
    question, who = _nature_words(node) or (str(labels.NODES[node].question or ""), labels.role_name(mover))
    if node == game.PREVENTIVE_DIPLOMACY:
        who = _("chance")
    if node == "alliance" and not params.alliance_allowed:
        who = str(labels.AUTOMATIC_EVENTS["neutrality_pact"])
    if mine:
        who = f"{who} ({you})"
    out.append(_tag("text", escape(question), x=TEXT_X, y=y - 1, class_="question"))
    out.append(_tag("text", escape(who), x=TEXT_X, y=y + 14, class_="who" + (" mine" if mine else "")))
    return _tag(
        "g",
        "".join(out),
        class_="step" + (" mine" if mine else ""),
        data_node=node,
        data_mover=mover or "nature",
    )


def _nature_words(node: str) -> tuple[str, str] | None:
    """The question and the "who" line of Nature's type draws (None for any other step)."""
    if node == "nature":
        return _("Nature: the US type"), _("seen by the United States only")
    if node == "challenger_type":
        return _("Nature: the Challenger's type"), _("seen by the Challenger only")
    return None


# --------------------------------------------------------------------------------------------------
# The instructor's answer key
# --------------------------------------------------------------------------------------------------


def answer_key(scenario: Scenario, params: Params) -> dict[str, Any]:
    """What theory predicts (the prediction panel's context: the engine's claims in sentences) and the
    scenario's own words for the discussion."""
    questions = [line.strip() for line in scenario.questions.splitlines() if line.strip()]
    notes = [
        (_("Historical context"), scenario.in_language("context")),
        (_("What the model leaves out"), scenario.in_language("omits")),
        (_("Judgement, not data"), scenario.in_language("judgement")),
    ]
    return {
        "prediction": prediction.predict(params),
        "teaching_note": scenario.in_language("teaching_note"),
        "questions": questions,
        "case_notes": [{"heading": heading, "text": text} for heading, text in notes if text.strip()],
    }
