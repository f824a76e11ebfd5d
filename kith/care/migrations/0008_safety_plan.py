# A safety plan on the person's record (issue 9): one for each involvement, and what it says under
# each section of the Stanley-Brown safety planning intervention, with who last wrote it.
import uuid

import django.db.models.deletion
from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [("care", "0007_team_contact")]

    operations = [
        migrations.CreateModel(
            name="SafetyPlan",
            fields=[
                (
                    "id",
                    models.UUIDField(
                        default=uuid.uuid4, editable=False, primary_key=True, serialize=False
                    ),
                ),
                ("created_at", models.DateTimeField(auto_now_add=True)),
                ("updated_at", models.DateTimeField(auto_now=True)),
                (
                    "involvement",
                    models.OneToOneField(
                        on_delete=django.db.models.deletion.CASCADE,
                        related_name="safety_plan",
                        to="care.involvement",
                    ),
                ),
            ],
            options={
                "ordering": ["created_at", "id"],
                "abstract": False,
            },
        ),
        migrations.CreateModel(
            name="SafetyPlanEntry",
            fields=[
                (
                    "id",
                    models.UUIDField(
                        default=uuid.uuid4, editable=False, primary_key=True, serialize=False
                    ),
                ),
                ("created_at", models.DateTimeField(auto_now_add=True)),
                ("updated_at", models.DateTimeField(auto_now=True)),
                (
                    "section",
                    models.CharField(
                        choices=[
                            ("warning-signs", "My warning signs"),
                            ("coping", "Things I can do on my own to help me cope"),
                            ("distractions", "People and places that take my mind off things"),
                            ("people-to-ask", "People I can ask for help"),
                            (
                                "professionals",
                                "Professionals and services I can contact in a crisis",
                            ),
                            ("safer", "Making my situation safer"),
                            (
                                "worth-living-for",
                                "What matters most to me and is worth living for",
                            ),
                        ],
                        max_length=20,
                        verbose_name="section",
                    ),
                ),
                ("text", models.TextField(blank=True, verbose_name="what it says")),
                ("is_written_by_person", models.BooleanField(default=False)),
                (
                    "safety_plan",
                    models.ForeignKey(
                        on_delete=django.db.models.deletion.CASCADE,
                        related_name="entries",
                        to="care.safetyplan",
                    ),
                ),
                (
                    "written_by",
                    models.ForeignKey(
                        blank=True,
                        null=True,
                        on_delete=django.db.models.deletion.SET_NULL,
                        related_name="+",
                        to="care.teammember",
                    ),
                ),
            ],
            options={
                "ordering": ["created_at", "id"],
                "abstract": False,
                "constraints": [
                    models.UniqueConstraint(
                        fields=("safety_plan", "section"),
                        name="care_safetyplanentry_one_per_section",
                    ),
                    models.CheckConstraint(
                        condition=models.Q(
                            (
                                "section__in",
                                [
                                    "warning-signs",
                                    "coping",
                                    "distractions",
                                    "people-to-ask",
                                    "professionals",
                                    "safer",
                                    "worth-living-for",
                                ],
                            )
                        ),
                        name="care_safetyplanentry_section_valid",
                    ),
                    models.CheckConstraint(
                        condition=models.Q(
                            ("written_by__isnull", True),
                            ("is_written_by_person", False),
                            _connector="OR",
                        ),
                        name="care_safetyplanentry_written_by_or_person",
                    ),
                ],
            },
        ),
    ]
