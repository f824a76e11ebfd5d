"""Keeping the search index in step with the listings: the one way to re-index.

Contract:
- `services_reindex(service_ids)` is the only function a write path calls after changing data
  the search index holds (see `kith/directory/search/__init__.py`): a service's name, other
  name, description, eligibility, status, cost (free), referral, support types, languages,
  organisation's name, its locations (name, point, step-free access), its service-at-locations,
  schedules and closed dates. Curation publishing, the ORUK importer, the demo and every
  Django admin page that edits those call it, bulk paths once per batch, in the same
  transaction as the write.
- Give it every service whose rows may have changed, before and after the write (an attribute
  moved from one service to another changes both). Ids of services that no longer exist or are
  no longer active only lose their rows. `None` rebuilds the whole index.
- Phones, contacts, addresses, cost options and accessibility notes are not in the index: the
  page of hits reads them live, so changing them needs no re-index.
- `service_ids_indexed_with(...)` finds the services whose rows carry an organisation,
  location, attribute or taxonomy term, for writes to those.
"""

from __future__ import annotations

from collections.abc import Iterable
from uuid import UUID

from kith.directory.embedding.fusion import dense_search_is_on
from kith.directory.models import Attribute, Service, ServiceAtLocation
from kith.directory.search import index_services
from kith.directory.services.embedding import services_embed_later


def services_reindex(service_ids: Iterable[UUID] | None) -> None:
    """Bring the search index up to date for these services (None: rebuild all of it), and
    queue their meaning vectors for dense search once the write commits."""
    if service_ids is None:
        index_services(None)
        if dense_search_is_on():
            services_embed_later(None)
        return
    ids = list(dict.fromkeys(service_ids))
    if ids:
        index_services(ids)
        if dense_search_is_on():
            services_embed_later(ids)


def service_ids_indexed_with(
    *,
    organization_ids: Iterable[UUID] = (),
    location_ids: Iterable[UUID] = (),
    attribute_ids: Iterable[UUID] = (),
    taxonomy_term_ids: Iterable[UUID] = (),
    taxonomy_ids: Iterable[UUID] = (),
) -> set[UUID]:
    """The services whose index rows carry any of these, as the database holds them now."""
    found: set[UUID] = set()
    if organization_ids := list(organization_ids):
        found |= set(
            Service.objects.filter(organization_id__in=organization_ids).values_list(
                "id", flat=True
            )
        )
    if location_ids := list(location_ids):
        found |= set(
            ServiceAtLocation.objects.filter(location_id__in=location_ids).values_list(
                "service_id", flat=True
            )
        )
    tagged = Attribute.objects.filter(link_entity="service")
    if attribute_ids := list(attribute_ids):
        found |= set(tagged.filter(id__in=attribute_ids).values_list("link_id", flat=True))
    if taxonomy_term_ids := list(taxonomy_term_ids):
        found |= set(
            tagged.filter(taxonomy_term_id__in=taxonomy_term_ids).values_list("link_id", flat=True)
        )
    if taxonomy_ids := list(taxonomy_ids):
        found |= set(
            tagged.filter(taxonomy_term__taxonomy_id__in=taxonomy_ids).values_list(
                "link_id", flat=True
            )
        )
    return found
