from django.contrib import admin

from kith.care.models import Team, TeamMember


@admin.register(Team)
class TeamAdmin(admin.ModelAdmin):
    list_display = ["name", "postcode_districts", "response_time_hours", "is_default"]


@admin.register(TeamMember)
class TeamMemberAdmin(admin.ModelAdmin):
    list_display = ["display_name", "team", "organisation_name", "role", "is_lead", "is_active"]
    list_filter = ["team", "role", "is_active"]
