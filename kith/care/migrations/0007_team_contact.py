# How a person reaches their team themselves (issue 9): shown on an ask's confirmation page and
# in the confirmation message. Blank for existing teams until an administrator fills them in.
from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [("care", "0006_consent_from_asks")]

    operations = [
        migrations.AddField(
            model_name="team",
            name="contact_phone",
            field=models.CharField(
                blank=True,
                help_text="The number people can call the team on, like 020 7946 0123.",
                max_length=32,
                verbose_name="phone",
            ),
        ),
        migrations.AddField(
            model_name="team",
            name="contact_email",
            field=models.EmailField(
                blank=True,
                help_text="The address people can email the team at.",
                max_length=254,
                verbose_name="email",
            ),
        ),
        migrations.AddField(
            model_name="team",
            name="contact_hours",
            field=models.CharField(
                blank=True,
                help_text="In plain words, like: Monday to Friday, 9am to 5pm.",
                max_length=200,
                verbose_name="when someone answers",
            ),
        ),
    ]
