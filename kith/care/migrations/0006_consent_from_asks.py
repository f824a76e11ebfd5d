"""Asks sent before consents existed already shared the person's record with the team they went
to: record that, so the teams keep seeing the people they work with. One sharing per person and
team, given when they first asked it, each with an audit event by Kith saying so."""

from django.db import migrations


def share_by_earlier_asks(apps, schema_editor):
    Ask = apps.get_model("asks", "Ask")
    Consent = apps.get_model("care", "Consent")
    AuditEvent = apps.get_model("audit", "AuditEvent")
    first_asks = {}
    asks = (
        Ask.objects.filter(
            person__isnull=False,
            person__closed_at__isnull=True,
            team__isnull=False,
            restricted_at__isnull=True,
        )
        .order_by("created_at", "id")
        .values_list("pk", "person_id", "team_id", "created_at")
    )
    for ask_id, person_id, team_id, created_at in asks.iterator():
        first_asks.setdefault((person_id, team_id), (ask_id, created_at))
    already = set(
        Consent.objects.filter(withheld_organisation_name="").values_list("person_id", "team_id")
    )
    consents = [
        Consent(
            person_id=person_id,
            team_id=team_id,
            how_given="asked",
            ask_id=ask_id,
            given_at=created_at,
        )
        for (person_id, team_id), (ask_id, created_at) in first_asks.items()
        if (person_id, team_id) not in already
    ]
    Consent.objects.bulk_create(consents, batch_size=1000)
    AuditEvent.objects.bulk_create(
        (
            AuditEvent(
                actor_type="system",
                actor_id="",
                action="share",
                subject_type="consent",
                subject_id=str(consent.pk),
                person_id=consent.person_id,
                purpose="asked_before_consents",
            )
            for consent in consents
        ),
        batch_size=1000,
    )


class Migration(migrations.Migration):
    dependencies = [
        ("asks", "0004_ask_team_response"),
        ("audit", "0002_append_only"),
        ("care", "0005_consent"),
        ("people", "0001_initial"),
    ]

    operations = [migrations.RunPython(share_by_earlier_asks, migrations.RunPython.noop)]
