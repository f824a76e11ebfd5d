"""The Open Referral UK 3.0 API: read-only, open to all (no authentication), CORS *.

Paths, query parameters and JSON shapes follow the ORUK 3.0 OpenAPI in `schemas/oruk-3.0/`;
every response validates against its schemas (see tests/test_oruk_api.py). Bad parameters get a
400 and unknown ids a 404, both as {"error": {"code", "message", "field"?}}.
"""

from __future__ import annotations

import json
import math
from collections.abc import Callable, Iterable, Iterator, Sequence
from typing import Any
from uuid import UUID

from django.db.models import Model, QuerySet
from django.http import HttpRequest, HttpResponse, StreamingHttpResponse
from django.http.response import HttpResponseBase
from ninja import NinjaAPI

from kith.core.api_errors import install_error_handlers, problem
from kith.core.errors import ApplicationError, NotFound, ValidationFailed
from kith.directory.geo import postcode_location
from kith.directory.models import Organization, Service, ServiceAtLocation, Taxonomy, TaxonomyTerm
from kith.directory.oruk import presenters, selectors
from kith.directory.oruk.params import (
    MAX_PROXIMITY_M,
    Paging,
    parse_bool,
    parse_datetime,
    parse_float,
    parse_format,
    parse_paging,
    parse_uuid,
    require_uuid,
)
from kith.directory.search import SearchQuery, search_services
from kith.directory.search.near import service_at_locations_near

ORUK_VERSION = "HSDS-UK-3.0"
ORUK_PROFILE = "https://github.com/OpenReferralUK/uk-profile/blob/main/docs/index.md"
ORUK_OPENAPI_URL = "https://openreferraluk.org/specifications/3.0/openapi.json"
# With `search` and a filter the engine does not know, rank this many and filter those.
MAX_SEARCH_CANDIDATES = 1000
NDJSON_CHUNK = 200
Json = dict[str, Any]

oruk_api = NinjaAPI(
    title="Kith Open Referral UK API",
    version=ORUK_VERSION,
    description="The directory of support as Open Referral UK 3.0. Read-only and open.",
    urls_namespace="oruk",
    docs_url=None,
)


def _on_application_error(request: HttpRequest, exc: ApplicationError) -> HttpResponse:
    code = "not_found" if exc.status == 404 else "invalid_parameter"
    return problem(
        oruk_api, request, status=exc.status, code=code, message=exc.message, field=exc.field
    )


install_error_handlers(oruk_api)
oruk_api.add_exception_handler(ApplicationError, _on_application_error)  # type: ignore[arg-type]


# --- helpers ---------------------------------------------------------------------------------


def _envelope(contents: list[Json], *, total: int, paging: Paging) -> Json:
    """The paginated envelope of the ORUK `*_list.json` schemas."""
    total_pages = math.ceil(total / paging.per_page)
    return {
        "total_items": total,
        "total_pages": total_pages,
        "page_number": paging.page,
        "size": paging.per_page,
        "first_page": paging.page == 1,
        "last_page": paging.page >= total_pages,
        "empty": not contents,
        "contents": contents,
    }


def _in_order[M: Model](rows: Iterable[M], ids: Sequence[UUID]) -> list[M]:
    by_id = {row.pk: row for row in rows}
    return [by_id[i] for i in ids if i in by_id]


def _ndjson(
    ids: Sequence[UUID], render: Callable[[Sequence[UUID]], list[Json]]
) -> HttpResponseBase:
    def lines() -> Iterator[str]:
        for start in range(0, len(ids), NDJSON_CHUNK):
            for item in render(ids[start : start + NDJSON_CHUNK]):
                yield json.dumps(item, ensure_ascii=False) + "\n"

    return StreamingHttpResponse(lines(), content_type="application/x-ndjson; charset=utf-8")


def _page_ids(queryset: QuerySet[Any], paging: Paging) -> tuple[list[UUID], int]:
    total = queryset.count()
    ids = list(
        queryset.values_list("id", flat=True)[paging.offset : paging.offset + paging.per_page]
    )
    return ids, total


# --- services --------------------------------------------------------------------------------


def _render_services(
    ids: Sequence[UUID], *, full: bool = True, minimal: bool = False
) -> list[Json]:
    if minimal:
        rows = Service.objects.filter(id__in=ids)
        return [presenters.service_minimal_out(s) for s in _in_order(rows, ids)]
    if not full:
        services = _in_order(selectors.services_summary(Service.objects.filter(id__in=ids)), ids)
        attributes = selectors.attributes_for(
            s.organization_id for s in services if s.organization_id is not None
        )
        return [
            {
                **presenters.service_summary_out(s),
                **presenters.service_organization_out(s, attributes=attributes),
            }
            for s in services
        ]
    services = _in_order(selectors.services_nested(Service.objects.filter(id__in=ids)), ids)
    attributes = selectors.attributes_for(selectors.ids_for_attributes(services))
    return [presenters.service_out(s, attributes=attributes) for s in services]


def _ranked_service_ids(
    request: HttpRequest, filtered: QuerySet[Service], *, is_filtered: bool
) -> list[UUID]:
    """Every matching service id, best first, from the search engine the web page uses."""
    params = request.GET
    results = search_services(
        SearchQuery(text=params.get("search", ""), page=1, per_page=MAX_SEARCH_CANDIDATES)
    )
    ranked = [hit.service.id for hit in results.hits]
    if not is_filtered:
        return ranked
    allowed = set(filtered.filter(id__in=ranked).values_list("id", flat=True))
    return [i for i in ranked if i in allowed]


def _service_filters(request: HttpRequest) -> tuple[QuerySet[Service], bool]:
    params = request.GET
    taxonomy_term_id = parse_uuid(params.get("taxonomy_term_id"), field="taxonomy_term_id")
    taxonomy_id = parse_uuid(params.get("taxonomy_id"), field="taxonomy_id")
    organization_id = parse_uuid(params.get("organization_id"), field="organization_id")
    modified_after = parse_datetime(params.get("modified_after"), field="modified_after")
    filtered = selectors.services_filtered(
        taxonomy_term_id=taxonomy_term_id,
        taxonomy_id=taxonomy_id,
        organization_id=organization_id,
        modified_after=modified_after,
    )
    is_filtered = any(
        v is not None for v in (taxonomy_term_id, taxonomy_id, organization_id, modified_after)
    )
    return filtered, is_filtered


@oruk_api.get("/", operation_id="getAPIMetaInformation", summary="About this API")
def api_details(request: HttpRequest) -> Json:
    return {"version": ORUK_VERSION, "profile": ORUK_PROFILE, "openapi_url": ORUK_OPENAPI_URL}


@oruk_api.get("/services", operation_id="getPaginatedListOfServices", summary="Services")
def service_list(request: HttpRequest) -> Json | HttpResponseBase:
    params = request.GET
    paging = parse_paging(params)
    output = parse_format(params.get("format"))
    full = not params.get("full") or parse_bool(params.get("full"), field="full")
    minimal = parse_bool(params.get("minimal"), field="minimal")
    search = params.get("search", "").strip()
    filtered, is_filtered = _service_filters(request)

    if search and output == "json" and not is_filtered:
        results = search_services(
            SearchQuery(text=search, page=paging.page, per_page=paging.per_page)
        )
        ids = [hit.service.id for hit in results.hits]
        contents = _render_services(ids, full=full, minimal=minimal)
        return _envelope(contents, total=results.total, paging=paging)
    if search:
        all_ids = _ranked_service_ids(request, filtered, is_filtered=is_filtered)
    elif output == "ndjson":
        all_ids = list(filtered.values_list("id", flat=True))
    else:
        all_ids = []
    if output == "ndjson":
        return _ndjson(all_ids, lambda ids: _render_services(ids, full=full, minimal=minimal))
    if search:
        ids, total = all_ids[paging.offset : paging.offset + paging.per_page], len(all_ids)
    else:
        ids, total = _page_ids(filtered, paging)
    contents = _render_services(ids, full=full, minimal=minimal)
    return _envelope(contents, total=total, paging=paging)


@oruk_api.get(
    "/services/{id}", operation_id="getFullyNestedServiceById", summary="A service, fully nested"
)
def service_detail(request: HttpRequest, id: str) -> Json:
    service_id = require_uuid(id)
    found = _render_services([service_id])
    if not found:
        raise NotFound(f"No service has the id {service_id}", field="id")
    return found[0]


# --- service at locations --------------------------------------------------------------------


def _point(request: HttpRequest) -> tuple[float, float] | None:
    params = request.GET
    postcode = params.get("postcode", "").strip()
    lat = parse_float(params.get("lat"), field="lat", minimum=-90, maximum=90)
    long = parse_float(params.get("long"), field="long", minimum=-180, maximum=180)
    if postcode and (lat is not None or long is not None):
        raise ValidationFailed("Give a postcode, or lat and long, not both", field="postcode")
    if (lat is None) != (long is None):
        raise ValidationFailed("Give both lat and long", field="lat" if lat is None else "long")
    if lat is not None and long is not None:
        return (lat, long)
    if postcode:
        found = postcode_location(postcode)
        if found is None:
            raise ValidationFailed(
                f"We could not find the postcode {postcode}; check it or try its district",
                field="postcode",
            )
        return found
    return None


def _render_service_at_locations(
    ids: Sequence[UUID], distances: dict[UUID, float] | None = None
) -> list[Json]:
    sals = _in_order(
        selectors.service_at_locations_nested(ServiceAtLocation.objects.filter(id__in=ids)), ids
    )
    attributes = selectors.attributes_for(
        [sal.location_id for sal in sals]
        + [sal.service.organization_id for sal in sals if sal.service.organization_id is not None]
    )
    return [
        presenters.service_at_location_out(
            sal,
            attributes=attributes,
            service={
                **presenters.service_summary_out(sal.service),
                **presenters.service_organization_out(sal.service, attributes=attributes),
            },
            distance_m=(distances or {}).get(sal.id),
        )
        for sal in sals
    ]


@oruk_api.get(
    "/service_at_locations",
    operation_id="getPaginatedListOfServiceAtLocation",
    summary="Services at locations, optionally near a postcode or point",
)
def service_at_location_list(request: HttpRequest) -> Json | HttpResponseBase:
    params = request.GET
    paging = parse_paging(params)
    output = parse_format(params.get("format"))
    parse_bool(params.get("full"), field="full")  # always fully nested
    proximity = parse_float(
        params.get("proximity"), field="proximity", minimum=1, maximum=MAX_PROXIMITY_M
    )
    point = _point(request)
    if proximity is not None and point is None:
        raise ValidationFailed(
            "proximity needs a point: add a postcode, or lat and long", field="proximity"
        )
    search = params.get("search", "").strip()
    services, is_filtered = _service_filters(request)
    sals = ServiceAtLocation.objects.order_by("id")
    ranked_services: list[UUID] | None = None
    if search:
        ranked_services = _ranked_service_ids(request, services, is_filtered=is_filtered)
        sals = sals.filter(service_id__in=ranked_services)
    elif is_filtered:
        sals = sals.filter(service__in=services)

    distances: dict[UUID, float] = {}
    if point is not None:
        # The search index's "near": only the rows up to the end of the page are read.
        near = service_at_locations_near(
            point[0],
            point[1],
            radius_m=proximity,
            service_ids=ranked_services
            if ranked_services is not None
            else (services.values("id") if is_filtered else None),
            offset=0 if output == "ndjson" else paging.offset,
            limit=None if output == "ndjson" else paging.per_page,
        )
        distances = near.distances
        if output == "ndjson":
            return _ndjson(near.ids, lambda ids: _render_service_at_locations(ids, distances))
        contents = _render_service_at_locations(near.ids, distances)
        return _envelope(contents, total=near.total, paging=paging)
    if ranked_services is not None:
        rank = {service_id: n for n, service_id in enumerate(ranked_services)}
        pairs = sals.values_list("id", "service_id")
        all_ids = [i for i, s in sorted(pairs, key=lambda p: (rank[p[1]], str(p[0])))]
    else:
        all_ids = []

    if output == "ndjson":
        if ranked_services is None:
            all_ids = list(sals.values_list("id", flat=True))
        return _ndjson(all_ids, lambda ids: _render_service_at_locations(ids, distances))
    if ranked_services is None:
        ids, total = _page_ids(sals, paging)
    else:
        ids, total = all_ids[paging.offset : paging.offset + paging.per_page], len(all_ids)
    contents = _render_service_at_locations(ids, distances)
    return _envelope(contents, total=total, paging=paging)


@oruk_api.get(
    "/service_at_locations/{id}",
    operation_id="getServiceAtLocationWithNestedDataById",
    summary="A service at a location",
)
def service_at_location_detail(request: HttpRequest, id: str) -> Json:
    sal_id = require_uuid(id)
    found = _render_service_at_locations([sal_id])
    if not found:
        raise NotFound(f"No service at location has the id {sal_id}", field="id")
    return found[0]


# --- taxonomies ------------------------------------------------------------------------------


def _render_taxonomies(ids: Sequence[UUID]) -> list[Json]:
    rows = Taxonomy.objects.filter(id__in=ids)
    return [presenters.taxonomy_out(t) for t in _in_order(rows, ids)]


@oruk_api.get("/taxonomies", operation_id="getPaginatedListOfTaxonomies", summary="Taxonomies")
def taxonomy_list(request: HttpRequest) -> Json | HttpResponseBase:
    params = request.GET
    paging = parse_paging(params)
    output = parse_format(params.get("format"))
    taxonomies = selectors.taxonomies_filtered(search=params.get("search", "").strip())
    if output == "ndjson":
        return _ndjson(list(taxonomies.values_list("id", flat=True)), _render_taxonomies)
    ids, total = _page_ids(taxonomies, paging)
    return _envelope(_render_taxonomies(ids), total=total, paging=paging)


@oruk_api.get("/taxonomies/{id}", operation_id="getTaxonomyById", summary="A taxonomy")
def taxonomy_detail(request: HttpRequest, id: str) -> Json:
    taxonomy_id = require_uuid(id)
    taxonomy = Taxonomy.objects.filter(id=taxonomy_id).first()
    if taxonomy is None:
        raise NotFound(f"No taxonomy has the id {taxonomy_id}", field="id")
    terms = list(taxonomy.terms.select_related("taxonomy").order_by("id"))
    return presenters.taxonomy_out(taxonomy, terms=terms)


def _render_taxonomy_terms(ids: Sequence[UUID]) -> list[Json]:
    rows = TaxonomyTerm.objects.select_related("taxonomy").filter(id__in=ids)
    return [presenters.taxonomy_term_out(t) for t in _in_order(rows, ids)]


@oruk_api.get(
    "/taxonomy_terms", operation_id="getPaginatedListOfTaxonomyTerms", summary="Taxonomy terms"
)
def taxonomy_term_list(request: HttpRequest) -> Json | HttpResponseBase:
    params = request.GET
    paging = parse_paging(params)
    output = parse_format(params.get("format"))
    terms = selectors.taxonomy_terms_filtered(
        search=params.get("search", "").strip(),
        taxonomy_id=parse_uuid(params.get("taxonomy_id"), field="taxonomy_id"),
        parent_id=parse_uuid(params.get("parent_id"), field="parent_id"),
        top_only=parse_bool(params.get("top_only"), field="top_only"),
    )
    if output == "ndjson":
        return _ndjson(list(terms.values_list("id", flat=True)), _render_taxonomy_terms)
    ids, total = _page_ids(terms, paging)
    return _envelope(_render_taxonomy_terms(ids), total=total, paging=paging)


@oruk_api.get("/taxonomy_terms/{id}", operation_id="getTaxonomyTermById", summary="A term")
def taxonomy_term_detail(request: HttpRequest, id: str) -> Json:
    term_id = require_uuid(id)
    found = _render_taxonomy_terms([term_id])
    if not found:
        raise NotFound(f"No taxonomy term has the id {term_id}", field="id")
    return found[0]


# --- organizations ---------------------------------------------------------------------------


def _render_organizations(
    ids: Sequence[UUID], *, with_services: bool = False, full_service: bool = False
) -> list[Json]:
    organizations = _in_order(
        selectors.organizations_nested(Organization.objects.filter(id__in=ids)), ids
    )
    attributes = selectors.attributes_for(ids)
    out = [presenters.organization_out(o, attributes=attributes) for o in organizations]
    if not (with_services or full_service):
        return out
    services = Service.objects.filter(organization_id__in=ids).order_by("id")
    by_organization: dict[UUID | None, list[Json]] = {o.id: [] for o in organizations}
    if full_service:
        rows = list(selectors.services_nested(services))
        service_attributes = selectors.attributes_for(selectors.ids_for_attributes(rows))
        for service in rows:
            by_organization[service.organization_id].append(
                presenters.service_out(service, attributes=service_attributes)
            )
    else:
        for service in services:
            by_organization[service.organization_id].append(presenters.service_summary_out(service))
    for organization in out:
        organization["services"] = by_organization[UUID(organization["id"])]
    return out


@oruk_api.get(
    "/organizations", operation_id="getPaginatedListOfOrganizations", summary="Organisations"
)
def organization_list(request: HttpRequest) -> Json | HttpResponseBase:
    params = request.GET
    paging = parse_paging(params)
    output = parse_format(params.get("format"))
    full_service = parse_bool(params.get("full_service"), field="full_service")
    with_services = parse_bool(params.get("full"), field="full")
    organizations = selectors.organizations_filtered(search=params.get("search", "").strip())

    def render(ids: Sequence[UUID]) -> list[Json]:
        return _render_organizations(ids, with_services=with_services, full_service=full_service)

    if output == "ndjson":
        return _ndjson(list(organizations.values_list("id", flat=True)), render)
    ids, total = _page_ids(organizations, paging)
    return _envelope(render(ids), total=total, paging=paging)


@oruk_api.get("/organizations/{id}", operation_id="getOrganizationById", summary="An organisation")
def organization_detail(request: HttpRequest, id: str) -> Json:
    organization_id = require_uuid(id)
    full_service = parse_bool(request.GET.get("full_service"), field="full_service")
    found = _render_organizations([organization_id], with_services=True, full_service=full_service)
    if not found:
        raise NotFound(f"No organisation has the id {organization_id}", field="id")
    return found[0]
