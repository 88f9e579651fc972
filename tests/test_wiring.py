"""The names outside processes and pages depend on survive any move of the code: Celery's task names (wire
names in Redis and in the beat schedule), every named URL and both websocket routes."""

from __future__ import annotations

import pytest
from channels.routing import URLRouter
from django.urls import reverse

from games.routing import websocket_urlpatterns
from wargame.celery import app

TASK_NAMES = ("games.tasks.resolve_move", "games.tasks.sweep_deadlines", "games.tasks.apply_due")


def test_the_celery_tasks_keep_their_wire_names():
    app.loader.import_default_modules()
    assert set(TASK_NAMES) <= set(app.tasks)


@pytest.mark.parametrize(
    ("name", "args", "path"),
    [
        ("home", [], "/"),
        ("join", [], "/join"),
        ("api_join", [], "/api/join"),
        ("play", [], "/play/"),
        ("healthz", [], "/healthz"),
        ("instructor:index", [], "/instructor/"),
        ("instructor:predict", [], "/instructor/predict/"),
        ("instructor:new_class", [], "/instructor/classes/new/"),
        ("instructor:dashboard", ["ABC123"], "/instructor/classes/ABC123/"),
        ("instructor:snapshot", ["ABC123"], "/instructor/classes/ABC123/snapshot.json"),
        ("instructor:projector", ["ABC123"], "/instructor/classes/ABC123/projector/"),
        ("instructor:projector_snapshot", ["ABC123"], "/instructor/classes/ABC123/projector.json"),
        ("instructor:advance", ["ABC123", 7], "/instructor/classes/ABC123/rounds/7/advance/"),
        ("instructor:start", ["ABC123"], "/instructor/classes/ABC123/start/"),
        ("instructor:pause", ["ABC123"], "/instructor/classes/ABC123/pause/"),
        ("instructor:resume", ["ABC123"], "/instructor/classes/ABC123/resume/"),
        ("instructor:end", ["ABC123"], "/instructor/classes/ABC123/end/"),
        ("instructor:release", ["ABC123"], "/instructor/classes/ABC123/release/"),
        ("debrief:class", ["ABC123"], "/instructor/classes/ABC123/debrief/"),
        ("debrief:round", ["ABC123", 7], "/instructor/classes/ABC123/rounds/7/"),
        ("debrief:replay", ["ABC123", 7], "/instructor/classes/ABC123/rounds/7/replay/"),
        ("debrief:export_csv", ["ABC123"], "/instructor/classes/ABC123/export.csv"),
        ("debrief:rounds_csv", ["ABC123"], "/instructor/classes/ABC123/rounds.csv"),
        ("debrief:export_json", ["ABC123"], "/instructor/classes/ABC123/export.json"),
        ("debrief:student", [], "/play/debrief/"),
    ],
)
def test_every_named_url_resolves_where_it_always_did(name, args, path):
    assert reverse(name, args=args) == path


@pytest.mark.parametrize("path", ["ws/play/", "ws/instructor/ABC123/"])
def test_both_websocket_routes_resolve(path):
    router = URLRouter(websocket_urlpatterns)
    assert any(route.pattern.match(path) for route in router.routes)


def test_the_debrief_reads_the_event_kinds_the_model_writes():
    """The pure log (games.debrief.class_log) cannot import the models; it must name the same kinds."""
    from games.debrief.class_log import ENGINE_KINDS, STUDENT_KIND
    from games.models import Event

    assert ENGINE_KINDS == Event.ENGINE_KINDS and STUDENT_KIND == Event.Kind.MOVE
