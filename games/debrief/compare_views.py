"""Sections side by side (staff only): `/instructor/compare/?classes=CODE1,CODE2` compares finished classes
figure by figure (`games.debrief.compare`), and `compare.csv` / `compare.json` download the same figures.

The codes come from the instructor index's ticked boxes (`?classes=A&classes=B`, redirected to the short
form) or a typed link. Fewer than two, a duplicate, an unknown or unfinished class, or more than
`MAX_CLASSES` is said on the page in the visitor's language (400), never an error page. Each class's column
is cached per state of its log, as the class debrief is.
"""

from __future__ import annotations

import json
from typing import Any
from urllib.parse import urlencode

from django.contrib.admin.views.decorators import staff_member_required
from django.core.cache import cache
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.dateparse import parse_datetime
from django.utils.translation import get_language, gettext_lazy
from django.utils.translation import gettext as _
from django.views.decorators.http import require_safe

from games.debrief import class_analysis, compare, text
from games.debrief.cache import CACHE_SECONDS, report_key
from games.debrief.load import load_class
from games.models import ClassSession
from games.vocabulary import join_code, labels

MAX_CLASSES = 8
MAX_CODE_SHOWN = 16  # an error quotes at most this much of what was typed
COLUMN_VERSION = 1  # bump when a column's shape changes

RATES = {
    "general_deterrence": text.RATES["general_deterrence"],
    "immediate_deterrence": text.RATES["immediate_deterrence"],
    "failed": gettext_lazy("Deterrence failed (Japan conceded, or war), share of rounds"),
    "honoured": text.RATES["honoured"],
}


# --------------------------------------------------------------------------------------------------
# Which classes
# --------------------------------------------------------------------------------------------------


def requested_codes(request: HttpRequest) -> list[str]:
    """The codes asked for, in order: `?classes=A,B` or `?classes=A&classes=B` (as typed, normalised)."""
    codes = []
    for value in request.GET.getlist("classes"):
        codes += [join_code.normalise(part) for part in value.split(",")]
    return [code for code in codes if code]


def resolve(codes: list[str]) -> tuple[list[ClassSession], list[str]]:
    """The classes to compare, in the order asked, or the reasons they cannot be (sentences)."""
    errors: list[str] = []
    if len(codes) > MAX_CLASSES:
        errors.append(_("Compare at most %(max)s classes at a time.") % {"max": MAX_CLASSES})
        return [], errors
    seen: set[str] = set()
    for code in codes:
        if code in seen:
            errors.append(_("Class %(code)s is listed twice.") % {"code": code[:MAX_CODE_SHOWN]})
        seen.add(code)
    valid = [code for code in dict.fromkeys(codes) if join_code.is_valid(code)]
    found = {c.code: c for c in ClassSession.objects.select_related("scenario").filter(code__in=valid)}
    classes = []
    for code in dict.fromkeys(codes):
        class_session = found.get(code)
        if class_session is None:
            errors.append(_("There is no class %(code)s.") % {"code": code[:MAX_CODE_SHOWN]})
        elif class_session.status != ClassSession.Status.FINISHED:
            errors.append(
                _("Class %(code)s has not finished yet: only finished classes can be compared.")
                % {"code": code}
            )
        else:
            classes.append(class_session)
    if len(dict.fromkeys(codes)) < 2:
        errors.insert(0, _("Choose at least two finished classes to compare."))
    return (classes if not errors else []), errors


def column(class_session: ClassSession) -> dict[str, Any]:
    """The class's column, from the cache while its log has not changed."""
    key = f"{report_key(class_session)}:compare:{COLUMN_VERSION}"
    data = cache.get(key)
    if data is None:
        data = compare.class_column(class_analysis.class_debrief(load_class(class_session)))
        cache.set(key, data, CACHE_SECONDS)
    return data


def comparison(classes: list[ClassSession]) -> dict[str, Any]:
    return compare.comparison([column(c) for c in classes])


# --------------------------------------------------------------------------------------------------
# Presentation (codes -> words)
# --------------------------------------------------------------------------------------------------


def scenario_name(scenario: dict[str, Any]) -> str:
    japanese = (get_language() or "en").startswith("ja")
    return str((scenario["name_ja"] if japanese else scenario["name_en"]) or scenario["slug"] or "")


def _when(c: dict[str, Any]) -> Any:
    value = c.get("finished") or c.get("started") or c.get("created")
    moment = parse_datetime(value) if value else None
    return timezone.localtime(moment) if moment is not None else None


def class_views(data: dict[str, Any]) -> list[dict[str, Any]]:
    out = []
    for c in data["classes"]:
        treaty = labels.alliance_type_name(c["alliance_type"])
        if c["tripwire"]:
            treaty += " + " + _("tripwire")
        out.append(
            {
                "code": c["code"],
                "scenarios": [scenario_name(s) for s in c["scenarios"]],
                "treaty": treaty,
                "modules": c["modules"],
                "when": _when(c),
                "rounds": c["rounds"],
                "debrief_url": reverse("debrief:class", args=[c["code"]]),
            }
        )
    return out


def _cell(cell: dict[str, Any] | None) -> dict[str, Any]:
    """A table cell: the class's share (`count` of `n`) and theory's; `n` 0 is shown as no figure."""
    if not cell:
        return {"n": 0, "count": 0, "share": None, "theory": None, "missing": True}
    share = cell.get("share", cell.get("rate"))
    return {
        "count": cell.get("count", 0),
        "n": cell.get("n", 0),
        "share": share,
        "theory": cell.get("theory"),
    }


def sections(data: dict[str, Any]) -> list[dict[str, Any]]:
    """The table's bodies: outcomes, rates, and one body per decision, each row one cell per class."""
    classes = data["classes"]
    outcomes = {
        "key": "outcomes",
        "title": _("Outcomes"),
        "note": _("Share of each class's finished rounds."),
        "rows": [
            {
                "key": key,
                "label": labels.outcome_name(key),
                "cells": [_cell(c["outcomes"].get(key)) for c in classes],
            }
            for key in data["outcome_keys"]
        ],
    }
    rates = {
        "key": "rates",
        "title": _("Deterrence and reliability"),
        "note": "",
        "rows": [
            {"key": key, "label": str(RATES[key]), "cells": [_cell(c["rates"][key]) for c in classes]}
            for key in data["rate_keys"]
        ],
    }
    out = [outcomes, rates]
    for node in data["nodes"]:
        out.append(
            {
                "key": f"node-{node['node']}",
                "node": node["node"],
                "title": labels.node_phrase(node["node"]),
                "note": "",
                "rows": [
                    {
                        "key": action,
                        "label": labels.action_label(action),
                        "cells": [
                            _cell(
                                c["nodes"][node["node"]]["actions"][action]
                                if node["node"] in c["nodes"]
                                else None
                            )
                            for c in classes
                        ],
                    }
                    for action in node["actions"]
                ],
            }
        )
    return out


def page_context(data: dict[str, Any], codes: list[str]) -> dict[str, Any]:
    query = urlencode({"classes": ",".join(codes)})
    slugs = {tuple(s["slug"] for s in c["scenarios"]) for c in data["classes"]}
    return {
        "classes": class_views(data),
        "sections": sections(data),
        "mixed_scenarios": len(slugs) > 1,
        "csv_url": f"{reverse('debrief:compare_csv')}?{query}&excel=1",
        "json_url": f"{reverse('debrief:compare_json')}?{query}",
    }


# --------------------------------------------------------------------------------------------------
# Views
# --------------------------------------------------------------------------------------------------


@staff_member_required
@require_safe
def compare_page(request: HttpRequest) -> HttpResponse:
    codes = requested_codes(request)
    if len(request.GET.getlist("classes")) > 1:  # the index's ticked boxes: one short, shareable link
        return redirect(f"{reverse('debrief:compare')}?{urlencode({'classes': ','.join(codes)})}")
    classes, errors = resolve(codes)
    if errors:
        context = {
            "errors": errors,
            "codes": codes[: MAX_CLASSES + 1],
            "index_url": reverse("instructor:index"),
        }
        return render(request, "debrief/compare.html", context, status=400)
    context = {
        **page_context(comparison(classes), [c.code for c in classes]),
        "index_url": reverse("instructor:index"),
    }
    return render(request, "debrief/compare.html", context)


def _refused(errors: list[str]) -> JsonResponse:
    return JsonResponse({"error": {"code": "invalid_classes", "messages": errors}}, status=400)


def _filename(classes: list[ClassSession], extension: str) -> str:
    return "crisis-compare-" + "-".join(c.code for c in classes) + "." + extension


@staff_member_required
@require_safe
def compare_csv(request: HttpRequest) -> HttpResponse:
    classes, errors = resolve(requested_codes(request))
    if errors:
        return _refused(errors)
    content = compare.comparison_csv(comparison(classes))
    if request.GET.get("excel"):  # a byte-order mark makes Excel read UTF-8 correctly
        content = "\ufeff" + content
    response = HttpResponse(content, content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="{_filename(classes, "csv")}"'
    response["Cache-Control"] = "no-store"
    return response


@staff_member_required
@require_safe
def compare_json(request: HttpRequest) -> HttpResponse:
    classes, errors = resolve(requested_codes(request))
    if errors:
        return _refused(errors)
    content = json.dumps(compare.comparison_json(comparison(classes)), ensure_ascii=False, indent=1)
    response = HttpResponse(content, content_type="application/json; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="{_filename(classes, "json")}"'
    response["Cache-Control"] = "no-store"
    return response
