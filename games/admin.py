from __future__ import annotations

from django.contrib import admin

from .models import Scenario


@admin.register(Scenario)
class ScenarioAdmin(admin.ModelAdmin):
    list_display = ("slug", "name_en", "name_ja", "decision_seconds", "updated")
    search_fields = ("slug", "name_en", "name_ja")
    readonly_fields = ("created", "updated")
    prepopulated_fields = {"slug": ("name_en",)}
