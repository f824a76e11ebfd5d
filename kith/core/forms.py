"""Forms for staff sign-in. They validate and clean; signing in happens in the views."""

from __future__ import annotations

import re
from collections.abc import Mapping
from typing import cast

from django import forms
from django.contrib.auth.forms import AuthenticationForm
from django.core.validators import MaxLengthValidator
from django.http import HttpRequest
from django.utils.translation import gettext_lazy as _

CODE = re.compile(r"^\d{6}$")
# django-axes keeps the username of every failed sign-in in a column this long.
LOCKOUT_USERNAME_LENGTH = 255


def lockout_username(request: HttpRequest, credentials: Mapping[str, object] | None) -> str | None:
    """The username django-axes records for a sign-in (AXES_USERNAME_CALLABLE), cut to fit its
    column: Django's sign-in forms, the admin's included, do not limit its length themselves."""
    source = credentials if credentials else getattr(request, "data", request.POST)
    username = source.get("username")
    return username[:LOCKOUT_USERNAME_LENGTH] if isinstance(username, str) else None


class StaffSignInForm(AuthenticationForm):
    error_messages = {
        "invalid_login": _(
            "The username or password is not right. Check them and try again. "
            "Both are case-sensitive."
        ),
        "inactive": _("This account is not active. Ask the person who runs Kith."),
    }

    def __init__(self, *args: object, **kwargs: object) -> None:
        super().__init__(*args, **kwargs)  # type: ignore[arg-type]
        self.fields["username"].error_messages["required"] = _("Enter your username")
        # AuthenticationForm sets max_length after the field is built, so nothing enforces it.
        longest = cast(forms.CharField, self.fields["username"]).max_length
        self.fields["username"].validators.append(
            MaxLengthValidator(
                longest, message=_("Enter a username of %(limit_value)d characters or fewer")
            )
        )
        self.fields["password"].error_messages["required"] = _("Enter your password")


class SecondFactorForm(forms.Form):
    code = forms.CharField(
        max_length=20,
        error_messages={
            "required": _("Enter the 6-digit code from your authenticator app"),
            "max_length": _("Enter the code as 6 numbers, like 123456"),
        },
    )

    def clean_code(self) -> str:
        code = re.sub(r"[\s-]", "", self.cleaned_data["code"])
        if not CODE.match(code):
            raise forms.ValidationError(_("Enter the code as 6 numbers, like 123456"))
        return code
