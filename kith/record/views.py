"""The public's sign-in pages and their own record under /my/. Views stay thin."""

from __future__ import annotations

import json
import secrets
from collections.abc import Callable
from typing import TYPE_CHECKING

from django import forms
from django.conf import settings
from django.contrib import messages
from django.core.exceptions import NON_FIELD_ERRORS
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.views.decorators.http import require_http_methods, require_POST

from kith.asks import selectors as ask_selectors
from kith.care.consent import (
    consent_allow,
    consent_for_person,
    consent_share,
    consent_teams_shared,
    consent_withdraw,
    consent_withhold,
    sharing_for_person,
    teams_all,
)
from kith.care.selectors import notes_for_person, plans_for_person
from kith.core.client import client_address
from kith.core.errors import ValidationFailed
from kith.people import services
from kith.people.access import SESSION_KEY, current_person, person_required
from kith.people.models import PendingContact, Person
from kith.people.selectors import pending_contact_for_person, person_access_by_others
from kith.people.sessions import person_session_end_message, person_session_start, remember_hint
from kith.record import services as record_services
from kith.record.forms import (
    CodeForm,
    ConsentForm,
    ContactForm,
    EmailSignInForm,
    ReferenceSignInForm,
    RememberForm,
    ShareForm,
    SignInCodeForm,
    TextSignInForm,
    WithholdForm,
)
from kith.record.presenters import access_entries, readable_record, staff_name_and_role
from kith.teams.selectors import staff_for_actor_ids, staff_for_events

if TYPE_CHECKING:
    from kith.people.models import Consent

PENDING_KEY = "sign_in_pending"
# A random value this browser session keeps, so a code works only in the session that asked for
# it: someone who names another person's contact gets no use of the code sent to them.
CODE_BINDING_KEY = "sign_in_code_binding"
CLOSED_KEY = "account_closed_lines"
View = Callable[..., HttpResponse]


def _ip(request: HttpRequest) -> str:
    return client_address(request)


def _limited(request: HttpRequest) -> HttpResponse:
    """Too many messages: say so plainly, and never hide the crisis options."""
    context = {"crisis_options": ask_selectors.crisis_options()}
    return render(request, "people/sign_in_limited.jinja", context, status=429)


def _ask_matches(reference: str, contact: str) -> bool:
    """Whether the ask with this reference has this contact on it (`ReferenceSignInForm`
    has normalised both)."""
    return ask_selectors.ask_by_reference_and_contact(reference, contact) is not None


def _code_binding(request: HttpRequest) -> str:
    """This session's binding for sign-in codes, made the first time one is asked for."""
    binding = request.session.get(CODE_BINDING_KEY)
    if not isinstance(binding, str) or not binding:
        binding = secrets.token_urlsafe(32)
        request.session[CODE_BINDING_KEY] = binding
    return binding


def _start_session(request: HttpRequest, person: Person, *, remember: bool) -> None:
    request.session.cycle_key()  # a new session id, so a planted one is useless
    request.session.pop(PENDING_KEY, None)
    request.session.pop(CODE_BINDING_KEY, None)
    request.session[SESSION_KEY] = str(person.id)
    person_session_start(request=request, remember=remember)


def _add_service_error(form: forms.Form, error: ValidationFailed) -> None:
    field = error.field if error.field in form.fields else None
    form.add_error(field, error.message)


@require_http_methods(["GET", "POST"])
def sign_in_view(request: HttpRequest) -> HttpResponse:
    if current_person(request):
        return redirect("people:record")
    form = EmailSignInForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        email = form.cleaned_data["email"]
        result = services.sign_in_send_link(
            email=email, ip=_ip(request), base_url=request.build_absolute_uri("/")
        )
        if result is services.SendResult.LIMITED:
            return _limited(request)
        request.session[PENDING_KEY] = {"kind": "email", "contact": email}
        return redirect("people:sign_in_check_email")
    context = {"form": form, "signed_out_message": person_session_end_message(request)}
    return render(request, "people/sign_in.jinja", context)


def sign_in_check_email_view(request: HttpRequest) -> HttpResponse:
    pending = request.session.get(PENDING_KEY) or {}
    if pending.get("kind") != "email":
        return redirect("people:sign_in")
    return render(request, "people/sign_in_check_email.jinja", {"email": pending["contact"]})


@require_http_methods(["GET", "POST"])
def sign_in_text_view(request: HttpRequest) -> HttpResponse:
    form = TextSignInForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        result, pending = services.sign_in_send_code(
            phone=form.cleaned_data["phone"],
            ip=_ip(request),
            session_binding=_code_binding(request),
        )
        if result is services.SendResult.LIMITED:
            return _limited(request)
        request.session[PENDING_KEY] = pending
        return redirect("people:sign_in_code")
    return render(request, "people/sign_in_text.jinja", {"form": form})


@require_http_methods(["GET", "POST"])
def sign_in_reference_view(request: HttpRequest) -> HttpResponse:
    form = ReferenceSignInForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            result, pending = services.sign_in_send_reference_code(
                reference=form.cleaned_data["reference"],
                contact=form.cleaned_data["contact"],
                ip=_ip(request),
                session_binding=_code_binding(request),
                ask_matches=_ask_matches,
            )
        except ValidationFailed as error:
            _add_service_error(form, error)
        else:
            if result is services.SendResult.LIMITED:
                return _limited(request)
            # The code page then says what to check if no code comes (the same whether or not
            # the reference matched: nobody learns which references exist).
            request.session[PENDING_KEY] = {**pending, "via": "reference"}
            return redirect("people:sign_in_code")
    return render(request, "people/sign_in_reference.jinja", {"form": form})


@require_http_methods(["GET", "POST"])
def sign_in_code_view(request: HttpRequest) -> HttpResponse:
    pending = request.session.get(PENDING_KEY) or {}
    if pending.get("kind") not in {"email", "phone"}:
        return redirect("people:sign_in")
    form = SignInCodeForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            person = services.sign_in_with_code(
                pending=pending,
                code=form.cleaned_data["code"],
                session_binding=str(request.session.get(CODE_BINDING_KEY) or ""),
            )
        except ValidationFailed as error:
            _add_service_error(form, error)
        else:
            _start_session(request, person, remember=form.cleaned_data["remember"])
            return redirect("people:record")
    context = {"form": form, "pending": pending, "remember_hint": remember_hint()}
    return render(request, "people/sign_in_code.jinja", context)


@require_http_methods(["GET", "POST"])
def sign_in_link_view(request: HttpRequest, secret: str) -> HttpResponse:
    """GET only shows a button, so an email scanner following the link cannot use it up."""
    # Bound on every POST: an unticked box sends no field at all.
    form = RememberForm(request.POST if request.method == "POST" else None)
    if request.method == "POST" and form.is_valid():
        try:
            person = services.sign_in_with_link(secret=secret)
        except ValidationFailed as error:
            # 200, not 400: Django logs 4xx paths, and this path holds the (dead) secret.
            failed = {"message": error.message}
            return render(request, "people/sign_in_link_failed.jinja", failed)
        _start_session(request, person, remember=form.cleaned_data["remember"])
        return redirect("people:record")
    # The site-wide Referrer-Policy (same-origin) keeps the secret from other sites. Not
    # "no-referrer": browsers then send "Origin: null" and the CSRF check refuses the POST.
    context = {"form": form, "remember_hint": remember_hint()}
    return render(request, "people/sign_in_link.jinja", context)


@require_POST
def sign_out_view(request: HttpRequest) -> HttpResponse:
    request.session.flush()
    return redirect("people:sign_in")


@person_required
def record_view(request: HttpRequest, person: Person) -> HttpResponse:
    asks = ask_selectors.asks_for_person(person)
    notes = notes_for_person(person)
    plans = plans_for_person(person)
    shared_with = consent_teams_shared(person=person)
    context = {
        "person": person,
        "asks": asks,
        "notes": notes,
        "plans": plans,
        "shared_with": shared_with,
        "staff_name_and_role": staff_name_and_role,
    }
    return render(request, "people/record.jinja", context)


@require_http_methods(["GET", "POST"])
@person_required
def contact_view(request: HttpRequest, person: Person) -> HttpResponse:
    initial = {
        "display_name": person.display_name,
        "email": person.email,
        "phone": person.phone,
        "preferred_contact": person.preferred_contact,
    }
    form = ContactForm(request.POST or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        try:
            waiting = services.person_update_contact(
                person=person, ip=_ip(request), **form.cleaned_data
            )
        except ValidationFailed as error:
            _add_service_error(form, error)
        else:
            return redirect("people:contact_confirm" if waiting else "people:record")
    values = request.POST if request.method == "POST" else initial
    context = {
        "person": person,
        "form": form,
        "values": values,
        "is_email_unproved": bool(person.email) and person.email_verified_at is None,
        "is_phone_unproved": bool(person.phone) and person.phone_verified_at is None,
    }
    return render(request, "people/contact.jinja", context)


CONFIRMED: dict[str, str] = {
    PendingContact.Kind.EMAIL: "Your email address is now {contact}.",
    PendingContact.Kind.PHONE: "Your mobile number is now {contact}.",
}


@require_http_methods(["GET", "POST"])
@person_required
def contact_confirm_view(request: HttpRequest, person: Person) -> HttpResponse:
    """Enter the code sent to a new email address or mobile number; one at a time, email first."""
    pending = pending_contact_for_person(person=person)
    if pending is None:
        return redirect("people:contact")
    form = CodeForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            services.person_confirm_contact(
                person=person, pending=pending, code=form.cleaned_data["code"]
            )
        except ValidationFailed as error:
            _add_service_error(form, error)
        else:
            messages.success(request, CONFIRMED[pending.kind].format(contact=pending.contact))
            more = pending_contact_for_person(person=person)
            return redirect("people:contact_confirm" if more else "people:contact")
    context = {
        "person": person,
        "pending": pending,
        "form": form,
        "code_minutes": settings.KITH_SIGN_IN_CODE_MINUTES,
    }
    return render(request, "people/contact_confirm.jinja", context)


@person_required
def download_view(request: HttpRequest, person: Person) -> HttpResponse:
    export = record_services.person_export(person=person)
    staff = staff_for_actor_ids(row["actor_id"] for row in export["audit_log"])
    context = {"person": person, "record": readable_record(export, staff=staff)}
    return render(request, "people/download.jinja", context)


@person_required
def download_json_view(request: HttpRequest, person: Person) -> HttpResponse:
    data = record_services.person_export(person=person)
    body = json.dumps(data, indent=2, ensure_ascii=False, default=str)
    response = HttpResponse(body, content_type="application/json; charset=utf-8")
    filename = f"kith-record-{timezone.localdate():%Y-%m-%d}.json"
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    return response


@require_http_methods(["GET", "POST"])
@person_required
def close_view(request: HttpRequest, person: Person) -> HttpResponse:
    if request.method == "POST":
        lines = record_services.person_close(person=person)
        request.session.flush()
        request.session[CLOSED_KEY] = lines
        return redirect("people:closed")
    return render(request, "people/close.jinja", {"person": person})


def closed_view(request: HttpRequest) -> HttpResponse:
    lines = request.session.get(CLOSED_KEY)
    if lines is None:
        return redirect("people:sign_in")
    return render(request, "people/closed.jinja", {"lines": lines})


@person_required
def access_log_view(request: HttpRequest, person: Person) -> HttpResponse:
    events = person_access_by_others(person=person)
    entries = access_entries(events, person_id=str(person.id), staff=staff_for_events(events))
    return render(request, "people/access_log.jinja", {"person": person, "entries": entries})


# Who can see your record: one decision per form, each a POST that comes back to the page.


def _sharing_page(
    request: HttpRequest,
    person: Person,
    *,
    form: forms.Form | None = None,
    share_form: ShareForm | None = None,
    status: int = 200,
) -> HttpResponse:
    sharing = sharing_for_person(person=person)
    if form is not None and not (form is share_form and sharing.teams_to_share_with):
        # Hidden inputs and buttons: the error is about the page, not a field on it.
        problems = [str(message) for errors in form.errors.values() for message in errors]
        form.errors.clear()
        form.errors[NON_FIELD_ERRORS] = form.error_class(problems)
    context = {
        "person": person,
        "sharing": sharing,
        "form": form,
        "share_form": share_form or ShareForm(teams=sharing.teams_to_share_with),
        "crisis_options": ask_selectors.crisis_options(),
    }
    return render(request, "people/sharing.jinja", context, status=status)


@person_required
def sharing_view(request: HttpRequest, person: Person) -> HttpResponse:
    return _sharing_page(request, person)


@require_POST
@person_required
def sharing_share_view(request: HttpRequest, person: Person) -> HttpResponse:
    form = ShareForm(request.POST, teams=teams_all())
    if form.is_valid():
        team = form.cleaned_data["team"]
        try:
            consent_share(person=person, team=team)
        except ValidationFailed as error:
            _add_service_error(form, error)
        else:
            messages.success(
                request, f"You shared your record with {team.name}. They can see it from now on."
            )
            return redirect("people:sharing")
    return _sharing_page(request, person, form=form, share_form=form, status=400)


def _consent_change(
    request: HttpRequest,
    person: Person,
    change: Callable[..., Consent],
    message: Callable[[Consent], str],
) -> HttpResponse:
    """One of the person's own decisions, named by its id in the form, changed by `change`."""
    form = ConsentForm(request.POST)
    if form.is_valid():
        consent = consent_for_person(consent_id=form.cleaned_data["consent"], person=person)
        if consent is None:
            raise Http404("No such consent for this person")
        try:
            change(person=person, consent=consent)
        except ValidationFailed as error:
            _add_service_error(form, error)
        else:
            messages.success(request, message(consent))
            return redirect("people:sharing")
    return _sharing_page(request, person, form=form, status=400)


@require_POST
@person_required
def sharing_withdraw_view(request: HttpRequest, person: Person) -> HttpResponse:
    return _consent_change(
        request,
        person,
        consent_withdraw,
        lambda consent: (
            f"You stopped sharing your record with {consent.team.name}. They cannot see it "
            "or act on your asks until you share it again."
        ),
    )


@require_POST
@person_required
def sharing_withhold_view(request: HttpRequest, person: Person) -> HttpResponse:
    sharing = sharing_for_person(person=person)
    form = WithholdForm(request.POST, teams=[item.team for item in sharing.teams])
    if form.is_valid():
        try:
            consent = consent_withhold(
                person=person,
                team=form.cleaned_data["team"],
                organisation_name=form.cleaned_data["organisation_name"],
            )
        except ValidationFailed as error:
            _add_service_error(form, error)
        else:
            messages.success(
                request,
                f"Staff at {consent.withheld_organisation_name} in {consent.team.name} cannot "
                "see your record any more. The rest of the team still can.",
            )
            return redirect("people:sharing")
    return _sharing_page(request, person, form=form, status=400)


@require_POST
@person_required
def sharing_allow_view(request: HttpRequest, person: Person) -> HttpResponse:
    return _consent_change(
        request,
        person,
        consent_allow,
        lambda consent: (
            f"Staff at {consent.withheld_organisation_name} in {consent.team.name} can see "
            "your record again, while you share it with the team."
        ),
    )
