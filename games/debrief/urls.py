"""Debrief URLs: the staff pages and exports under `/instructor/classes/<code>/`, and the student's
`/play/debrief/`. The instructor's own patterns never match these paths (each control has its own path)."""

from __future__ import annotations

from django.urls import path

from games.debrief import compare_views, views

app_name = "debrief"

urlpatterns = [
    path("instructor/classes/<str:code>/debrief/", views.class_page, name="class"),
    path("instructor/classes/<str:code>/rounds/<int:round_id>/", views.round_page, name="round"),
    path("instructor/classes/<str:code>/rounds/<int:round_id>/replay/", views.replay_page, name="replay"),
    path("instructor/classes/<str:code>/export.csv", views.events_csv, name="export_csv"),
    path("instructor/classes/<str:code>/rounds.csv", views.rounds_csv, name="rounds_csv"),
    path("instructor/classes/<str:code>/export.json", views.export_json, name="export_json"),
    path("instructor/classes/<str:code>/polls.csv", views.polls_csv, name="polls_csv"),
    path("play/debrief/", views.student_page, name="student"),
    path("instructor/compare/", compare_views.compare_page, name="compare"),
    path("instructor/compare.csv", compare_views.compare_csv, name="compare_csv"),
    path("instructor/compare.json", compare_views.compare_json, name="compare_json"),
]
