"""Words of the debrief pages: its sentences (a decision's information set, what theory predicted, what
the student chose, a flag with its amounts) and the codes only the debrief's analysis returns
(equilibria, reputation events, event kinds, class rates, lecture figures), through Django's i18n.

The game's own names (roles, nodes, actions, types, terminals, outcomes, flags) are in
`games.vocabulary.labels`. The analysis (round_analysis, round_report, class_analysis) returns codes
only; the views and the SVG charts word them here and there.
"""

from __future__ import annotations

from typing import Any

from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from games.vocabulary import labels, numbers

EQUILIBRIA = {
    "E1": gettext_lazy("separating: only the resolute US allies"),
    "E2": gettext_lazy("pooling: both US types ally"),
    "E3": gettext_lazy("no alliance: neither US type allies"),
    "E4": gettext_lazy("reverse separating: only the non-resolute US allies"),
    "E5": gettext_lazy("semi-separating: the non-resolute US sometimes bluffs"),
}

REPUTATION_EVENTS = {
    "alliance_formed": gettext_lazy("alliance formed"),
    "no_alliance": gettext_lazy("no alliance"),
    "commitment_honoured": gettext_lazy("commitment honoured"),
    "commitment_broken": gettext_lazy("commitment broken"),
    "entente_stayed_out": gettext_lazy("consulted but stayed out (entente)"),
    "ad_hoc_intervention": gettext_lazy("intervened without a treaty"),
    "stayed_out": labels.ACTIONS["stay_out"].did,
}

EVENT_KINDS = {
    "move": gettext_lazy("student"),
    "bot": gettext_lazy("bot"),
    "standin": gettext_lazy("stand-in bot"),
    "timeout": gettext_lazy("timeout"),
    "system": gettext_lazy("system"),
}

RATES = {
    "general_deterrence": gettext_lazy("General deterrence held (no challenge), share of rounds"),
    "immediate_deterrence": gettext_lazy(
        "Immediate deterrence held (the Challenger withdrew), share of crises that reached the Challenger's "
        "attack decision"
    ),
    "honoured": gettext_lazy("Commitments honoured, share of tested alliances (allied and attacked)"),
    "war": gettext_lazy("War, share of rounds"),
}


# The replay's step counter, filled in by its script (a template's own "%" would not be translated).
STEP_OF = gettext_lazy("Step %(step)s of %(total)s")

LECTURE = {
    "defence_pact": {
        "name": gettext_lazy("Defence pacts and attacks on the protected state"),
        "measure": gettext_lazy("challenge rate with the alliance, relative to without it"),
    },
    "reliability": {
        "name": gettext_lazy("Alliance reliability"),
        "measure": gettext_lazy("share of tested alliances honoured"),
    },
    "offensive": {
        "name": gettext_lazy("Offensive alliances of the challenger"),
        "measure": gettext_lazy("challenge probability with the offensive ally, relative to a defence pact"),
    },
    "neutrality": {
        "name": gettext_lazy("Neutrality pacts with the challenger"),
        "measure": gettext_lazy(
            "challenge probability under the neutrality pact, relative to a defence pact"
        ),
    },
}


# The instructor's figures shown as a sentence, with no class measure beside them.
LECTURE_NOTES = {
    "defence_share": gettext_lazy("Share of all alliances that are defence pacts"),
}


def equilibrium(code: str | None) -> str:
    """An equilibrium by what it means ("semi-separating: the non-resolute US sometimes bluffs"); an
    unknown code as it is."""
    return str(EQUILIBRIA.get(code or "", code or ""))


def reputation_event(code: str, alliance_type: str | None = None) -> str:
    """A reputation event in words; under an entente a US that stayed out broke no promise to fight."""
    if code == "commitment_broken" and alliance_type == "entente":
        code = "entente_stayed_out"
    return str(REPUTATION_EVENTS[code])


def infoset(entry: dict[str, Any]) -> str:
    """A decision's information set in words: the node, what came before, and the mover's private type."""
    text = labels.node_phrase(entry.get("node"))
    parts = []
    if entry.get("alliance") == 1:
        parts.append(_("after an alliance"))
    elif entry.get("alliance") == 0:
        parts.append(_("without an alliance"))
    for code in (entry.get("theta"), entry.get("ctype")):
        if code:
            parts.append(str(labels.TYPES[code].holder))
    if entry.get("armed") is not None and entry.get("node") != "arming":
        parts.append(_("Japan armed") if entry["armed"] else _("Japan unarmed"))
    if len(entry.get("cbm") or "") >= 2:
        parts.append(infoset_cbm(entry["cbm"]))
    if not parts:
        return text
    # Translatable, so that Japanese gets its own brackets and list separator.
    return _("%(node)s (%(context)s)") % {"node": text, "context": _(", ").join(parts)}


def infoset_cbm(cbm: str) -> str:
    """Module D's CBM choices from a key part: "e1" (Japan's only so far) or "e10" (Japan's, Challenger's)."""
    built = [
        who
        for who, flag in ((_("Japan's CBMs"), cbm[1:2]), (_("Challenger's CBMs"), cbm[2:3]))
        if flag == "1"
    ]
    return " + ".join(built) if built else _("no CBMs")


def flag(entry: dict[str, Any]) -> dict[str, str]:
    """A flag of the classifier with its name and a plain-language explanation."""
    name = entry["name"]
    words = labels.FLAGS.get(name)
    if words is None:
        return {"name": name, "title": name, "explanation": ""}
    title, explanation = str(words.title), str(words.explanation)
    amounts = {key: numbers.as_points(entry[key]) for key in ("K", "K1", "kappa1", "kappaC") if key in entry}
    if name == "OFF_BENCHMARK":
        player = labels.role_name(entry.get("player"))
        title = f"{title}: {player}"
        explanation %= {"role": player, "node": labels.node_phrase(entry.get("node"))}
    elif amounts:
        explanation %= amounts
    return {"name": name, "title": title, "explanation": explanation}


def predicted(probs: dict[str, float]) -> str:
    """The benchmark's behaviour in words: "Attack" or "Challenge 58 %, Keep the status quo 42 %"."""
    support = [(a, p) for a, p in sorted(probs.items(), key=lambda kv: -kv[1]) if p > 0]
    if len(support) == 1:
        return labels.action_label(support[0][0])
    return _(", ").join(f"{labels.action_label(a)} {numbers.percent(p)}" for a, p in support)


def sentence(decision: dict[str, Any]) -> str:
    """The student's own debrief line for one decision."""
    share = decision.get("class_share")
    values = {
        "node": infoset({"node": decision["node"], **infoset_context(decision["infoset"])}),
        "predicted": predicted(decision["probs"]),
        "chose": labels.action_label(decision["action"]),
        "share": numbers.percent_figure(share),
    }
    if sum(p > 0 for p in decision["probs"].values()) > 1:  # a mixing player is indifferent between them
        values["predicted"] = _("indifference, so a mix: %(mix)s") % {"mix": values["predicted"]}
    if decision.get("kind") != "move":
        return _("At %(node)s, theory predicted %(predicted)s; the server chose %(chose)s for you.") % values
    return (
        _(
            "At %(node)s, theory predicted %(predicted)s; you chose %(chose)s; %(share)s %% of the class "
            "chose %(chose)s at the same decision."
        )
        % values
    )


def infoset_context(key: str) -> dict[str, Any]:
    """The information set's context from its key (`challenge/a1`, `intervention/a0/N`, `attack/a1/H`)."""
    out: dict[str, Any] = {}
    for part in key.split("/")[1:]:
        if part in ("a0", "a1"):
            out["alliance"] = int(part[1])
        elif part in labels.TYPES:
            out["theta" if labels.TYPES[part].role == "us" else "ctype"] = part
        elif part in ("armed", "unarmed"):
            out["armed"] = part == "armed"
        elif part.startswith("e"):
            out["cbm"] = part
    return out
