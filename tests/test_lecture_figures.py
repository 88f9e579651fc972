"""The lecture's figures are the instructor's: edited in the admin with their citation, they are what the
class debrief and the student's debrief show beside the class (issue 18)."""

from __future__ import annotations

from typing import Any

import pytest
from django.test import Client

from games.models import ClassSession, LectureFigure
from games.play import services
from tests.live import make_class, play_first_actions

pytestmark = pytest.mark.django_db

CITATION = "Leeds, B. A. (2003), 'Do Alliances Deter Aggression?', AJPS 47(3): 427-439, table 2"


@pytest.fixture
def finished(baseline_scenario: Any) -> ClassSession:
    class_session, people = make_class(baseline_scenario, students=3, rounds=1, seed=4)
    services.start_class(class_session.code)
    play_first_actions(class_session, people)
    class_session.refresh_from_db()
    return class_session


def test_the_migration_seeds_the_slides_figures_unchecked() -> None:
    figures = {f.key: f for f in LectureFigure.objects.all()}
    assert {"defence_pact", "defence_share", "reliability", "offensive", "neutrality"} <= set(figures)
    assert figures["defence_pact"].value == pytest.approx(-0.28)
    assert figures["defence_share"].value == pytest.approx(0.48)
    assert not any(f.verified for f in figures.values())


def test_a_figure_edited_in_the_admin_is_what_the_debriefs_show(admin_client: Client, finished: Any) -> None:
    figure = LectureFigure.objects.get(key="defence_pact")
    url = f"/admin/games/lecturefigure/{figure.pk}/change/"
    assert admin_client.get(url).status_code == 200
    response = admin_client.post(
        url, {"key": "defence_pact", "value": "-0.3", "citation": CITATION, "verified": "on"}
    )
    assert response.status_code == 302, response.content.decode()[:2000]

    page = admin_client.get(f"/instructor/classes/{finished.code}/debrief/").content.decode()
    row = page[page.index('data-lecture="defence_pact"') :]
    row = row[: row.index("</tr>")]
    assert 'data-lecture-value="-0.3"' in row and "AJPS 47(3)" in row
    assert 'class="unverified"' not in row  # checked against its source: no asterisk
    reliability = page[page.index('data-lecture="reliability"') :]
    assert 'class="unverified"' in reliability[: reliability.index("</tr>")]  # still the slides' figure
    assert 'data-lecture-note="defence_share"' in page


def test_a_bad_value_is_refused_with_a_message_and_nothing_changes(admin_client: Client) -> None:
    figure = LectureFigure.objects.get(key="reliability")
    url = f"/admin/games/lecturefigure/{figure.pk}/change/"
    response = admin_client.post(url, {"key": "reliability", "value": "eighty", "citation": CITATION})
    assert response.status_code == 200 and response.context["adminform"].form.errors["value"]
    figure.refresh_from_db()
    assert figure.value == pytest.approx(0.80) and "Leeds, Long & Mitchell" in figure.citation
