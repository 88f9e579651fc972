"""The printable handouts page (staff only):
`/instructor/scenarios/<slug>/handouts/?lang=en|ja&paper=a4|letter`, with `key=0` for the students' copy
without the answer key. One self-contained HTML page (inline CSS and SVG, no script), built by
`games.instructor.handouts`."""

from __future__ import annotations

from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404
from django.template.loader import render_to_string
from django.utils import translation

from games.crisis.params import InvalidParams
from games.instructor import handouts
from games.instructor.access import staff_only
from games.models import Scenario

TEMPLATE = "instructor/handouts/handouts.html"
PROBLEM = "instructor/handouts/problem.html"


@staff_only
def scenario_handouts(request: HttpRequest, slug: str) -> HttpResponse:
    scenario = get_object_or_404(Scenario, slug=slug)
    try:
        options = handouts.read_options(request.GET, translation.get_language() or "en")
    except handouts.OptionError as exc:
        return problem(request, scenario, "bad_option", status=400, option=exc)
    with translation.override(options.lang):
        try:
            context = handouts.build(scenario, key=options.key)
        except InvalidParams:
            return problem(request, scenario, "invalid_params", status=409)
        context.update(options=options, links=toolbar_links(request, options))
        html = render_to_string(TEMPLATE, context, request=request)
    return HttpResponse(html)


def toolbar_links(request: HttpRequest, options: handouts.Options) -> dict[str, str]:
    """The same page with one option changed."""

    def url(**change: str) -> str:
        query = {"lang": options.lang, "paper": options.paper, "key": "1" if options.key else "0", **change}
        return request.path + "?" + "&".join(f"{name}={value}" for name, value in query.items())

    return {
        "en": url(lang="en"),
        "ja": url(lang="ja"),
        "a4": url(paper="a4"),
        "letter": url(paper="letter"),
        "with_key": url(key="1"),
        "without_key": url(key="0"),
    }


def problem(
    request: HttpRequest,
    scenario: Scenario,
    code: str,
    *,
    status: int,
    option: handouts.OptionError | None = None,
) -> HttpResponse:
    context = {
        "scenario": scenario,
        "code": code,
        "option": option,
        "allowed": ", ".join(option.allowed) if option else "",
        "default_url": request.path,
    }
    return HttpResponse(render_to_string(PROBLEM, context, request=request), status=status)
