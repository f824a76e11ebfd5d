"""The Django admin for the directory: a developer's and operator's view of the HSDS tables.

Everyday curation happens in the staff pages (/staff/directory/), where every change is
reviewed by a second editor. The admin is for fixing data by hand. Every page here that edits
data the search index holds (services and their inlines, organisations, locations, attributes,
taxonomies and terms) re-indexes the services it touched, as they were before the write and
after: saving, deleting, and the bulk "delete selected" action (once for the batch). An edit of
an organisation or a taxonomy term can touch hundreds of services, so the admin queues it as a
background task once the write commits (`services_reindex_later`, run by `kith worker`) rather
than make the page wait. Derived search tables are not shown.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any
from uuid import UUID

from django.contrib import admin
from django.db.models import Model, QuerySet
from django.http import HttpRequest

from kith.directory import models
from kith.directory.services.indexing import service_ids_indexed_with
from kith.directory.tasks import services_reindex_later

# Where a change form keeps the services its object touched before the write, between
# `save_model` and `save_related` (the admin instance is shared by every request).
_BEFORE = "_kith_services_before_save"


class ReindexesServices(admin.ModelAdmin):
    """Re-index the services an object's index rows depend on, before and after each write."""

    def indexed_service_ids(self, pks: list[Any]) -> set[UUID]:
        raise NotImplementedError

    def _services_of(self, objs: Iterable[Model]) -> set[UUID]:
        pks = [obj.pk for obj in objs if obj.pk is not None]
        return self.indexed_service_ids(pks) if pks else set()

    def save_model(self, request: HttpRequest, obj: Any, form: Any, change: bool) -> None:
        setattr(request, _BEFORE, self._services_of([obj]) if change else set())
        super().save_model(request, obj, form, change)

    def save_related(self, request: HttpRequest, form: Any, formsets: Any, change: bool) -> None:
        super().save_related(request, form, formsets, change)
        before: set[UUID] = getattr(request, _BEFORE, set())
        services_reindex_later(before | self._services_of([form.instance]))

    def delete_model(self, request: HttpRequest, obj: Any) -> None:
        touched = self._services_of([obj])
        super().delete_model(request, obj)
        services_reindex_later(touched)

    def delete_queryset(self, request: HttpRequest, queryset: QuerySet[Any]) -> None:
        touched = self._services_of(queryset)
        super().delete_queryset(request, queryset)
        services_reindex_later(touched)


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
class OrganizationAdmin(ReindexesServices):
    list_display = ["name", "email", "website", "updated_at"]
    search_fields = ["name", "alternate_name", "email"]
    raw_id_fields = ["parent_organization"]

    def indexed_service_ids(self, pks: list[Any]) -> set[UUID]:
        return service_ids_indexed_with(organization_ids=pks)


@admin.register(models.Service)
class ServiceAdmin(ReindexesServices):
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

    def indexed_service_ids(self, pks: list[Any]) -> set[UUID]:
        return set(pks)


class AddressInline(admin.StackedInline):
    model = models.Address
    extra = 0


class AccessibilityInline(admin.TabularInline):
    model = models.Accessibility
    extra = 0


@admin.register(models.Location)
class LocationAdmin(ReindexesServices):
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

    def indexed_service_ids(self, pks: list[Any]) -> set[UUID]:
        return service_ids_indexed_with(location_ids=pks)


class TaxonomyTermInline(admin.TabularInline):
    model = models.TaxonomyTerm
    fk_name = "taxonomy"
    extra = 0
    fields = ["code", "name", "description"]


@admin.register(models.Taxonomy)
class TaxonomyAdmin(ReindexesServices):
    list_display = ["name", "version", "uri"]
    inlines = [TaxonomyTermInline]

    def indexed_service_ids(self, pks: list[Any]) -> set[UUID]:
        return service_ids_indexed_with(taxonomy_ids=pks)


@admin.register(models.TaxonomyTerm)
class TaxonomyTermAdmin(ReindexesServices):
    list_display = ["name", "code", "taxonomy"]
    list_filter = ["taxonomy"]
    search_fields = ["name", "code"]

    def indexed_service_ids(self, pks: list[Any]) -> set[UUID]:
        return service_ids_indexed_with(taxonomy_term_ids=pks)


@admin.register(models.Attribute)
class AttributeAdmin(ReindexesServices):
    list_display = ["taxonomy_term", "link_entity", "link_id", "link_type"]
    list_filter = ["link_entity", "link_type"]
    search_fields = ["link_id", "taxonomy_term__code"]
    raw_id_fields = ["taxonomy_term"]

    def indexed_service_ids(self, pks: list[Any]) -> set[UUID]:
        return service_ids_indexed_with(attribute_ids=pks)


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
