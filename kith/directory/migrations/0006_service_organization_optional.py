# Written by hand (see .helper-notes/RULES.md): the operations `makemigrations` generates.
# A service may have no organisation, as in ORUK 3.0 (list-form feeds often leave it out).

import django.db.models.deletion
from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [
        ("directory", "0005_listing_change_base"),
    ]

    operations = [
        migrations.AlterField(
            model_name="searchentry",
            name="organization_id",
            field=models.UUIDField(null=True),
        ),
        migrations.AlterField(
            model_name="service",
            name="organization",
            field=models.ForeignKey(
                blank=True,
                null=True,
                on_delete=django.db.models.deletion.CASCADE,
                related_name="services",
                to="directory.organization",
            ),
        ),
    ]
