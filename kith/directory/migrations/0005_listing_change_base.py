# Written by hand (see .helper-notes/RULES.md): the one operation `makemigrations` generates.

from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [
        ("directory", "0004_search_entry_opening_owner"),
    ]

    operations = [
        migrations.AddField(
            model_name="listingchange",
            name="base",
            field=models.JSONField(
                blank=True,
                help_text="For an edit, the listing as it was when proposed: publishing applies "
                "only what the editor changed from it, so edits published meanwhile stay.",
                null=True,
            ),
        ),
    ]
