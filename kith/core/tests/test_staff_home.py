"""Where staff land after signing in."""

from __future__ import annotations

import pytest
from django.contrib.auth import get_user_model
from django.test import Client

from kith.care.tests.factories import member_make, team_make
from kith.core.testing import text
from kith.core.testing.staff import totp_code_for, totp_device_for
from kith.directory.services.curation import editor_add

pytestmark = pytest.mark.django_db


def _sign_in(client: Client, username: str) -> None:
    """Through the pages: the password, then a code from the member's authenticator app."""
    device = totp_device_for(get_user_model().objects.get(username=username))
    response = client.post(
        "/staff/sign-in/", {"username": username, "password": "a-long-fictional-password"}
    )
    assert response.status_code == 302
    assert response["Location"] == "/staff/sign-in/code/?next=%2Fstaff%2F"
    response = client.post(response["Location"], {"code": totp_code_for(device)})
    assert response.status_code == 302
    assert response["Location"] == "/staff/"


def test_team_member_lands_on_the_huddle_board(client: Client) -> None:
    # given
    member = member_make(team=team_make(name="Brixton team", districts="SW9", hours=24))
    member.user.set_password("a-long-fictional-password")
    member.user.save()
    # when
    _sign_in(client, member.user.username)
    response = client.get("/staff/")
    # then
    assert response.status_code == 302
    assert response["Location"] == "/team/"


def test_directory_editor_lands_on_curation(client: Client) -> None:
    # given
    editor_add(
        username="editor.test", email="editor@example.com", password="a-long-fictional-password"
    )
    # when
    _sign_in(client, "editor.test")
    response = client.get("/staff/")
    # then
    assert response["Location"] == "/staff/directory/"


def test_staff_with_no_role_yet_are_told_so(client: Client) -> None:
    # given
    get_user_model().objects.create_user(
        username="new.starter", password="a-long-fictional-password"
    )
    # when
    _sign_in(client, "new.starter")
    response = client.get("/staff/")
    # then
    assert response.status_code == 200
    assert text(response, "h1") == "Nothing to show yet"


def test_signed_out_visitors_are_sent_to_sign_in(client: Client) -> None:
    response = client.get("/staff/")
    assert response.status_code == 302
    assert response["Location"].startswith("/staff/sign-in/")
