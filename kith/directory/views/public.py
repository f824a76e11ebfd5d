"""The public pages: find support, a service's page, and "Report something wrong"."""

from __future__ import annotations

import dataclasses
import datetime as dt
from uuid import UUID

from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.views.decorators.vary import vary_on_headers

from kith.core.errors import ValidationFailed
from kith.directory import presenters
from kith.directory.crisis import crisis_lines_for_search
from kith.directory.forms.public import (
    DEFAULT_RADIUS,
    ListingReportForm,
    SearchForm,
    page_number,
)
from kith.directory.geo import is_outside_area, postcode_location
from kith.directory.models import Service
from kith.directory.search import SearchQuery, SearchResults, search_services
from kith.directory.selectors.curation import is_directory_editor
from kith.directory.selectors.services import (
    languages_offered,
    phone_numbers,
    service_by_id,
    service_detail,
)
from kith.directory.services.reports import listing_report_submit
from kith.directory.taxonomy import support_type_labels, support_types

PER_PAGE = 20
CLOSED_STATUSES = {Service.Status.INACTIVE, Service.Status.DEFUNCT}


# The same URL answers a whole page, or (to htmx) only the results: the browser's Back button
# must not be given the cached results alone when it goes back to a search from a service's page.
@vary_on_headers("HX-Request")
def search_view(request: HttpRequest) -> HttpResponse:
    is_htmx = request.headers.get("HX-Request") == "true"
    form = SearchForm(request.GET, languages=languages_offered())
    context: dict[str, object] = {
        "form": form,
        "errors": {},
        "values": _raw_values(request),
        "support_types": support_types(),
        "default_radius": DEFAULT_RADIUS,
        # Crisis words bring the crisis options at once, whatever else is wrong with the search.
        "crisis_lines": crisis_lines_for_search(request.GET.get("q", "")),
        "is_htmx": is_htmx,
    }
    if not form.is_valid():
        context["errors"] = {name: errors[0] for name, errors in form.errors.items()}
        if is_htmx:
            # The partial has no room for the form's errors: load the whole page instead.
            response = HttpResponse(status=200)
            response["HX-Redirect"] = request.get_full_path()
            return response
        return render(request, "directory/search.jinja", context)
    if not form.has_criteria():
        context["is_browse"] = True
        template = "directory/_results.jinja" if is_htmx else "directory/search.jinja"
        return render(request, template, context)

    point = form.cleaned_data["point"]
    postcode = form.cleaned_data["postcode"]
    if postcode:
        point = postcode_location(postcode)
        context["unknown_postcode"] = postcode if point is None else ""
    now = timezone.now()
    query = SearchQuery(
        text=form.cleaned_data["q"],
        latitude=point[0] if point else None,
        longitude=point[1] if point else None,
        radius_m=form.radius_m() if point else None,
        support_types=tuple(form.cleaned_data["type"]),
        open_at=form.open_at(now),
        # Someone who may be in crisis sees what they can reach now first.
        is_open_now_first=bool(context["crisis_lines"]) or "crisis" in form.cleaned_data["type"],
        is_nearest_first=form.is_nearest_first(),
        is_free=form.cleaned_data["free"],
        is_no_referral_needed=form.cleaned_data["no_referral"],
        language=form.cleaned_data["language"],
        has_step_free_access=form.cleaned_data["step_free"],
        page=page_number(request.GET.get("page")),
        per_page=PER_PAGE,
        # "Why this result" (?explain=1), for directory editors only.
        explain=request.GET.get("explain") == "1" and is_directory_editor(request.user),
    )
    try:
        results = search_services(query)
        if point is not None and not results.total and is_outside_area(*point):
            # Far from every listing: say so, and show what matches anywhere rather than nothing.
            context["is_outside_area"] = True
            context["outside_postcode"] = postcode
            point = None
            near_nothing = dataclasses.replace(query, latitude=None, longitude=None, radius_m=None)
            results = search_services(near_nothing)
    except ValidationFailed as error:
        # The form already refuses what people can type; this is a safety net, never a 500.
        form.add_error(None, error.message)
        context["errors"] = {"__all__": error.message}
        return render(request, "directory/search.jinja", context)
    context.update(_results_context(request, results, now=now, is_near=point is not None))
    context["centre"] = point  # the map marks where distances are measured from
    # "Nearest first" with nowhere to measure from (a postcode not found says so already).
    context["needs_place_to_sort"] = (
        form.is_nearest_first()
        and point is None
        and not postcode
        and "is_outside_area" not in context
    )
    template = "directory/_results.jinja" if is_htmx else "directory/search.jinja"
    return render(request, template, context)


def _raw_values(request: HttpRequest) -> dict[str, object]:
    """What the person typed, to put back in the form whatever happens."""
    values: dict[str, object] = {key: request.GET.get(key, "") for key in request.GET}
    values["type"] = request.GET.getlist("type")
    values.setdefault("when", "any")
    values.setdefault("order", "best")
    return values


def _results_context(
    request: HttpRequest, results: SearchResults, *, now: dt.datetime, is_near: bool
) -> dict[str, object]:
    labels = support_type_labels()
    interpretation = results.interpretation
    params = request.GET.copy()
    params.pop("page", None)
    # Each service's link carries this search, so its Back link returns here without JavaScript.
    search = presenters.search_query_string(request.GET)
    # A result with no place shows how to contact them instead: their phone numbers, at once.
    phones = phone_numbers(service_ids=[h.service.pk for h in results.hits if h.location is None])
    return {
        "results": results,
        "rows": [
            presenters.result_view(
                hit, now=now, search=search, phones=phones.get(hit.service.pk, [])
            )
            for hit in results.hits
        ],
        "markers": presenters.map_markers(results.hits, search=search),
        "why": {str(hit.service.pk): presenters.why_lines(hit) for hit in results.hits},
        "pagination": presenters.pagination(results, params, request.path),
        "understood": [labels[c] for c in interpretation.support_types if c in labels],
        "corrected_text": interpretation.corrected_text or "",
        "ignored_words": interpretation.ignored_words if results.total else [],
        "corrected_href": _with(request, q=interpretation.corrected_text or ""),
        "first_page_href": _with(request, page="1"),
        "is_near": is_near,
    }


def _with(request: HttpRequest, **changes: str) -> str:
    params = request.GET.copy()
    params.pop("page", None)
    for key, value in changes.items():
        params[key] = value
    return f"{request.path}?{params.urlencode()}"


def service_show_view(request: HttpRequest, service_id: UUID) -> HttpResponse:
    detail = service_detail(service_id=service_id)
    if detail is None:
        raise Http404("No such service")
    service = detail.service
    if service.status in CLOSED_STATUSES:
        return render(request, "directory/service_closed.jinja", {"service": service}, status=410)
    now = timezone.now()
    labels = support_type_labels()
    page_url = request.build_absolute_uri(request.path)
    context = {
        "service": service,
        "description": presenters.description_paragraphs(service.description),
        "support_types": [labels[code] for code in detail.support_types],
        "locations": presenters.location_views(service, now=now),
        "times": presenters.times_view(
            list(service.schedules.all()), list(service.closed_dates.all()), now=now
        ),
        "phones": presenters.service_phones(service),
        "costs": presenters.cost_lines(service),
        "languages": [lang.name or lang.code for lang in service.languages.all()],
        "checked": presenters.checked_notice(service.assured_date, now=now),
        "share_url": page_url,
        "share_mailto": presenters.share_mailto(service=service, page_url=page_url),
        "search_href": presenters.search_href(search=presenters.search_query_string(request.GET)),
    }
    return render(request, "directory/service_show.jinja", context)


def listing_report_submit_view(request: HttpRequest, service_id: UUID) -> HttpResponse:
    service = service_by_id(service_id=service_id)
    if service is None:
        raise Http404("No such service")
    form = ListingReportForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            listing_report_submit(
                service=service,
                reason=form.cleaned_data["reason"],
                details=form.cleaned_data["details"],
            )
        except ValidationFailed as error:
            form.add_error(error.field if error.field in form.fields else None, error.message)
        else:
            return redirect("directory:listing_report_done", service_id=service.pk)
    errors = {name: errors[0] for name, errors in form.errors.items()}
    context = {"service": service, "form": form, "errors": errors, "values": request.POST}
    return render(request, "directory/listing_report_submit.jinja", context)


def listing_report_done_view(request: HttpRequest, service_id: UUID) -> HttpResponse:
    service = service_by_id(service_id=service_id)
    if service is None:
        raise Http404("No such service")
    return render(request, "directory/listing_report_done.jinja", {"service": service})
