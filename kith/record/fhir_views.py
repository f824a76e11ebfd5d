"""The person's own record as HL7 FHIR, downloaded from /my/download/. Staff have no export."""

from __future__ import annotations

import json

from django.http import HttpRequest, HttpResponse
from django.utils import timezone
from django.views.decorators.http import require_GET

from kith.people.access import person_required
from kith.people.models import Person
from kith.record.services import person_export_fhir

FHIR_JSON = "application/fhir+json; charset=utf-8"


@require_GET
@person_required
def download_fhir_view(request: HttpRequest, person: Person) -> HttpResponse:
    bundle = person_export_fhir(person=person)
    body = json.dumps(bundle, indent=2, ensure_ascii=False)
    response = HttpResponse(body, content_type=FHIR_JSON)
    filename = f"kith-record-fhir-{timezone.localdate():%Y-%m-%d}.json"
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    return response
