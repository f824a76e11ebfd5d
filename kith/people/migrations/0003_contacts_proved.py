"""Which contacts stored before proof was asked for count as proved.

Until issue 8, /my/contact/ stored any email address or mobile number unchecked, so a stored
contact proves nothing on its own. A contact of an open account counts as proved when:

1. the person signed in with it: a used sign-in link or code for this person was sent to that
   contact (email compared without case, as sign-in does). Tokens are kept until the account
   closes, so every sign-in is still there; or
2. the person's contact details were never changed (no `change` audit event with purpose
   `contact_details`): the account was then made by signing in (the only way accounts are made
   outside the demo), so its contact is the one that sign-in proved.

Everything else (a contact typed on /my/contact/ and never used to sign in) stays on the record,
shown as not confirmed, and signs nobody in and claims no asks until the person confirms it with
a code. Known limit: a contact someone typed and then *signed in with* counts as proved, so an
account already taken over this way before the fix stays as it is; its audit log shows the
sign-ins. The reverse does nothing: the previous migration's reverse drops the fields.
"""

from __future__ import annotations

from typing import Any

from django.db import migrations


def mark_proved_contacts(apps: Any, schema_editor: Any) -> None:
    Person = apps.get_model("people", "Person")
    SignInToken = apps.get_model("people", "SignInToken")
    AuditEvent = apps.get_model("audit", "AuditEvent")
    changed = set(
        AuditEvent.objects.filter(
            action="change", purpose="contact_details", person_id__isnull=False
        ).values_list("person_id", flat=True)
    )
    signed_in: dict[tuple[Any, str], Any] = {}
    used = SignInToken.objects.filter(person__isnull=False, used_at__isnull=False)
    for person_id, contact, used_at in used.values_list("person_id", "contact", "used_at"):
        key = (person_id, contact.lower())
        signed_in[key] = max(used_at, signed_in.get(key, used_at))
    people = Person.objects.filter(closed_at__isnull=True).exclude(email="", phone="")
    for person in people.iterator():
        proved: dict[str, Any] = {}
        for field, value in (("email", person.email), ("phone", person.phone)):
            if not value:
                continue
            when = signed_in.get((person.pk, value.lower()))
            if when is None and person.pk not in changed:
                when = person.created_at
            if when is not None:
                proved[f"{field}_verified_at"] = when
        if proved:
            Person.objects.filter(pk=person.pk).update(**proved)


class Migration(migrations.Migration):
    dependencies = [
        ("people", "0002_contact_proof"),
        ("audit", "0002_append_only"),
    ]

    operations = [migrations.RunPython(mark_proved_contacts, migrations.RunPython.noop)]
