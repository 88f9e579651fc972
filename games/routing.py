"""Websocket URL routes (DESIGN.md: `/ws/play/` and `/ws/instructor/<code>/`)."""

from __future__ import annotations

from django.urls import URLPattern, path, re_path

from games.instructor import consumers as instructor_consumers
from games.play import consumers as play_consumers

websocket_urlpatterns: list[URLPattern] = [
    path("ws/play/", play_consumers.PlayConsumer.as_asgi()),
    # Codes are matched to what a channel-layer group name may hold.
    re_path(
        r"^ws/instructor/(?P<code>[A-Za-z0-9_.-]{1,32})/$", instructor_consumers.InstructorConsumer.as_asgi()
    ),
]
