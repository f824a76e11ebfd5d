# An ask can be raised for a person by a measure's risk answer (kith.care.services.measure_risk_raise).
from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [("asks", "0005_crisis_lines")]

    operations = [
        migrations.AlterField(
            model_name="ask",
            name="source",
            field=models.CharField(
                choices=[("web", "Web"), ("api", "API"), ("measure", "A measure's risk answer")],
                default="web",
                max_length=8,
            ),
        ),
    ]
