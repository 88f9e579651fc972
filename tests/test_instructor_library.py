"""The instructor's index lists the scenario library, teaching scenarios and historical cases apart, each
with its handouts (with and without the answer key) and a way to open a class from it."""

from __future__ import annotations

import re
from typing import Any

import pytest

from games.models import Scenario

pytestmark = pytest.mark.django_db


def test_every_scenario_is_listed_with_links_that_work(staff: Any) -> None:
    page = staff.get("/instructor/").content.decode()
    listed = re.findall(r'<tr data-scenario="([^"]+)">', page)
    assert sorted(listed) == sorted(Scenario.objects.values_list("slug", flat=True))
    baseline = page[page.index('<tr data-scenario="baseline">') :]
    baseline = baseline[: baseline.index("</tr>")]
    links = dict(re.findall(r'href="([^"]+)"[^>]*data-(?:link|control)="([^"]+)"', baseline))
    by_hook = {hook: url.replace("&amp;", "&") for url, hook in links.items()}
    assert staff.get(by_hook["handouts"]).status_code == 200
    students = staff.get(by_hook["handouts-students"]).content.decode()
    assert 'data-sheet="key"' not in students and 'data-role="japan"' in students
    assert staff.get(by_hook["new-from-scenario"]).status_code == 200


def test_historical_cases_have_their_own_table(staff: Any) -> None:
    Scenario.objects.filter(slug="baseline").update(kind=Scenario.Kind.HISTORICAL)
    page = staff.get("/instructor/").content.decode()
    historical = page[page.index('data-library="historical"') :]
    historical = historical[: historical.index("</table>")]
    assert 'data-scenario="baseline"' in historical
    teaching = page[page.index('data-library="teaching"') :]
    assert 'data-scenario="baseline"' not in teaching[: teaching.index("</table>")]
