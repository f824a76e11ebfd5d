"""Forms for staff sign-in. They validate and clean; signing in happens in the views."""

from __future__ import annotations

import re

from django import forms
from django.contrib.auth.forms import AuthenticationForm
from django.utils.translation import gettext_lazy as _

CODE = re.compile(r"^\d{6}$")


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
