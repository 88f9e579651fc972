"""The game's URLs, by audience: students (games.play), instructors (games.instructor), debriefs and
exports (games.debrief). Every URL name is kept: templates and `reverse()` use them."""

from __future__ import annotations

from django.urls import include, path

urlpatterns = [
    path("", include("games.play.urls")),
    path("instructor/", include("games.instructor.urls")),
    path("", include("games.debrief.urls")),
]
