"""Names shown for the game's roles and outcomes, in the visitor's language: one table each for every page
and script that shows them (the student's board, the instructor's dashboard, what theory predicts).

Longer, context-specific wording (a debrief's sentences, a board's explanations) stays where it is used.
"""

from __future__ import annotations

from django.utils.translation import gettext as _


def role_names() -> dict[str, str]:
    return {"japan": _("Japan"), "us": _("United States"), "challenger": _("Challenger")}


def outcome_labels() -> dict[str, str]:
    """The primary labels of crisis-model.md §5 (and §9.9), short form."""
    return {
        "GENERAL_DETERRENCE_HELD": _("General deterrence held"),
        "IMMEDIATE_DETERRENCE_HELD": _("Immediate deterrence held"),
        "DETERRENCE_FAILED_JAPAN_CONCEDED": _("Deterrence failed: Japan conceded"),
        "DETERRENCE_FAILED_WAR_US_INTERVENED": _("Deterrence failed: war, the United States intervened"),
        "ABANDONMENT": _("Abandonment: the United States stayed out of the war"),
        "DETERRENCE_FAILED_WAR_JAPAN_ALONE": _("Deterrence failed: Japan fought alone"),
        "PREVENTIVE_DIPLOMACY_SUCCEEDED": _("Preventive diplomacy succeeded"),
    }


def qualifier_labels() -> dict[str, str]:
    """The labels' qualifiers (§5): with or without the alliance, honoured or ad hoc, backed or not."""
    return {
        "with_alliance": _("with alliance"),
        "without_alliance": _("without alliance"),
        "alliance_honored": _("alliance honoured"),
        "ad_hoc_coalition": _("ad hoc coalition"),
        "alliance_backed": _("backed by the alliance"),
        "unbacked": _("without an alliance behind it"),
    }
