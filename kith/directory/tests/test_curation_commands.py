"""Staff accounts from the command line and the demo: `kith add-editor` and the demo editors."""

from __future__ import annotations

import io
from base64 import b32decode

import pytest
from django.contrib.auth import authenticate
from django.contrib.auth.models import User
from django.core.management import CommandError, call_command
from django.test import Client, RequestFactory

from kith.core.testing import text
from kith.core.testing.staff import totp_code
from kith.demo.editors import load_demo_editors
from kith.directory.selectors.curation import EDITORS_GROUP_NAME, is_directory_editor


def _authenticate(username: str, password: str) -> User | None:
    """Check a password as the sign-in page does (django-axes needs the request)."""
    request = RequestFactory().post("/staff/sign-in/")
    user = authenticate(request, username=username, password=password)
    assert user is None or isinstance(user, User)
    return user


@pytest.mark.django_db
def test_demo_editors_can_sign_in_with_the_documented_password(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    # given
    monkeypatch.delenv("KITH_DEMO_PASSWORD", raising=False)
    # when loaded twice
    load_demo_editors()
    lines = load_demo_editors()
    # then
    editors = User.objects.filter(groups__name=EDITORS_GROUP_NAME).order_by("username")
    assert [u.username for u in editors] == ["editor.amara", "editor.tom"]
    assert all(u.email.endswith("@example.com") for u in editors)
    for user in editors:
        assert _authenticate(user.username, "kith-demo-editor") == user
    assert lines[0] == (
        'Demo directory editors: "editor.amara" and "editor.tom", password \'kith-demo-editor\'.'
    )
    assert "/staff/sign-in/" in lines[1]


@pytest.mark.django_db
def test_demo_password_comes_from_the_environment(monkeypatch: pytest.MonkeyPatch) -> None:
    # given
    monkeypatch.setenv("KITH_DEMO_PASSWORD", "another-demo-password")
    # when
    load_demo_editors()
    # then
    assert _authenticate("editor.tom", "another-demo-password") is not None
    assert _authenticate("editor.tom", "kith-demo-editor") is None


@pytest.mark.django_db
def test_add_editor_generates_a_password_and_adds_to_the_group() -> None:
    # given
    out = io.StringIO()
    # when
    call_command(
        "add_editor", "sam.editor", email="sam@example.com", generate_password=True, stdout=out
    )
    # then
    lines = out.getvalue().splitlines()
    assert lines[0] == "sam.editor is a directory editor. Sign in at /staff/sign-in/."
    password = lines[1].removeprefix("Their password (shown once): ")
    assert len(password) == 24
    user = User.objects.get(username="sam.editor")
    assert user.email == "sam@example.com"
    assert _authenticate("sam.editor", password) == user
    assert is_directory_editor(user) is True


@pytest.mark.django_db
def test_add_editor_refuses_a_bad_email() -> None:
    with pytest.raises(CommandError, match="like name@example.com"):
        call_command("add_editor", "sam.editor", email="sam", generate_password=True)
    assert User.objects.count() == 0


@pytest.mark.django_db
def test_a_demo_editor_signs_in_and_lands_on_the_curation_dashboard(
    client: Client, monkeypatch: pytest.MonkeyPatch
) -> None:
    # given
    monkeypatch.delenv("KITH_DEMO_PASSWORD", raising=False)
    load_demo_editors()
    # when
    response = client.post(
        "/staff/sign-in/", {"username": "editor.amara", "password": "kith-demo-editor"}
    )
    # then: a demo editor has no authenticator app yet, so sets one up first
    assert response.status_code == 302
    assert response["Location"] == "/staff/sign-in/set-up/?next=%2Fstaff%2F"
    set_up = client.get(response["Location"])
    key = b32decode(text(set_up, ".app-totp-key").replace(" ", ""))
    done = client.post(response["Location"], {"code": totp_code(key)})
    assert done["Location"] == "/staff/"
    assert client.get("/staff/")["Location"] == "/staff/directory/"
    page = client.get("/staff/directory/")
    assert text(page, "h1") == "Directory curation"
    assert text(page, ".app-staff-nav .nhsuk-body-s") == "Signed in as editor.amara."
