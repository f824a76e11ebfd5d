"""Sending email and text messages: queued with the write that causes them, sent by the worker.

`send_email` and `send_sms` store the message as an `OutgoingMessage` row and enqueue the
`message_send` task with only the row's id, once the transaction commits: nothing is sent for a
write that rolled back, and the recipient and words (which can hold a sign-in secret) never sit
in the task queue. The worker sends it (`kith.core.delivery`: GOV.UK Notify, or the outbox in
development) and blanks the row. A failure to send is retried with back-off. Message bodies are
never written to the log.
"""

from __future__ import annotations

from kith.core.background import enqueue_on_commit
from kith.core.delivery import outbox_dir
from kith.core.models import OutgoingMessage
from kith.core.tasks import message_send

__all__ = ["outbox_dir", "send_email", "send_sms"]


def _queue(*, channel: str, to: str, subject: str, body: str) -> OutgoingMessage:
    message = OutgoingMessage.objects.create(channel=channel, to=to, subject=subject, body=body)
    enqueue_on_commit(message_send, str(message.pk))
    return message


def send_email(*, to: str, subject: str, body: str) -> OutgoingMessage:
    return _queue(channel=OutgoingMessage.Channel.EMAIL, to=to, subject=subject, body=body)


def send_sms(*, to: str, body: str) -> OutgoingMessage:
    return _queue(channel=OutgoingMessage.Channel.SMS, to=to, subject="", body=body)
