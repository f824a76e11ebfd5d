"""Admin classes in a module named for nothing in particular."""

from django.contrib import admin
from django.db.models import QuerySet
from django.http import HttpRequest

from kith.asks.models import Ask, AskNote, CrisisOption


class AskAdmin(admin.ModelAdmin[Ask]):
    def get_queryset(self, request: HttpRequest) -> QuerySet[Ask]:
        return Ask.objects.select_related("person")


class AskNoteInline(admin.TabularInline[AskNote, CrisisOption]):
    model = AskNote


class CrisisOptionAdmin(admin.ModelAdmin[CrisisOption]):
    inlines = [AskNoteInline]
