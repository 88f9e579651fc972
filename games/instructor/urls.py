"""Instructor URLs under `/instructor/` (staff only; see games/instructor/views.py).

Each control has its own path (`classes/<code>/start/` ...) rather than one `classes/<code>/<action>/`
pattern, so that other instructor pages under a class (the debrief, the exports) are never shadowed.
"""

from __future__ import annotations

from django.urls import path

from games.instructor import handout_views, poll_views, views

app_name = "instructor"

urlpatterns = [
    path("", views.index, name="index"),
    path("predict/", views.predict, name="predict"),
    path("classes/new/", views.new_class, name="new_class"),
    path("classes/<str:code>/", views.dashboard, name="dashboard"),
    path("classes/<str:code>/snapshot.json", views.snapshot, name="snapshot"),
    path("classes/<str:code>/projector/", views.projector, name="projector"),
    path("classes/<str:code>/projector.json", views.projector_snapshot, name="projector_snapshot"),
    path("classes/<str:code>/rounds/<int:round_id>/advance/", views.advance, name="advance"),
    path("classes/<str:code>/polls/open/", poll_views.open_poll, name="poll_open"),
    path("classes/<str:code>/polls/close/", poll_views.close_poll, name="poll_close"),
    path("scenarios/<slug:slug>/handouts/", handout_views.scenario_handouts, name="scenario_handouts"),
    *(
        path(f"classes/<str:code>/{action}/", views.control, {"action": action}, name=action)
        for action in views.CONTROLS
    ),
]
