"""Messages go to the outbox without Notify keys, and through Notify with them; a message is sent
once the write that queued it commits."""

from __future__ import annotations

import json
import logging
from pathlib import Path
from typing import Any

import pytest
from django.test import override_settings

from kith.core import delivery, notify
from kith.core.models import OutgoingMessage


def test_given_no_notify_key_when_an_email_is_sent_then_it_lands_in_the_outbox(
    tmp_path: Path, settings: Any, caplog: pytest.LogCaptureFixture
) -> None:
    settings.VAR_DIR = tmp_path
    settings.NOTIFY_API_KEY = ""

    with caplog.at_level(logging.DEBUG):
        delivery.deliver_email(to="sam@example.com", subject="Sign in", body="secret-link-123")

    [path] = list((tmp_path / "outbox").iterdir())
    message = json.loads(path.read_text(encoding="utf-8"))
    assert (message["kind"], message["to"], message["subject"], message["body"]) == (
        "email",
        "sam@example.com",
        "Sign in",
        "secret-link-123",
    )
    assert "secret-link-123" not in caplog.text


def test_given_no_notify_key_when_a_text_is_sent_then_it_lands_in_the_outbox(
    tmp_path: Path, settings: Any
) -> None:
    settings.VAR_DIR = tmp_path
    settings.NOTIFY_API_KEY = ""

    delivery.deliver_sms(to="+447700900123", body="Your code is 123456")

    [path] = list((tmp_path / "outbox").iterdir())
    message = json.loads(path.read_text(encoding="utf-8"))
    assert (message["kind"], message["to"], message["body"]) == (
        "sms",
        "+447700900123",
        "Your code is 123456",
    )


class FakeNotifyClient:
    sent: list[tuple[str, dict[str, Any]]] = []

    def __init__(self, api_key: str) -> None:
        self.sent.append(("init", {"api_key": api_key}))

    def send_email_notification(self, **kwargs: Any) -> None:
        self.sent.append(("email", kwargs))

    def send_sms_notification(self, **kwargs: Any) -> None:
        self.sent.append(("sms", kwargs))


@override_settings(
    NOTIFY_API_KEY="test-key",
    NOTIFY_EMAIL_TEMPLATE_ID="tpl-email",
    NOTIFY_SMS_TEMPLATE_ID="tpl-sms",
)
def test_given_notify_keys_when_messages_are_sent_then_notify_gets_them_and_no_outbox(
    tmp_path: Path, settings: Any, monkeypatch: pytest.MonkeyPatch
) -> None:
    settings.VAR_DIR = tmp_path
    FakeNotifyClient.sent = []
    monkeypatch.setattr(
        "notifications_python_client.notifications.NotificationsAPIClient", FakeNotifyClient
    )

    delivery.deliver_email(to="sam@example.com", subject="Sign in", body="Hello")
    delivery.deliver_sms(to="+447700900123", body="Code 123456")

    assert FakeNotifyClient.sent == [
        ("init", {"api_key": "test-key"}),
        (
            "email",
            {
                "email_address": "sam@example.com",
                "template_id": "tpl-email",
                "personalisation": {"subject": "Sign in", "body": "Hello"},
            },
        ),
        ("init", {"api_key": "test-key"}),
        (
            "sms",
            {
                "phone_number": "+447700900123",
                "template_id": "tpl-sms",
                "personalisation": {"body": "Code 123456"},
            },
        ),
    ]
    assert not (tmp_path / "outbox").exists()


@pytest.mark.django_db
def test_given_a_message_queued_when_the_write_commits_then_it_is_sent_and_blanked(
    tmp_path: Path, settings: Any, django_capture_on_commit_callbacks: Any
) -> None:
    # given
    settings.VAR_DIR = tmp_path
    settings.NOTIFY_API_KEY = ""
    # when
    with django_capture_on_commit_callbacks(execute=True) as callbacks:
        message = notify.send_sms(to="+447700900123", body="Your code is 123456")
        # then nothing has gone before the commit
        assert not (tmp_path / "outbox").exists()
    # then
    assert len(callbacks) == 1
    [path] = list((tmp_path / "outbox").iterdir())
    assert json.loads(path.read_text(encoding="utf-8"))["body"] == "Your code is 123456"
    message.refresh_from_db()
    assert (message.status, message.to, message.body) == (OutgoingMessage.Status.SENT, "", "")
