"""Crisis lines matched to a need, and which lines are open any time (issue 9).

Adds who each line is for and whether it is open any time, marks the four lines 0002 seeded as
open any time (unless staff have since changed them), and seeds the national lines for domestic
abuse, children and young people, and adults worried about a child. Staff keep them up to date
in the Django admin; each shows when it was last checked.

Schema and data share this migration because only one placeholder was free for asks; the data
step only adds rows and fills the new columns, so it is safe to run again (update_or_create by
name) and to reverse (the seeded rows are deleted, the columns dropped).
"""

import datetime as dt

from django.db import migrations, models

CHECKED = dt.date(2026, 12, 7)

# The lines 0002 seeded, all answered any time of day or night.
ALWAYS_OPEN = ["999", "NHS 111", "Samaritans", "Shout"]

# Numbers and hours as the services publish them, written on CHECKED. Hours are claimed only
# where they are any time, day or night; the others say nothing about hours. `order` puts a line
# for a need straight after 999 and before the lines for everyone (NHS 111 is 20).
LINES = [
    {
        "name": "National Domestic Abuse Helpline",
        "how_to_contact": "Call the National Domestic Abuse Helpline free on 0808 2000 247",
        "contact": "tel:08082000247",
        "link_text": "Call 0808 2000 247",
        "description": "if someone is hurting, threatening or controlling you, any time, day or "
        "night.",
        "need": "domestic-abuse",
        "is_always_open": True,
        "order": 11,
    },
    {
        "name": "Men's Advice Line",
        "how_to_contact": "Call the Men's Advice Line free on 0808 8010 327",
        "contact": "tel:08088010327",
        "link_text": "Call 0808 8010 327",
        "description": "for men experiencing domestic abuse.",
        "need": "domestic-abuse",
        "is_always_open": False,
        "order": 12,
    },
    {
        "name": "Childline",
        "how_to_contact": "Call Childline free on 0800 1111",
        "contact": "tel:08001111",
        "link_text": "Call 0800 1111",
        "description": "if you are under 19, any time, day or night.",
        "need": "under-19",
        "is_always_open": True,
        "order": 13,
    },
    {
        "name": "Papyrus HOPELINE247",
        "how_to_contact": "Call Papyrus HOPELINE247 free on 0800 068 4141",
        "contact": "tel:08000684141",
        "link_text": "Call 0800 068 4141",
        "description": "if you are under 35 and thinking about suicide, or worried about a young "
        "person, any time, day or night.",
        "need": "under-35",
        "is_always_open": True,
        "order": 14,
    },
    {
        "name": "NSPCC Helpline",
        "how_to_contact": "Call the NSPCC Helpline free on 0808 800 5000",
        "contact": "tel:08088005000",
        "link_text": "Call 0808 800 5000",
        "description": "if you are worried about a child. If a child is in danger now, call 999.",
        "need": "worried-about-child",
        "is_always_open": False,
        "order": 15,
    },
]


def seed(apps, schema_editor):
    CrisisOption = apps.get_model("asks", "CrisisOption")
    # Only where staff have not changed them since 0002 seeded them.
    CrisisOption.objects.filter(
        name__in=ALWAYS_OPEN, need="", last_checked=dt.date(2026, 1, 5)
    ).update(is_always_open=True)
    for line in LINES:
        CrisisOption.objects.update_or_create(
            name=line["name"], defaults={**line, "last_checked": CHECKED, "is_active": True}
        )


def unseed(apps, schema_editor):
    CrisisOption = apps.get_model("asks", "CrisisOption")
    CrisisOption.objects.filter(name__in=[line["name"] for line in LINES]).delete()


class Migration(migrations.Migration):
    dependencies = [("asks", "0004_ask_team_response")]

    operations = [
        migrations.AddField(
            model_name="crisisoption",
            name="need",
            field=models.CharField(
                blank=True,
                choices=[
                    ("", "Everyone"),
                    ("domestic-abuse", "If someone is hurting, threatening or controlling you"),
                    ("under-19", "If you are under 19"),
                    ("under-35", "If you are under 35 and thinking about suicide"),
                    ("worried-about-child", "If you are worried about a child"),
                ],
                default="",
                help_text="Lines for one need show when what someone wrote suggests it.",
                max_length=32,
                verbose_name="who it is for",
            ),
        ),
        migrations.AddField(
            model_name="crisisoption",
            name="is_always_open",
            field=models.BooleanField(
                default=False,
                help_text="Listed among the support someone can reach now, whatever the time.",
                verbose_name="open any time, day or night",
            ),
        ),
        migrations.RunPython(seed, unseed),
    ]
