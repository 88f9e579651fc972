"""Student pages and the HTTP half of the player protocol (DESIGN.md)."""

from __future__ import annotations

from django.urls import path

from games.play import pages

urlpatterns = [
    path("", pages.home, name="home"),
    path("join", pages.join, name="join"),
    path("api/join", pages.api_join, name="api_join"),
    path("play/", pages.play, name="play"),
    path("play/poll/", pages.poll_answer, name="poll_answer"),
]
