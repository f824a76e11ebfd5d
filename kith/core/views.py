from __future__ import annotations

import datetime as dt
from typing import Any
from urllib.parse import urlencode

from django.conf import settings
from django.contrib import messages
from django.contrib.auth import logout
from django.contrib.auth import views as auth_views
from django.contrib.auth.views import redirect_to_login
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render, resolve_url
from django.urls import reverse
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from markupsafe import Markup

from kith.core.forms import SecondFactorForm, StaffSignInForm
from kith.core.second_factor import (
    CodeResult,
    is_verified,
    totp_code_check,
    totp_device_confirmed,
    totp_device_pending,
    totp_key_text,
    totp_qr_svg,
)
from kith.core.staff_sessions import staff_session_is_fresh

# Setting up a device needs a password typed this recently, in this session.
SET_UP_WITHIN = dt.timedelta(minutes=10)


def home_view(request: HttpRequest) -> HttpResponse:
    return render(request, "core/home.jinja")


def accessibility_view(request: HttpRequest) -> HttpResponse:
    return render(request, "core/accessibility.jinja")


def privacy_view(request: HttpRequest) -> HttpResponse:
    return render(request, "core/privacy.jinja")


class SignInView(auth_views.LoginView):
    """Staff sign in with a password here, then with a code from their authenticator app."""

    template_name = "core/sign_in.jinja"
    authentication_form = StaffSignInForm
    redirect_authenticated_user = True

    def get_success_url(self) -> str:
        destination = super().get_success_url()
        if is_verified(self.request.user):
            return destination
        return _second_factor_url(self.request.user, destination)

    def form_invalid(self, form: Any) -> HttpResponse:
        response = super().form_invalid(form)
        response.status_code = 400
        return response


def sign_in_code_view(request: HttpRequest) -> HttpResponse:
    """The second step: the 6-digit code from the member of staff's authenticator app."""
    if not request.user.is_authenticated:
        return redirect_to_login(request.get_full_path())
    destination = _destination(request)
    if is_verified(request.user):
        return redirect(destination)
    device = totp_device_confirmed(request.user)
    if device is None:
        return redirect(_with_next("core:sign_in_set_up", destination))
    form = SecondFactorForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        result = totp_code_check(request=request, device=device, code=form.cleaned_data["code"])
        if result == CodeResult.VERIFIED:
            return redirect(destination)
        if result == CodeResult.LOCKED_OUT:
            return locked_out_response(request)
        form.add_error("code", _code_error(result))
    context = {"form": form, "next": _next_param(request)}
    return render(request, "core/sign_in_code.jinja", context, status=400 if form.errors else 200)


def sign_in_set_up_view(request: HttpRequest) -> HttpResponse:
    """First sign-in: set up an authenticator app with a QR code (or its key typed in)."""
    if not request.user.is_authenticated:
        return redirect_to_login(request.get_full_path())
    destination = _destination(request)
    if is_verified(request.user):
        return redirect(destination)
    if totp_device_confirmed(request.user) is not None:
        # Only an administrator can replace a device, never someone with just the password.
        return redirect(_with_next("core:sign_in_code", destination))
    if not staff_session_is_fresh(request, within=SET_UP_WITHIN):
        # A session left open (say, after an administrator reset the device) cannot add one.
        logout(request)
        messages.info(request, _("Sign in again to set up your authenticator app."))
        return redirect_to_login(destination)
    device = totp_device_pending(request.user)
    form = SecondFactorForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        result = totp_code_check(
            request=request, device=device, code=form.cleaned_data["code"], confirming=True
        )
        if result == CodeResult.VERIFIED:
            return redirect(destination)
        if result == CodeResult.LOCKED_OUT:
            return locked_out_response(request)
        form.add_error("code", _code_error(result))
    label = _("QR code to scan with your authenticator app. If you cannot scan it, use the key.")
    context = {
        "form": form,
        "next": _next_param(request),
        "qr_code": Markup(totp_qr_svg(device, label=label)),  # noqa: S704 - made by segno
        "key_text": totp_key_text(device),
    }
    status = 400 if form.errors else 200
    return render(request, "core/sign_in_set_up.jinja", context, status=status)


def locked_out_response(
    request: HttpRequest, original_response: Any = None, credentials: Any = None
) -> HttpResponse:
    """The lockout page (django-axes calls this too): what happened, and what to do."""
    if request.user.is_authenticated:
        logout(request)  # a password alone must not keep a session that is locked out
    minutes = int(settings.AXES_COOLOFF_TIME.total_seconds() // 60)
    context = {"minutes": minutes, "attempts": settings.AXES_FAILURE_LIMIT}
    return render(
        request, "core/locked_out.jinja", context, status=settings.AXES_HTTP_RESPONSE_CODE
    )


def _code_error(result: CodeResult) -> str:
    if result == CodeResult.WAIT:
        return _("Wait a few seconds, then enter the code your authenticator app shows now")
    return _(
        "The code is not right, or it has been used already. "
        "Enter the code your authenticator app shows now"
    )


def _next_param(request: HttpRequest) -> str:
    """The `next` the page was given, if it is an address on this site; else empty."""
    value = request.POST.get("next") or request.GET.get("next") or ""
    is_safe = url_has_allowed_host_and_scheme(
        value, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    )
    return value if value and is_safe else ""


def _destination(request: HttpRequest) -> str:
    return _next_param(request) or resolve_url(settings.LOGIN_REDIRECT_URL)


def _with_next(view_name: str, destination: str) -> str:
    return f"{reverse(view_name)}?{urlencode({'next': destination})}"


def _second_factor_url(user: Any, destination: str) -> str:
    if totp_device_confirmed(user) is None:
        return _with_next("core:sign_in_set_up", destination)
    return _with_next("core:sign_in_code", destination)


def page_not_found_view(request: HttpRequest, exception: Exception | None = None) -> HttpResponse:
    return render(request, "core/404.jinja", status=404)


def server_error_view(request: HttpRequest) -> HttpResponse:
    return render(request, "core/500.jinja", status=500)


def health_view(request: HttpRequest) -> HttpResponse:
    """For load balancers and as the bare baseline in benchmarks: no template, no database."""
    return HttpResponse("ok", content_type="text/plain")
