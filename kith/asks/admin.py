"""Staff keep the crisis options up to date here; each shows when it was last checked."""

from django.contrib import admin

from kith.asks.models import CrisisOption


@admin.register(CrisisOption)
class CrisisOptionAdmin(admin.ModelAdmin):
    list_display = [
        "name",
        "how_to_contact",
        "contact",
        "need",
        "is_always_open",
        "last_checked",
        "order",
        "is_active",
    ]
    list_editable = ["order", "is_active"]
    list_filter = ["need", "is_always_open", "is_active"]
    ordering = ["order", "name"]
    fields = [
        "name",
        "how_to_contact",
        "description",
        "contact",
        "link_text",
        "need",
        "is_always_open",
        "last_checked",
        "order",
        "is_active",
    ]
