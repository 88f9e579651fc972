"""Words for the debrief pages: every code the debrief's analysis returns (outcomes, flags, nodes,
actions, equilibria, lecture figures) in plain language, through Django's i18n (Japanese in
locale/ja/LC_MESSAGES/django.po, with the course's terms: 一般抑止, 緊急抑止, 見捨てられ, 巻き込まれ,
トリップワイヤー).

The analysis (round_analysis, round_report, class_analysis) returns codes only; the views and the SVG
charts look them up here.
"""

from __future__ import annotations

from typing import Any

from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

ROLES = {
    "japan": gettext_lazy("Japan"),
    "us": gettext_lazy("United States"),
    "challenger": gettext_lazy("Challenger"),
}

ACTIONS = {
    "alliance": gettext_lazy("Form the alliance"),
    "no_alliance": gettext_lazy("No alliance"),
    "status_quo": gettext_lazy("Keep the status quo"),
    "challenge": gettext_lazy("Challenge"),
    "concede": gettext_lazy("Concede"),
    "resist": gettext_lazy("Resist"),
    "withdraw": gettext_lazy("Withdraw"),
    "attack": gettext_lazy("Attack"),
    "intervene": gettext_lazy("Intervene"),
    "stay_out": gettext_lazy("Stay out"),
    "arm": gettext_lazy("Arm"),
    "no_arm": gettext_lazy("Do not arm"),
    "cbm": gettext_lazy("Confidence-building measures"),
    "no_cbm": gettext_lazy("No confidence-building measures"),
}

# Nature's moves after Japan resists (tree edges): Module C's type is in CHALLENGER_TYPES.
ARF_DRAWS = {
    "defused": gettext_lazy("defused by the ARF"),
    "failed": gettext_lazy("the ARF failed"),
}

NODES = {
    "arming": gettext_lazy("Japan's arming decision"),
    "cbm_japan": gettext_lazy("Japan's decision on confidence-building measures"),
    "cbm_challenger": gettext_lazy("the Challenger's decision on confidence-building measures"),
    "alliance": gettext_lazy("the US alliance decision"),
    "challenge": gettext_lazy("the Challenger's decision to challenge"),
    "response": gettext_lazy("Japan's response to the challenge"),
    "attack": gettext_lazy("the Challenger's decision to attack"),
    "intervention": gettext_lazy("the US decision to intervene"),
    "end": gettext_lazy("the end of the crisis"),
}

US_TYPES = {"R": gettext_lazy("resolute"), "N": gettext_lazy("not resolute")}
CHALLENGER_TYPES = {"L": gettext_lazy("determined"), "H": gettext_lazy("hesitant")}

TERMINALS = {
    "SQ": gettext_lazy("Status quo"),
    "CON": gettext_lazy("Japan concedes"),
    "WD": gettext_lazy("The Challenger withdraws"),
    "WAR_I": gettext_lazy("War, the US intervenes"),
    "WAR_S": gettext_lazy("War, the US stays out"),
    "DEF": gettext_lazy("Defused by preventive diplomacy"),
}

OUTCOMES = {
    "GENERAL_DETERRENCE_HELD/with_alliance": gettext_lazy("General deterrence held, with the alliance"),
    "GENERAL_DETERRENCE_HELD/without_alliance": gettext_lazy("General deterrence held, without an alliance"),
    "IMMEDIATE_DETERRENCE_HELD": gettext_lazy("Immediate deterrence held: the Challenger withdrew"),
    "DETERRENCE_FAILED_JAPAN_CONCEDED": gettext_lazy("Deterrence failed: Japan conceded"),
    "DETERRENCE_FAILED_WAR_US_INTERVENED/alliance_honored": gettext_lazy(
        "War: the allied United States intervened (alliance honoured)"
    ),
    "DETERRENCE_FAILED_WAR_US_INTERVENED/ad_hoc_coalition": gettext_lazy(
        "War: the United States intervened without a treaty (ad hoc coalition)"
    ),
    "ABANDONMENT": gettext_lazy("Abandonment: the allied United States stayed out of the war"),
    "DETERRENCE_FAILED_WAR_JAPAN_ALONE": gettext_lazy("Deterrence failed: Japan fought alone"),
    "PREVENTIVE_DIPLOMACY_SUCCEEDED/alliance_backed": gettext_lazy(
        "Preventive diplomacy succeeded, backed by the alliance"
    ),
    "PREVENTIVE_DIPLOMACY_SUCCEEDED/unbacked": gettext_lazy(
        "Preventive diplomacy succeeded, without an alliance"
    ),
}

OUTCOME_EXPLANATIONS = {
    "GENERAL_DETERRENCE_HELD/with_alliance": gettext_lazy(
        "The Challenger kept the status quo, so no crisis arose. The alliance was in place."
    ),
    "GENERAL_DETERRENCE_HELD/without_alliance": gettext_lazy(
        "The Challenger kept the status quo, so no crisis arose, although no alliance had been formed."
    ),
    "IMMEDIATE_DETERRENCE_HELD": gettext_lazy(
        "A crisis arose and Japan resisted, but the Challenger backed down without using force."
    ),
    "DETERRENCE_FAILED_JAPAN_CONCEDED": gettext_lazy(
        "The Challenger challenged and Japan ceded the disputed good without a fight."
    ),
    "DETERRENCE_FAILED_WAR_US_INTERVENED/alliance_honored": gettext_lazy(
        "Deterrence failed and war broke out. The allied United States fought beside Japan: the commitment "
        "was honoured."
    ),
    "DETERRENCE_FAILED_WAR_US_INTERVENED/ad_hoc_coalition": gettext_lazy(
        "Deterrence failed and war broke out. The United States fought beside Japan without any treaty: "
        "an alliance is not needed for intervention (the lecture's first puzzle)."
    ),
    "ABANDONMENT": gettext_lazy(
        "Deterrence failed and war broke out. The United States had formed the alliance but stayed out: "
        "the commitment was broken and Japan was abandoned."
    ),
    "DETERRENCE_FAILED_WAR_JAPAN_ALONE": gettext_lazy(
        "Deterrence failed and war broke out. No commitment existed and the United States stayed out, so "
        "Japan fought alone."
    ),
    "PREVENTIVE_DIPLOMACY_SUCCEEDED/alliance_backed": gettext_lazy(
        "The Challenger challenged and Japan resisted, and the ASEAN Regional Forum defused the stand-off "
        "before anyone used force. The alliance backed the cooperative-security layer."
    ),
    "PREVENTIVE_DIPLOMACY_SUCCEEDED/unbacked": gettext_lazy(
        "The Challenger challenged and Japan resisted, and the ASEAN Regional Forum defused the stand-off "
        "before anyone used force, although no alliance backed it."
    ),
}

FLAGS = {
    "ENTRAPMENT": gettext_lazy("Entrapment"),
    "BLUFF_CALLED": gettext_lazy("Bluff called"),
    "BLUFF_UNTESTED": gettext_lazy("Bluff untested"),
    "COSTLY_SIGNAL_PAID": gettext_lazy("Costly signal paid"),
    "UNNECESSARY_ALLIANCE": gettext_lazy("Unnecessary alliance"),
    "EMBOLDENED_RESISTANCE": gettext_lazy("Emboldened resistance"),
    "TRIPWIRE_TRIGGERED": gettext_lazy("Tripwire triggered"),
    "OFF_BENCHMARK": gettext_lazy("Off the benchmark"),
    "MULTIPLE_EQUILIBRIA": gettext_lazy("Multiple equilibria"),
    "CBM_JAPAN": gettext_lazy("Japan's confidence-building measures"),
    "CBM_CHALLENGER": gettext_lazy("The Challenger's confidence-building measures"),
    "ARF_FAILED": gettext_lazy("Preventive diplomacy failed"),
    "INSURANCE_PAID_OUT": gettext_lazy("The insurance paid out"),
    "UNINSURED_FAILURE": gettext_lazy("Uninsured failure"),
    "ARF_DETERRENCE": gettext_lazy("Deterrence by the ARF"),
    "ARF_EMBOLDENED": gettext_lazy("Emboldened by the ARF"),
    "ALLIANCE_ENABLES_ARF": gettext_lazy("The alliance enabled the ARF"),
    "ARF_REPLACES_ALLIANCE": gettext_lazy("The ARF replaces the alliance"),
    "WEDGE": gettext_lazy("Wedge"),
}

FLAG_EXPLANATIONS = {
    "ENTRAPMENT": gettext_lazy(
        "The allied United States went to war although fighting was not worth it on its own terms "
        "(g < 0): the treaty drew it into Japan's war."
    ),
    "BLUFF_CALLED": gettext_lazy(
        "A United States that was not resolute had formed the alliance, and the Challenger attacked."
    ),
    "BLUFF_UNTESTED": gettext_lazy(
        "A United States that was not resolute had formed the alliance, and the Challenger never attacked."
    ),
    "COSTLY_SIGNAL_PAID": gettext_lazy(
        "The alliance cost the United States %(K)s points and Japan %(K1)s points in peacetime, whatever "
        "happened next: that cost is what makes the alliance a signal."
    ),
    "UNNECESSARY_ALLIANCE": gettext_lazy(
        "The public reputation alone would have deterred the Challenger: the alliance was not needed."
    ),
    "EMBOLDENED_RESISTANCE": gettext_lazy(
        "Japan resisted with the alliance behind it, although it would not fight alone (p − c1 < 0)."
    ),
    "TRIPWIRE_TRIGGERED": gettext_lazy(
        "The Challenger attacked Japan while US tripwire forces were stationed there."
    ),
    "OFF_BENCHMARK": gettext_lazy(
        "%(role)s chose an action at %(node)s that had probability 0 in the benchmark equilibrium (or, off "
        "the benchmark's path, was strictly worse)."
    ),
    "MULTIPLE_EQUILIBRIA": gettext_lazy(
        "More than one equilibrium survives the Intuitive Criterion. The benchmark is the one the selection "
        "rule picks (best for the resolute United States); all are shown."
    ),
    "CBM_JAPAN": gettext_lazy("Japan paid %(kappa1)s points for confidence-building measures."),
    "CBM_CHALLENGER": gettext_lazy("The Challenger paid %(kappaC)s points for confidence-building measures."),
    "ARF_FAILED": gettext_lazy(
        "The ARF could not defuse the stand-off: the insurance layer, the alliance, was tested."
    ),
    "INSURANCE_PAID_OUT": gettext_lazy(
        "The ARF failed, the Challenger attacked, and the allied United States fought: the alliance coped "
        "with the conflict preventive diplomacy could not prevent."
    ),
    "UNINSURED_FAILURE": gettext_lazy(
        "The ARF failed, the Challenger attacked, and Japan fought without the United States."
    ),
    "ARF_DETERRENCE": gettext_lazy(
        "The Challenger kept the status quo although, without the ARF, the same US credibility would not "
        "have deterred it."
    ),
    "ARF_EMBOLDENED": gettext_lazy("Japan resisted although, without the ARF, it would have conceded."),
    "ALLIANCE_ENABLES_ARF": gettext_lazy(
        "The alliance switched the ARF to full strength: without the treaty preventive diplomacy would not "
        "have worked as well."
    ),
    "ARF_REPLACES_ALLIANCE": gettext_lazy(
        "In this scenario the ARF makes the alliance less likely than without confidence-building measures."
    ),
    "WEDGE": gettext_lazy(
        "The Challenger's confidence-building measures made a non-resolute United States ally less often."
    ),
}

EQUILIBRIA = {
    "E1": gettext_lazy("separating: only the resolute US allies"),
    "E2": gettext_lazy("pooling: both US types ally"),
    "E3": gettext_lazy("no alliance"),
    "E4": gettext_lazy("reverse separating: only the non-resolute US allies"),
    "E5": gettext_lazy("semi-separating: the non-resolute US sometimes bluffs"),
}

REPUTATION_EVENTS = {
    "alliance_formed": gettext_lazy("alliance formed"),
    "no_alliance": gettext_lazy("no alliance"),
    "commitment_honoured": gettext_lazy("commitment honoured"),
    "commitment_broken": gettext_lazy("commitment broken"),
    "ad_hoc_intervention": gettext_lazy("intervened without a treaty"),
    "stayed_out": gettext_lazy("stayed out"),
}

ALLIANCE_TYPES = {
    "defence_pact": gettext_lazy("defence pact"),
    "entente": gettext_lazy("entente"),
    "offensive": gettext_lazy("offensive alliance"),
    "neutrality": gettext_lazy("neutrality pact"),
    "non_aggression": gettext_lazy("non-aggression pact"),
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
        "Immediate deterrence held (the Challenger withdrew), share of crises in which Japan resisted"
    ),
    "honoured": gettext_lazy("Commitments honoured, share of tested alliances (allied and attacked)"),
    "war": gettext_lazy("War, share of rounds"),
}

LECTURE = {
    "defence_pact": {
        "name": gettext_lazy("Defence pacts and attacks on the protected state"),
        "figure": gettext_lazy("about 28 % fewer attacks (Leeds 2003)"),
        "measure": gettext_lazy("challenge rate with the alliance, relative to without it"),
    },
    "reliability": {
        "name": gettext_lazy("Alliance reliability"),
        "figure": gettext_lazy(
            "about 20 % of commitments broken; 74.5 % reliable (Leeds, Long & Mitchell 2000)"
        ),
        "measure": gettext_lazy("share of tested alliances honoured"),
    },
    "offensive": {
        "name": gettext_lazy("Offensive alliances of the challenger"),
        "figure": gettext_lazy("about 47 % more attacks (Leeds 2003)"),
        "measure": gettext_lazy("challenge probability with the offensive ally, relative to a defence pact"),
    },
    "neutrality": {
        "name": gettext_lazy("Neutrality pacts with the challenger"),
        "figure": gettext_lazy("about 57 % more attacks (Leeds 2003)"),
        "measure": gettext_lazy(
            "challenge probability under the neutrality pact, relative to a defence pact"
        ),
    },
}


def role(code: str | None) -> str:
    return str(ROLES.get(code or "", code or ""))


def action(code: str | None) -> str:
    return str(ACTIONS.get(code or "", code or ""))


def node(code: str | None) -> str:
    return str(NODES.get(code or "", code or ""))


def outcome(key: str | None) -> str:
    return str(OUTCOMES.get(key or "", key or ""))


def infoset(entry: dict[str, Any]) -> str:
    """A decision's information set in words: the node, what came before, and the mover's private type."""
    text = node(entry.get("node"))
    parts = []
    if entry.get("alliance") == 1:
        parts.append(_("after an alliance"))
    elif entry.get("alliance") == 0:
        parts.append(_("without an alliance"))
    if entry.get("theta"):
        parts.append(_("resolute US") if entry["theta"] == "R" else _("non-resolute US"))
    if entry.get("ctype"):
        parts.append(_("determined Challenger") if entry["ctype"] == "L" else _("hesitant Challenger"))
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
    explanation = FLAG_EXPLANATIONS.get(name, "")
    if name == "COSTLY_SIGNAL_PAID":
        explanation = str(explanation) % {"K": _points(entry.get("K")), "K1": _points(entry.get("K1"))}
    elif name == "CBM_JAPAN":
        explanation = str(explanation) % {"kappa1": _points(entry.get("kappa1"))}
    elif name == "CBM_CHALLENGER":
        explanation = str(explanation) % {"kappaC": _points(entry.get("kappaC"))}
    elif name == "OFF_BENCHMARK":
        explanation = str(explanation) % {"role": role(entry.get("player")), "node": node(entry.get("node"))}
    title = str(FLAGS.get(name, name))
    if name == "OFF_BENCHMARK":
        title = f"{title}: {role(entry.get('player'))}"
    return {"name": name, "title": title, "explanation": str(explanation)}


def _points(value: Any) -> str:
    return "" if value is None else f"{float(value) * 100:g}"


def predicted(probs: dict[str, float]) -> str:
    """The benchmark's behaviour in words: "Attack" or "Challenge 58 %, Keep the status quo 42 %"."""
    support = [(a, p) for a, p in sorted(probs.items(), key=lambda kv: -kv[1]) if p > 0]
    if len(support) == 1:
        return action(support[0][0])
    return ", ".join(f"{action(a)} {p * 100:.0f} %" for a, p in support)


def sentence(decision: dict[str, Any]) -> str:
    """The student's own debrief line for one decision."""
    share = decision.get("class_share")
    values = {
        "node": infoset({"node": decision["node"], **infoset_context(decision["infoset"])}),
        "predicted": predicted(decision["probs"]),
        "chose": action(decision["action"]),
        "share": "–" if share is None else f"{share * 100:.0f}",
    }
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
        elif part in ("R", "N"):
            out["theta"] = part
        elif part in ("L", "H"):
            out["ctype"] = part
        elif part in ("armed", "unarmed"):
            out["armed"] = part == "armed"
        elif part.startswith("e"):
            out["cbm"] = part
    return out
