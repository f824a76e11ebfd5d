"""Writes for "Report something wrong": a member of the public flags a listing for the staff queue.

Contract: `listing_report_submit` validates everything before saving and raises ValidationFailed
(with the field at fault) for anything a person can correct; nothing is saved in that case. Reports
hold no personal data: no name, no contact details, no IP address.
"""

from __future__ import annotations

from django.core.exceptions import ValidationError
from django.db import transaction

from kith.core.errors import ValidationFailed
from kith.directory.models import ListingReport, Service


@transaction.atomic
def listing_report_submit(*, service: Service, reason: str, details: str = "") -> ListingReport:
    report = ListingReport(service=service, reason=reason, details=details.strip())
    try:
        report.full_clean()
    except ValidationError as error:
        field, messages = next(iter(error.message_dict.items()))
        raise ValidationFailed(messages[0], field=field) from error
    report.save()
    return report
