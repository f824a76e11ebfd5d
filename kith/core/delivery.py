"""How a message leaves Kith: GOV.UK Notify in production, the outbox in development.

With `NOTIFY_API_KEY` and the template ids set, messages go through GOV.UK Notify. The templates
are generic: an email template with `((subject))` and `((body))`, a text template with `((body))`.
Without a key, each message is printed to the console and written as a file into
`var/outbox/` (settings.VAR_DIR), so a developer can open a sign-in link. Message bodies are never
written to the log: they can hold sign-in secrets and personal details.

Callers never use this module: they queue a message with `kith.core.notify`, and the worker's
`message_send` task calls `message_deliver`.
"""

from __future__ import annotations

import itertools
import json
import logging
import sys
import uuid
from pathlib import Path

from django.conf import settings
from django.db import transaction
from django.utils import timezone

from kith.core.models import OutgoingMessage

logger = logging.getLogger(__name__)


def outbox_dir() -> Path:
    return Path(settings.VAR_DIR) / "outbox"


def _uses_notify() -> bool:
    return bool(getattr(settings, "NOTIFY_API_KEY", ""))


_sequence = itertools.count()


def _write_outbox(*, kind: str, to: str, subject: str, body: str) -> Path:
    folder = outbox_dir()
    folder.mkdir(parents=True, exist_ok=True)
    stamp = timezone.now().strftime("%Y%m%dT%H%M%S%f")
    # The sequence keeps the files in sending order when two share a timestamp (a coarse clock,
    # or a test that stops time).
    path = folder / f"{stamp}-{next(_sequence):08d}-{kind}-{uuid.uuid4().hex[:8]}.json"
    message = {"kind": kind, "to": to, "subject": subject, "body": body, "at": stamp}
    path.write_text(json.dumps(message, indent=2, ensure_ascii=False), encoding="utf-8")
    # The development console is the outbox's other half; never the log.
    sys.stdout.write(f"\n--- {kind} to {to} ---\n{subject}\n{body}\n--- end ---\n")
    return path


def deliver_email(*, to: str, subject: str, body: str) -> None:
    if _uses_notify():
        from notifications_python_client.notifications import NotificationsAPIClient

        client = NotificationsAPIClient(settings.NOTIFY_API_KEY)
        client.send_email_notification(
            email_address=to,
            template_id=settings.NOTIFY_EMAIL_TEMPLATE_ID,
            personalisation={"subject": subject, "body": body},
        )
        logger.info("email sent through Notify")
        return
    _write_outbox(kind="email", to=to, subject=subject, body=body)


def deliver_sms(*, to: str, body: str) -> None:
    if _uses_notify():
        from notifications_python_client.notifications import NotificationsAPIClient

        client = NotificationsAPIClient(settings.NOTIFY_API_KEY)
        client.send_sms_notification(
            phone_number=to,
            template_id=settings.NOTIFY_SMS_TEMPLATE_ID,
            personalisation={"body": body},
        )
        logger.info("text message sent through Notify")
        return
    _write_outbox(kind="sms", to=to, subject="", body=body)


def message_deliver(*, message_id: str) -> bool:
    """Send a queued message, then blank its recipient and words. False when there is nothing
    to send (sent already, or deleted). A failure raises, and the task is tried again; a message
    handed to Notify just before a crash may go twice, which beats never."""
    with transaction.atomic():
        message = (
            OutgoingMessage.objects.select_for_update()
            .filter(pk=message_id, status=OutgoingMessage.Status.WAITING)
            .first()
        )
        if message is None:
            return False
        if message.channel == OutgoingMessage.Channel.EMAIL:
            deliver_email(to=message.to, subject=message.subject, body=message.body)
        else:
            deliver_sms(to=message.to, body=message.body)
        message.to = message.subject = message.body = ""
        message.status = OutgoingMessage.Status.SENT
        message.sent_at = timezone.now()
        message.save(update_fields=["to", "subject", "body", "status", "sent_at", "updated_at"])
    return True
