"""Top-level URLs. Live play adds `/join`, `/api/join`, `/play/` and the instructor pages."""

from __future__ import annotations

from django.contrib import admin
from django.urls import include, path

from games import http as game_http
from games import views as game_views
from wargame import health

urlpatterns = [
    path("", game_views.home, name="home"),
    path("join", game_http.join, name="join"),
    path("api/join", game_http.api_join, name="api_join"),
    path("play/", game_http.play, name="play"),
    path("healthz", health.healthz, name="healthz"),
    path("i18n/", include("django.conf.urls.i18n")),
    path("admin/", admin.site.urls),
    path("instructor/", include("games.urls_instructor")),
    path("", include("games.urls_debrief")),  # debriefs and exports (games/urls_debrief.py)
]
