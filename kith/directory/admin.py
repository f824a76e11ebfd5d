"""The Django admin for the directory: a developer's and operator's view of the HSDS tables.

Everyday curation happens in the staff pages (/staff/directory/), where every change is
reviewed by a second editor. The admin is for fixing data by hand; saving a service here
brings the search index up to date. Derived search tables are not shown.
"""

from __future__ import annotations

from typing import Any

from django.contrib import admin
from django.db.models import QuerySet
from django.http import HttpRequest

from kith.directory import models
from kith.directory.search import index_services


class PhoneInline(admin.TabularInline):
    model = models.Phone
    fk_name = "service"
    extra = 0
    fields = ["number", "extension", "type", "description"]


class ScheduleInline(admin.TabularInline):
    model = models.Schedule
    fk_name = "service"
    extra = 0
    fields = [
        "freq",
        "interval",
        "byday",
        "bymonthday",
        "opens_at",
        "closes_at",
        "valid_from",
        "valid_to",
        "description",
    ]


class CostOptionInline(admin.TabularInline):
    model = models.CostOption
    extra = 0
    fields = ["option", "amount", "currency", "amount_description"]


class LanguageInline(admin.TabularInline):
    model = models.Language
    fk_name = "service"
    extra = 0
    fields = ["name", "code", "note"]


class ServiceAtLocationInline(admin.TabularInline):
    model = models.ServiceAtLocation
    extra = 0
    raw_id_fields = ["location"]


class ClosedDateInline(admin.TabularInline):
    model = models.ClosedDate
    fk_name = "service"
    extra = 0


@admin.register(models.Organization)
class OrganizationAdmin(admin.ModelAdmin):
    list_display = ["name", "email", "website", "updated_at"]
    search_fields = ["name", "alternate_name", "email"]
    raw_id_fields = ["parent_organization"]


@admin.register(models.Service)
class ServiceAdmin(admin.ModelAdmin):
    list_display = ["name", "organization", "status", "is_free", "is_place_to_talk", "assured_date"]
    list_filter = ["status", "is_free", "is_no_referral_needed", "is_place_to_talk"]
    search_fields = ["name", "description", "organization__name"]
    list_select_related = ["organization"]
    raw_id_fields = ["organization"]
    date_hierarchy = "created_at"
    inlines = [
        ServiceAtLocationInline,
        PhoneInline,
        ScheduleInline,
        ClosedDateInline,
        CostOptionInline,
        LanguageInline,
    ]

    def save_related(self, request: HttpRequest, form: Any, formsets: Any, change: bool) -> None:
        super().save_related(request, form, formsets, change)
        index_services([form.instance.id])


class AddressInline(admin.StackedInline):
    model = models.Address
    extra = 0


class AccessibilityInline(admin.TabularInline):
    model = models.Accessibility
    extra = 0


@admin.register(models.Location)
class LocationAdmin(admin.ModelAdmin):
    list_display = [
        "__str__",
        "organization",
        "location_type",
        "latitude",
        "longitude",
        "has_step_free_access",
    ]
    list_filter = ["location_type", "has_step_free_access"]
    search_fields = ["name", "addresses__postal_code", "addresses__address_1"]
    raw_id_fields = ["organization"]
    inlines = [AddressInline, AccessibilityInline]


class TaxonomyTermInline(admin.TabularInline):
    model = models.TaxonomyTerm
    fk_name = "taxonomy"
    extra = 0
    fields = ["code", "name", "description"]


@admin.register(models.Taxonomy)
class TaxonomyAdmin(admin.ModelAdmin):
    list_display = ["name", "version", "uri"]
    inlines = [TaxonomyTermInline]


@admin.register(models.TaxonomyTerm)
class TaxonomyTermAdmin(admin.ModelAdmin):
    list_display = ["name", "code", "taxonomy"]
    list_filter = ["taxonomy"]
    search_fields = ["name", "code"]


@admin.register(models.Attribute)
class AttributeAdmin(admin.ModelAdmin):
    list_display = ["taxonomy_term", "link_entity", "link_id", "link_type"]
    list_filter = ["link_entity", "link_type"]
    search_fields = ["link_id", "taxonomy_term__code"]
    raw_id_fields = ["taxonomy_term"]


@admin.register(models.Postcode)
class PostcodeAdmin(admin.ModelAdmin):
    list_display = ["code", "latitude", "longitude", "is_district", "local_authority"]
    list_filter = ["is_district"]
    search_fields = ["code"]


@admin.register(models.ListingReport)
class ListingReportAdmin(admin.ModelAdmin):
    list_display = ["service", "reason", "status", "created_at", "resolved_at"]
    list_filter = ["status", "reason"]
    search_fields = ["service__name", "details"]
    raw_id_fields = ["service", "resolved_by"]


@admin.register(models.ListingChange)
class ListingChangeAdmin(admin.ModelAdmin):
    """Read-only: a change is published or sent back through the staff review pages."""

    list_display = ["__str__", "service", "status", "proposed_by", "reviewed_by", "created_at"]
    list_filter = ["status"]
    search_fields = ["service__name"]

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    def get_queryset(self, request: HttpRequest) -> QuerySet[models.ListingChange]:
        return super().get_queryset(request).select_related("service", "proposed_by", "reviewed_by")
