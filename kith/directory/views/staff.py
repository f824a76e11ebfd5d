"""Staff curation of the directory: listings, review, stale listings and reports.

Every view here is for directory editors only: anonymous people are sent to sign in, and anyone
signed in who is not an editor gets "page not found", so the staff pages do not advertise
themselves.
"""

from __future__ import annotations

from collections.abc import Callable
from functools import wraps
from typing import Any
from uuid import UUID

from django.contrib import messages
from django.contrib.auth.views import redirect_to_login
from django.core.paginator import Page, Paginator
from django.db.models import QuerySet
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.views.decorators.http import require_POST

from kith.core.errors import ApplicationError
from kith.directory import presenters_staff
from kith.directory.forms.staff import ListingForm, ReportResolveForm, ReviewNoteForm
from kith.directory.models import ListingChange, ListingReport, Service
from kith.directory.selectors.curation import (
    is_directory_editor,
    listing_changes_awaiting_review,
    listing_changes_with_changes_requested,
    listing_data_for_service,
    listing_merge,
    listing_reports,
    listing_schedules,
    schedules_not_editable,
    service_for_listing,
    services_for_staff,
    services_stale,
    staff_dashboard_counts,
    stale_before,
)
from kith.directory.services.curation import (
    NothingChanged,
    listing_change_propose,
    listing_change_publish,
    listing_change_request_changes,
    listing_change_revise,
    listing_change_withdraw,
    listing_report_resolve,
    service_mark_checked,
)

PER_PAGE = 25
View = Callable[..., HttpResponse]


def editor_required(view: View) -> View:
    @wraps(view)
    def wrapped(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        if not request.user.is_authenticated:
            return redirect_to_login(request.get_full_path())
        if not is_directory_editor(request.user):
            raise Http404
        return view(request, *args, **kwargs)

    return wrapped


def _page(request: HttpRequest, items: QuerySet[Any]) -> Page[Any]:
    return Paginator(items, PER_PAGE).get_page(request.GET.get("page"))


def _page_links(request: HttpRequest, page: Page[Any]) -> dict[str, str]:
    query = request.GET.copy()
    links = {}
    if page.has_previous():
        query["page"] = str(page.previous_page_number())
        links["previous"] = f"?{query.urlencode()}"
    if page.has_next():
        query["page"] = str(page.next_page_number())
        links["next"] = f"?{query.urlencode()}"
    return links


@editor_required
def staff_dashboard_view(request: HttpRequest) -> HttpResponse:
    counts = staff_dashboard_counts()
    return render(request, "directory/staff/staff_dashboard.jinja", {"counts": counts})


@editor_required
def listing_list_view(request: HttpRequest) -> HttpResponse:
    name = request.GET.get("q", "")[:200]
    page = _page(request, services_for_staff(name=name))
    return render(
        request,
        "directory/staff/listing_list.jinja",
        {"page": page, "links": _page_links(request, page), "q": name},
    )


def _other_times(service: Service | None) -> list[str]:
    """Opening rules the editor does not change, listed so the editor knows they stay."""
    if service is None:
        return []
    return presenters_staff.other_schedule_lines(schedules_not_editable(listing_schedules(service)))


@editor_required
def listing_create_view(request: HttpRequest) -> HttpResponse:
    form = ListingForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        change = listing_change_propose(proposer=request.user, data=form.listing_data())
        messages.success(request, "Listing sent for review. Another editor will check it.")
        return redirect("directory:listing_change_show", change_id=change.pk)
    return render(
        request,
        "directory/staff/listing_create.jinja",
        {
            "form": form,
            "service": None,
            "other_times": [],
            "action": reverse("directory:listing_create"),
        },
    )


@editor_required
def listing_edit_view(request: HttpRequest, service_id: UUID) -> HttpResponse:
    try:
        service = service_for_listing(service_id)
    except Service.DoesNotExist as error:
        raise Http404 from error
    form = ListingForm(request.POST or None, listing=listing_data_for_service(service))
    nothing_changed = ""
    if request.method == "POST" and form.is_valid():
        try:
            change = listing_change_propose(
                proposer=request.user, data=form.listing_data(), service=service
            )
        except NothingChanged as nothing:
            nothing_changed = nothing.message
        else:
            messages.success(request, "Changes sent for review. Another editor will check them.")
            return redirect("directory:listing_change_show", change_id=change.pk)
    return render(
        request,
        "directory/staff/listing_edit.jinja",
        {
            "form": form,
            "service": service,
            "nothing_changed": nothing_changed,
            "other_times": _other_times(service),
            "action": reverse("directory:listing_edit", args=[service.pk]),
        },
    )


@editor_required
def listing_change_list_view(request: HttpRequest) -> HttpResponse:
    return render(
        request,
        "directory/staff/listing_change_list.jinja",
        {
            "awaiting_review": listing_changes_awaiting_review(),
            "changes_requested": listing_changes_with_changes_requested(),
        },
    )


def _change_context(
    request: HttpRequest, change: ListingChange, note_form: ReviewNoteForm | None = None
) -> dict[str, Any]:
    proposed = change.data
    diff = None
    if change.service_id and change.status == ListingChange.Status.AWAITING_REVIEW:
        live = listing_data_for_service(service_for_listing(change.service_id))
        # What publishing would do now: the editor's changes over the listing as it is.
        proposed = listing_merge(live=live, base=change.base, proposed=change.data)
        diff = presenters_staff.listing_diff(live, proposed)
    return {
        "change": change,
        "rows": presenters_staff.listing_rows(proposed),
        "diff": diff,
        "is_proposer": change.proposed_by_id == request.user.pk,
        "is_open": change.status
        in {ListingChange.Status.AWAITING_REVIEW, ListingChange.Status.CHANGES_REQUESTED},
        "note_form": note_form or ReviewNoteForm(),
        "form": note_form,
    }


def _get_change(change_id: UUID) -> ListingChange:
    return get_object_or_404(
        ListingChange.objects.select_related("service", "proposed_by", "reviewed_by"),
        pk=change_id,
    )


@editor_required
def listing_change_show_view(request: HttpRequest, change_id: UUID) -> HttpResponse:
    change = _get_change(change_id)
    return render(
        request, "directory/staff/listing_change_show.jinja", _change_context(request, change)
    )


def _refused(request: HttpRequest, change: ListingChange, error: ApplicationError) -> HttpResponse:
    context = _change_context(request, change)
    context["refusal"] = error.message
    return render(
        request, "directory/staff/listing_change_show.jinja", context, status=error.status
    )


@require_POST
@editor_required
def listing_change_publish_view(request: HttpRequest, change_id: UUID) -> HttpResponse:
    change = _get_change(change_id)
    try:
        service = listing_change_publish(change=change, reviewer=request.user)
    except ApplicationError as error:
        return _refused(request, change, error)
    messages.success(request, f"{service.name} is published.")
    return redirect("directory:listing_change_show", change_id=change.pk)


@require_POST
@editor_required
def listing_change_request_changes_view(request: HttpRequest, change_id: UUID) -> HttpResponse:
    change = _get_change(change_id)
    form = ReviewNoteForm(request.POST)
    if not form.is_valid():
        context = _change_context(request, change, note_form=form)
        return render(request, "directory/staff/listing_change_show.jinja", context)
    try:
        listing_change_request_changes(
            change=change, reviewer=request.user, note=form.cleaned_data["note"]
        )
    except ApplicationError as error:
        return _refused(request, change, error)
    messages.success(request, "Changes requested. The editor who proposed it can revise it.")
    return redirect("directory:listing_change_show", change_id=change.pk)


@editor_required
def listing_change_revise_view(request: HttpRequest, change_id: UUID) -> HttpResponse:
    change = _get_change(change_id)
    if change.proposed_by_id != request.user.pk or change.status not in {
        ListingChange.Status.AWAITING_REVIEW,
        ListingChange.Status.CHANGES_REQUESTED,
    }:
        raise Http404
    form = ListingForm(request.POST or None, listing=change.data)
    if request.method == "POST" and form.is_valid():
        try:
            listing_change_revise(change=change, editor=request.user, data=form.listing_data())
        except ApplicationError as error:
            return _refused(request, change, error)
        messages.success(request, "Changes sent for review again.")
        return redirect("directory:listing_change_show", change_id=change.pk)
    return render(
        request,
        "directory/staff/listing_change_revise.jinja",
        {
            "form": form,
            "change": change,
            "service": change.service,
            "other_times": _other_times(
                service_for_listing(change.service_id) if change.service_id else None
            ),
            "action": reverse("directory:listing_change_revise", args=[change.pk]),
        },
    )


@require_POST
@editor_required
def listing_change_withdraw_view(request: HttpRequest, change_id: UUID) -> HttpResponse:
    change = _get_change(change_id)
    try:
        listing_change_withdraw(change=change, editor=request.user)
    except ApplicationError as error:
        return _refused(request, change, error)
    messages.success(request, "Change withdrawn. Nothing was published.")
    return redirect("directory:listing_change_list")


@editor_required
def stale_listing_list_view(request: HttpRequest) -> HttpResponse:
    page = _page(request, services_stale())
    rows = [(service, presenters_staff.checked_label(service.assured_date)) for service in page]
    return render(
        request,
        "directory/staff/stale_listing_list.jinja",
        {
            "page": page,
            "rows": rows,
            "links": _page_links(request, page),
            "stale_before": stale_before(),
        },
    )


@require_POST
@editor_required
def service_mark_checked_view(request: HttpRequest, service_id: UUID) -> HttpResponse:
    service = get_object_or_404(Service, pk=service_id)
    service_mark_checked(service=service, editor=request.user)
    messages.success(request, f"{service.name} is marked as checked today.")
    next_page = request.POST.get("page", "")
    url = reverse("directory:stale_listing_list")
    return redirect(f"{url}?page={next_page}" if next_page.isdigit() else url)


@editor_required
def listing_report_list_view(request: HttpRequest) -> HttpResponse:
    status = request.GET.get("status", ListingReport.Status.OPEN)
    if status not in ListingReport.Status.values:
        status = ListingReport.Status.OPEN
    page = _page(request, listing_reports(status=status))
    return render(
        request,
        "directory/staff/listing_report_list.jinja",
        {"page": page, "links": _page_links(request, page), "status": status},
    )


@editor_required
def listing_report_resolve_view(request: HttpRequest, report_id: UUID) -> HttpResponse:
    report = get_object_or_404(
        ListingReport.objects.select_related("service", "resolved_by"), pk=report_id
    )
    form = ReportResolveForm(request.POST or None)
    error = None
    if request.method == "POST" and form.is_valid():
        try:
            listing_report_resolve(
                report=report, editor=request.user, note=form.cleaned_data["note"]
            )
        except ApplicationError as refusal:
            error = refusal.message
        else:
            messages.success(request, "Report resolved.")
            return redirect("directory:listing_report_list")
    return render(
        request,
        "directory/staff/listing_report_resolve.jinja",
        {"form": form, "report": report, "refusal": error},
        status=403 if error else 200,
    )
