"""Top-level URLs: the game's own (games.urls), health, language switching and the admin."""

from __future__ import annotations

from django.contrib import admin
from django.urls import include, path

from wargame import health

urlpatterns = [
    path("healthz", health.healthz, name="healthz"),
    path("i18n/", include("django.conf.urls.i18n")),
    path("admin/", admin.site.urls),
    path("", include("games.urls")),
]
