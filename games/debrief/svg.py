"""Server-side SVG for the debrief pages: the game tree, the bargaining range, outcome shares, choice shares
at each node and reputation lines.

Why SVG on the server: the charts print (the debriefs are handed out on paper), need no build step and no
JavaScript, and a test can read them (every mark carries `data-*` hooks: `data-chart`, `data-outcome`,
`data-node`, `data-action`, `data-played`, `data-share`, `data-theory`, `data-group`, `data-tone`, ...).
Every text is escaped; every label comes from `games.vocabulary` (translated), every number is written by
`games.vocabulary.numbers`.

Size: a chart has a viewBox and no fixed size; the page draws it 100 % wide, up to a little more than its
natural width. The charts a student reads (outcome shares, choices at a node, reputation) are laid out
PHONE_WIDTH units wide with TEXT-unit type, so that on a 360-pixel phone their text is still at least
12 pixels tall; long labels wrap onto more lines instead.
"""

from __future__ import annotations

import itertools
import re
import unicodedata
from collections.abc import Iterable, Sequence
from html import escape
from typing import Any

from django.utils.safestring import SafeString, mark_safe
from django.utils.translation import gettext as _

from games.vocabulary import labels, numbers
from games.vocabulary.tones import tone

PHONE_WIDTH = 336  # the width of the charts students read: a 360-pixel phone's page, less its margins
TEXT = 13  # their type size, in viewBox units (the pages' CSS says the same)
LINE = 16  # the height of one line of their labels
GROW = 1.3  # a chart is drawn at most this much wider than its natural width

ROLE_COLOURS = {"us": "#1f5fbf", "challenger": "#b3261e", "japan": "#2e7d32", None: "#666666"}


def _attrs(**attrs: Any) -> str:
    parts = []
    for key, value in attrs.items():
        if value is None or value is False:
            continue
        name = key.rstrip("_").replace("_", "-")
        parts.append(f'{name}="{escape(str(value).lower() if value is True else str(value))}"')
    return " ".join(parts)


def _tag(name: str, body: str = "", **attrs: Any) -> str:
    inner = f"<{name} {_attrs(**attrs)}" if attrs else f"<{name}"
    return f"{inner}>{body}</{name}>" if body or name in ("text", "title", "g", "svg") else f"{inner}/>"


def _text(x: float, y: float, content: str, **attrs: Any) -> str:
    return _tag("text", escape(content), x=f"{x:.1f}", y=f"{y:.1f}", **attrs)


def _svg(width: float, height: float, body: str, title: str, **attrs: Any) -> SafeString:
    """The chart: its viewBox, drawn as wide as the page allows (CSS: width 100 %) up to GROW times its
    natural width, so that its text never grows far beyond the page's."""
    return mark_safe(  # every text inside went through escape()
        _tag(
            "svg",
            _tag("title", escape(title)) + body,
            xmlns="http://www.w3.org/2000/svg",
            viewBox=f"0 0 {width:.0f} {height:.0f}",
            style=f"max-width:{width * GROW:.0f}px",
            role="img",
            aria_label=title,
            class_="chart",
            preserveAspectRatio="xMinYMin meet",
            **attrs,
        )
    )


def _text_width(text: str, size: float = TEXT) -> float:
    """About how wide `text` is drawn at `size`: a full-width (CJK) character takes 1 em, others ~0.6."""
    return sum(size if unicodedata.east_asian_width(ch) in "WF" else size * 0.6 for ch in text)


# A word of Latin text (with the space after it), or one CJK character: where a line may break.
_TOKENS = re.compile(r"[^\s\u2e80-\uffef]+\s*|[\u2e80-\uffef]\s*|\s+")
_NO_LINE_START = "、。，．）」』】！？・ー）)"  # Japanese line breaking: these stay with the character before


def wrap(text: str, width: float, size: float = TEXT) -> list[str]:
    """`text` broken into lines no wider than `width`: between words, and anywhere in CJK text except
    before closing punctuation, which takes the character before it onto the new line."""
    lines: list[str] = []
    line = ""
    for token in _TOKENS.findall(text):
        candidate = line + token
        if not line or _text_width(candidate.rstrip(), size) <= width:
            line = candidate
            continue
        carried = ""
        if token[0] in _NO_LINE_START and len(line) > 1 and not line[-1].isspace():
            line, carried = line[:-1], line[-1]
        lines.append(line.rstrip())
        line = carried + token.lstrip()
    if line.strip():
        lines.append(line.rstrip())
    return lines or [""]


def _lines(x: float, y: float, lines: list[str], **attrs: Any) -> str:
    """Lines of text, the first with its baseline at y, each LINE below the one before."""
    spans = "".join(
        _tag("tspan", escape(line), x=f"{x:.1f}", dy="0" if i == 0 else f"{LINE}")
        for i, line in enumerate(lines)
    )
    return _tag("text", spans, x=f"{x:.1f}", y=f"{y:.1f}", **attrs)


# --------------------------------------------------------------------------------------------------
# The game tree
# --------------------------------------------------------------------------------------------------

ROW, COL, LEFT, TOP, LABELS = 24, 120, 56, 30, 380


def game_tree(tree: dict[str, Any]) -> SafeString:
    """The whole tree, left to right: Nature's draw of the US type, then the decisions; every edge with
    the benchmark's probability at its information set; the round's path drawn thick; information sets
    of the Challenger and Japan joined by dashed lines; each terminal with its payoffs (points)."""
    leaves: list[dict[str, Any]] = []
    depth = _layout(tree, 0, leaves)
    x_end = LEFT + depth * COL
    width, height = x_end + LABELS, TOP + len(leaves) * ROW + 10
    edges, nodes, sets = [], [], {}
    _draw(tree, edges, nodes, sets, x_end)
    infosets = []
    for key, points in sets.items():
        points.sort()
        for (y1, x), (y2, _x) in itertools.pairwise(points):
            infosets.append(
                _tag(
                    "line",
                    x1=f"{x:.1f}",
                    y1=f"{y1:.1f}",
                    x2=f"{x:.1f}",
                    y2=f"{y2:.1f}",
                    class_="infoset",
                    data_infoset=key,
                )
            )
    header = _text(
        width - 4,
        TOP - 14,
        _("outcome · payoffs US / Challenger / Japan (points) · benchmark probability"),
        class_="legend",
        text_anchor="end",
    )
    body = _tag("g", "".join(infosets)) + _tag("g", "".join(edges)) + _tag("g", "".join(nodes)) + header
    return _svg(
        width,
        height,
        body,
        _("The game tree with the round's path"),
        data_chart="tree",
        data_leaves=len(leaves),
    )


def _layout(node: dict[str, Any], level: int, leaves: list[dict[str, Any]]) -> int:
    node["_x"] = LEFT + level * COL
    children = node.get("children") or []
    if not children:
        node["_y"] = TOP + len(leaves) * ROW + ROW / 2
        leaves.append(node)
        return level
    deepest = max(_layout(edge["child"], level + 1, leaves) for edge in children)
    ys = [edge["child"]["_y"] for edge in children]
    node["_y"] = (min(ys) + max(ys)) / 2
    return deepest


def _draw(node: dict[str, Any], edges: list[str], nodes: list[str], sets: dict, x_end: float) -> None:
    x, y = node["_x"], node["_y"]
    if node["kind"] == "terminal":
        x = node["_x"] = x_end
        nodes.append(_terminal(node, x, y))
        return
    for edge in node["children"]:
        child = edge["child"]
        cx = x_end if child["kind"] == "terminal" else child["_x"]
        cy = child["_y"]
        bend = x + COL * 0.3
        edges.append(
            _tag(
                "path",
                d=f"M{x:.1f},{y:.1f} L{bend:.1f},{cy:.1f} L{cx:.1f},{cy:.1f}",
                class_="edge" + (" played" if edge["taken"] else "") + (" zero" if not edge["prob"] else ""),
                data_action=edge["action"],
                data_prob=numbers.significant(edge["prob"]),
                data_played=edge["taken"],
            )
        )
        label = _edge_label(node, edge)
        edges.append(
            _text(
                bend + 4,
                cy - 4,
                f"{label} {numbers.tree_probability(edge['prob'])}",
                class_="edge-label" + (" played" if edge["taken"] else ""),
            )
        )
        _draw(child, edges, nodes, sets, x_end)
    if node["kind"] == "decision" and node["role"] in ("challenger", "japan"):
        sets.setdefault(node["infoset"], []).append((y, x))
    nodes.append(_inner(node, x, y))


def _edge_label(node: dict[str, Any], edge: dict[str, Any]) -> str:
    if node["kind"] == "chance" and node.get("node") != "arf":  # Nature draws a type
        return labels.type_name(edge["action"])
    return labels.action_label(edge["action"])


def _inner(node: dict[str, Any], x: float, y: float) -> str:
    if node["kind"] == "chance":
        shape = _tag("rect", x=f"{x - 5:.1f}", y=f"{y - 5:.1f}", width=10, height=10, class_="chance")
        label = _("Nature")
        colour = ROLE_COLOURS[None]
    else:
        colour = ROLE_COLOURS[node["role"]]
        shape = _tag("circle", cx=f"{x:.1f}", cy=f"{y:.1f}", r=5, fill=colour)
        label = labels.role_name(node["role"])
    return _tag(
        "g",
        shape + _text(x - 7, y + 15, label, class_="node-label", fill=colour, text_anchor="end"),
        class_="node",
        data_node=node.get("node"),
        data_role=node.get("role"),
        data_infoset=node.get("infoset"),
        data_played=node["played"],
    )


def _terminal(node: dict[str, Any], x: float, y: float) -> str:
    pay = node["payoffs"]
    figures = " / ".join(numbers.as_points(pay[r]) for r in ("us", "challenger", "japan"))
    reach = f" · p={numbers.tree_probability(node['reach'])}" if node["reach"] else ""
    label = f"{labels.terminal_name(node['terminal'])} · {figures}{reach}"
    marker = _tag("rect", x=f"{x - 4:.1f}", y=f"{y - 4:.1f}", width=8, height=8, class_="terminal")
    return _tag(
        "g",
        marker + _text(x + 8, y + 4, label),
        class_="leaf" + (" played" if node["played"] else ""),
        data_terminal=node["terminal"],
        data_outcome=node["outcome"],
        data_played=node["played"],
        data_reach=numbers.significant(node["reach"]),
        data_theta=node.get("theta"),
    )


# --------------------------------------------------------------------------------------------------
# The bargaining range
# --------------------------------------------------------------------------------------------------


def bargaining(data: dict[str, Any]) -> SafeString:
    """§3.3's ranges [p_rho - c1_rho, p_rho + cC_rho] of Japan's share x of the good: without the US
    (rho = 0), at the benchmark's rho after the round's alliance decision, and with certain US entry.
    The disputed good runs from 0 (the Challenger holds it all) to 1 (Japan holds it all: the status quo);
    where a range overlaps it a deal could lie."""
    rows = [
        ("alone", _("without the US (ρ = 0)")),
        ("now", _("this round (ρ = %(rho)s)") % {"rho": numbers.rounded(data["now"]["rho"], 2)}),
        ("certain", _("certain US entry (ρ = 1)")),
    ]
    lows = [data[k]["low"] for k, _l in rows] + [0.0]
    highs = [data[k]["high"] for k, _l in rows] + [1.0]
    lo, hi = min(-0.1, *lows) - 0.05, max(1.1, *highs) + 0.05
    left, right, top, row_h = 190, 700, 34, 46
    width, height = right + 30, top + row_h * len(rows) + 40

    def sx(v: float) -> float:
        return left + (v - lo) / (hi - lo) * (right - left)

    parts = [
        _tag(
            "rect",
            x=f"{sx(0):.1f}",
            y=top - 14,
            width=f"{sx(1) - sx(0):.1f}",
            height=row_h * len(rows) + 14,
            class_="good",
        ),
        _text(
            sx(0), top - 18, _("0: the Challenger holds the good"), class_="axis-note", text_anchor="start"
        ),
        _text(sx(1), top - 18, _("1: status quo, Japan holds it"), class_="axis-note", text_anchor="end"),
        _tag(
            "line",
            x1=f"{sx(1):.1f}",
            x2=f"{sx(1):.1f}",
            y1=top - 14,
            y2=top + row_h * len(rows),
            class_="status-quo",
        ),
    ]
    for i, (key, label) in enumerate(rows):
        parts.append(_range_row(data[key], key, label, top + i * row_h, sx, left))
    for tick in _ticks(lo, hi):
        parts.append(_text(sx(tick), height - 12, f"{tick:g}", class_="tick", text_anchor="middle"))
    return _svg(
        width,
        height,
        "".join(parts),
        _("The bargaining range"),
        data_chart="bargaining",
        data_rho=numbers.significant(data["now"]["rho"]),
        data_low=numbers.significant(data["now"]["low"]),
        data_high=numbers.significant(data["now"]["high"]),
    )


def _range_row(r: dict[str, float], key: str, label: str, y: float, sx, left: float) -> str:
    low, high, p = r["low"], r["high"], r["p"]
    deal_low, deal_high = max(low, 0.0), min(high, 1.0)
    parts = [
        _text(
            left - 10, y + 18, label, text_anchor="end", class_="row-label" + (" now" if key == "now" else "")
        ),
        _tag(
            "rect",
            x=f"{sx(low):.1f}",
            y=f"{y + 8:.1f}",
            width=f"{sx(p) - sx(low):.1f}",
            height=16,
            class_="cost-japan",
        ),
        _tag(
            "rect",
            x=f"{sx(p):.1f}",
            y=f"{y + 8:.1f}",
            width=f"{sx(high) - sx(p):.1f}",
            height=16,
            class_="cost-challenger",
        ),
        _tag("line", x1=f"{sx(p):.1f}", x2=f"{sx(p):.1f}", y1=f"{y + 4:.1f}", y2=f"{y + 28:.1f}", class_="p"),
        _text(sx(p), y + 40, f"p={numbers.rounded(p, 2)}", text_anchor="middle", class_="tick"),
        _text(sx(low), y + 4, numbers.rounded(low, 2), text_anchor="middle", class_="tick"),
        _text(sx(high), y + 4, numbers.rounded(high, 2), text_anchor="middle", class_="tick"),
    ]
    if deal_low <= deal_high:
        parts.append(
            _tag(
                "rect",
                x=f"{sx(deal_low):.1f}",
                y=f"{y + 8:.1f}",
                width=f"{sx(deal_high) - sx(deal_low):.1f}",
                height=16,
                class_="deal",
            )
        )
    return _tag(
        "g",
        "".join(parts),
        data_range=key,
        data_low=numbers.significant(low),
        data_high=numbers.significant(high),
        data_p=numbers.significant(p),
        data_c1=numbers.significant(r["c1"]),
        data_cc=numbers.significant(r["cC"]),
    )


def _ticks(lo: float, hi: float) -> list[float]:
    start = int(lo * 4) / 4
    ticks, t = [], start
    while t <= hi:
        if t >= lo:
            ticks.append(round(t, 2))
        t += 0.25
    return ticks


# --------------------------------------------------------------------------------------------------
# Shares: outcomes, conditions, choices at a node
# --------------------------------------------------------------------------------------------------


def share_bars(rows: Sequence[dict[str, Any]], title: str, chart: str) -> SafeString:
    """Horizontal bars, each under its label (wrapped): the observed share (solid, in the outcome's tone,
    with its count) and the benchmark's share (a thin outlined bar).  `rows`: {"key", "label", "share",
    "theory", "count"}."""
    left, span, value_x = 2, 222, 232
    width = PHONE_WIDTH
    parts, y = [], 4
    for row in rows:
        label = wrap(row["label"], width - left - 2)
        bar_y = y + LINE * len(label) + 2
        share, theory = row.get("share") or 0.0, row.get("theory")
        marks = [
            _lines(left, y + TEXT, label, class_="row-label"),
            _tag("rect", x=left, y=bar_y, width=f"{span:.1f}", height=13, class_="track"),
            _tag("rect", x=left, y=bar_y, width=f"{span * share:.1f}", height=13, class_="observed"),
            _text(
                value_x,
                bar_y + 11,
                f"{numbers.percent(row.get('share'))} (n={row.get('count', 0)})",
                class_="value",
            ),
        ]
        if theory is not None:
            marks.insert(
                3, _tag("rect", x=left, y=bar_y + 16, width=f"{span * theory:.1f}", height=5, class_="theory")
            )
        parts.append(
            _tag(
                "g",
                "".join(marks),
                class_="bar",
                data_key=row["key"],
                data_tone=tone(row["key"]) if chart in ("outcomes", "condition") else None,
                data_share=numbers.significant(row.get("share")),
                data_theory=numbers.significant(theory),
                data_count=row.get("count", 0),
            )
        )
        y = bar_y + 30
    legend = wrap(_("solid: this class · thin: theory (benchmark)"), width - left - 2)
    height = y + LINE * len(legend) + 4
    return _svg(
        width,
        height,
        "".join(parts) + _lines(left, y + TEXT, legend, class_="legend"),
        title,
        data_chart=chart,
    )


def node_shares(entry: dict[str, Any], title: str) -> SafeString:
    """Students' choices at one node: a bar per action, the benchmark's probability as a marker."""
    actions = list(entry["actions"].items())
    left, span = 2, 150
    width = PHONE_WIDTH
    parts, y = [], 4
    for act, row in actions:
        share, theory = row.get("share") or 0.0, row.get("theory")
        bar_y = y + LINE + 2
        marks = [
            _text(left, y + TEXT, labels.action_label(act), class_="row-label"),
            _tag("rect", x=left, y=bar_y, width=f"{span:.1f}", height=14, class_="track"),
            _tag("rect", x=left, y=bar_y, width=f"{span * share:.1f}", height=14, class_="observed"),
            _text(
                left + span + 8,
                bar_y + 12,
                f"{numbers.percent(row.get('share'))} · {_('theory')} {numbers.percent(theory)}",
                class_="value",
            ),
        ]
        if theory is not None:
            tx = left + span * theory
            marks.append(
                _tag(
                    "line",
                    x1=f"{tx:.1f}",
                    x2=f"{tx:.1f}",
                    y1=bar_y - 3,
                    y2=bar_y + 17,
                    class_="theory-marker",
                )
            )
        parts.append(
            _tag(
                "g",
                "".join(marks),
                class_="bar",
                data_action=act,
                data_share=numbers.significant(row.get("share")),
                data_theory=numbers.significant(theory),
                data_count=row.get("count", 0),
            )
        )
        y = bar_y + 26
    legend = wrap(_("bar: students' choices · mark: theory"), width - left - 2)
    height = y + LINE * len(legend) + 4
    return _svg(
        width,
        height,
        "".join(parts) + _lines(left, y + TEXT, legend, class_="legend"),
        title,
        data_chart="node",
        data_node=entry["node"],
        data_infoset=entry.get("infoset"),
        data_n=entry["n"],
    )


# --------------------------------------------------------------------------------------------------
# Reputation
# --------------------------------------------------------------------------------------------------


def reputation(line: dict[str, Any], rounds: int, threshold: float | None) -> SafeString:
    """One group's public belief that the US is resolute, round by round: the prior, after the alliance
    decision and after the intervention decision; the true type shaded behind; events marked."""
    left, top, h = 34, 12, 120
    w = PHONE_WIDTH - left - 8
    step = w / max(rounds, 1)
    width, height = left + w + 8, top + h + 44

    def sx(t: float) -> float:
        return left + (t - 1) * step

    def sy(v: float) -> float:
        return top + (1 - v) * h

    parts = [_tag("rect", x=left, y=top, width=w, height=h, class_="frame")]
    points: list[tuple[float, float]] = []
    for p in line["points"]:
        t = p["round"]
        parts.append(
            _tag(
                "rect",
                x=f"{sx(t):.1f}",
                y=top,
                width=f"{step:.1f}",
                height=h,
                class_=f"type-{p['us_type']}",
                data_round=t,
                data_us_type=p["us_type"],
            )
        )
        seq = [(t, p["prior"]), (t + 0.4, p["mu_after_alliance"])]
        if p.get("mu_after_intervention") is not None:
            seq.append((t + 0.75, p["mu_after_intervention"]))
        points.extend((sx(x), sy(v)) for x, v in seq if v is not None)
        parts.append(_text(sx(t) + step / 2, top + h + 16, str(t), text_anchor="middle", class_="tick"))
        marks = _event_marks(p["events"])
        if marks:
            parts.append(
                _text(
                    sx(t) + step / 2,
                    top + h + 34,
                    marks,
                    text_anchor="middle",
                    class_="event-mark",
                    data_events=" ".join(p["events"]),
                )
            )
    if threshold is not None and 0 <= threshold <= 1:
        parts.append(
            _tag(
                "line",
                x1=left,
                x2=left + w,
                y1=f"{sy(threshold):.1f}",
                y2=f"{sy(threshold):.1f}",
                class_="threshold",
            )
        )
    path = " ".join(f"{'M' if i == 0 else 'L'}{x:.1f},{y:.1f}" for i, (x, y) in enumerate(points))
    parts.append(_tag("path", d=path, class_="belief"))
    parts.extend(
        _tag("circle", cx=f"{x:.1f}", cy=f"{y:.1f}", r=2.5, class_="belief-point") for x, y in points
    )
    for v in (0, 0.5, 1):
        parts.append(_text(left - 4, sy(v) + 4, f"{v:g}", text_anchor="end", class_="tick"))
    title = _("Group %(group)s: belief that the US is resolute") % {"group": line["group"]}
    return _svg(
        width,
        height,
        "".join(parts),
        title,
        data_chart="reputation",
        data_group=line["group"],
        data_points=len(points),
    )


def _event_marks(events: Iterable[str]) -> str:
    symbols = {
        "alliance_formed": "A",
        "commitment_honoured": "✓",
        "commitment_broken": "✗",
        "ad_hoc_intervention": "+",
        "stayed_out": "–",
    }
    return "".join(symbols[e] for e in events if e in symbols)
