"""Websocket URL routes (DESIGN.md: `/ws/play/` and `/ws/instructor/<code>/`)."""

from __future__ import annotations

from django.urls import URLPattern, path, re_path

from games.instructor import consumers as instructor_consumers
from games.play import consumers as play_consumers
from games.vocabulary import join_code

websocket_urlpatterns: list[URLPattern] = [
    path("ws/play/", play_consumers.PlayConsumer.as_asgi()),
    re_path(
        rf"^ws/instructor/(?P<code>{join_code.URL_PATTERN})/$",
        instructor_consumers.InstructorConsumer.as_asgi(),
    ),
]
