from django.contrib import admin

from kith.care.models import Team


@admin.register(Team)
class TeamAdmin(admin.ModelAdmin):
    list_display = ["name", "postcode_districts", "response_time_hours", "is_default"]
