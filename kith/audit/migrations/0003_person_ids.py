"""Events about many people at once: `person_ids`, and on PostgreSQL a GIN index for finding a
person's events in it.

A nullable column with no default, so SQLite adds it with ALTER TABLE ADD COLUMN and keeps the
append-only triggers of 0002 (a column with a default would make Django rebuild the table and
drop them). The index covers only rows that list people (`jsonb_path_ops` serves `@>`, the only
operator `kith.audit.models.ListsId` uses); SQLite has no GIN and reads the lists with
`json_each`.
"""

from __future__ import annotations

from django.db import migrations, models
from django.db.backends.base.schema import BaseDatabaseSchemaEditor
from django.db.migrations.state import StateApps

INDEX = "audit_auditevent_person_ids_gin"


def postgresql_index_create(apps: StateApps, schema_editor: BaseDatabaseSchemaEditor) -> None:
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(
            f"CREATE INDEX {INDEX} ON audit_auditevent USING gin (person_ids jsonb_path_ops) "
            "WHERE person_ids IS NOT NULL;"
        )


def postgresql_index_drop(apps: StateApps, schema_editor: BaseDatabaseSchemaEditor) -> None:
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(f"DROP INDEX IF EXISTS {INDEX};")


class Migration(migrations.Migration):
    dependencies = [("audit", "0002_append_only")]

    operations = [
        migrations.AddField(
            model_name="auditevent",
            name="person_ids",
            field=models.JSONField(blank=True, null=True),
        ),
        migrations.RunPython(postgresql_index_create, postgresql_index_drop, elidable=False),
    ]
