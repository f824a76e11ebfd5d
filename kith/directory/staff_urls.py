"""Staff curation routes, joined into the `directory` namespace by urls.py."""

from django.urls import URLPattern, path

from kith.directory.views import staff

urlpatterns: list[URLPattern] = [
    path("staff/directory/", staff.staff_dashboard_view, name="staff_dashboard"),
    path("staff/directory/listings/", staff.listing_list_view, name="listing_list"),
    path("staff/directory/listings/new/", staff.listing_create_view, name="listing_create"),
    path(
        "staff/directory/listings/<uuid:service_id>/edit/",
        staff.listing_edit_view,
        name="listing_edit",
    ),
    path("staff/directory/changes/", staff.listing_change_list_view, name="listing_change_list"),
    path(
        "staff/directory/changes/<uuid:change_id>/",
        staff.listing_change_show_view,
        name="listing_change_show",
    ),
    path(
        "staff/directory/changes/<uuid:change_id>/publish/",
        staff.listing_change_publish_view,
        name="listing_change_publish",
    ),
    path(
        "staff/directory/changes/<uuid:change_id>/request-changes/",
        staff.listing_change_request_changes_view,
        name="listing_change_request_changes",
    ),
    path(
        "staff/directory/changes/<uuid:change_id>/revise/",
        staff.listing_change_revise_view,
        name="listing_change_revise",
    ),
    path(
        "staff/directory/changes/<uuid:change_id>/withdraw/",
        staff.listing_change_withdraw_view,
        name="listing_change_withdraw",
    ),
    path("staff/directory/stale/", staff.stale_listing_list_view, name="stale_listing_list"),
    path(
        "staff/directory/stale/<uuid:service_id>/checked/",
        staff.service_mark_checked_view,
        name="service_mark_checked",
    ),
    path("staff/directory/reports/", staff.listing_report_list_view, name="listing_report_list"),
    path(
        "staff/directory/reports/<uuid:report_id>/resolve/",
        staff.listing_report_resolve_view,
        name="listing_report_resolve",
    ),
]
