"""Seed the national crisis options. Staff keep them up to date in the Django admin."""

import datetime as dt

from django.db import migrations

CHECKED = dt.date(2026, 1, 5)

OPTIONS = [
    {
        "name": "999",
        "how_to_contact": "Call 999",
        "contact": "tel:999",
        "link_text": "Call 999",
        "description": "or go to A&E if your life, or someone else's, is at risk now.",
        "order": 10,
    },
    {
        "name": "NHS 111",
        "how_to_contact": "Call NHS 111 and choose option 2",
        "contact": "tel:111",
        "link_text": "Call 111",
        "description": "for urgent mental health help, any time.",
        "order": 20,
    },
    {
        "name": "Samaritans",
        "how_to_contact": "Call Samaritans free on 116 123",
        "contact": "tel:116123",
        "link_text": "Call 116 123",
        "description": "any time, day or night.",
        "order": 30,
    },
    {
        "name": "Shout",
        "how_to_contact": "Text SHOUT to 85258",
        "contact": "sms:85258&body=SHOUT",
        "link_text": "Text SHOUT",
        "description": "for free, confidential text support, any time.",
        "order": 40,
    },
]


def seed(apps, schema_editor):
    CrisisOption = apps.get_model("asks", "CrisisOption")
    for option in OPTIONS:
        CrisisOption.objects.update_or_create(
            name=option["name"], defaults={**option, "last_checked": CHECKED, "is_active": True}
        )


def unseed(apps, schema_editor):
    CrisisOption = apps.get_model("asks", "CrisisOption")
    CrisisOption.objects.filter(name__in=[option["name"] for option in OPTIONS]).delete()


class Migration(migrations.Migration):
    dependencies = [("asks", "0001_initial")]

    operations = [migrations.RunPython(seed, unseed)]
