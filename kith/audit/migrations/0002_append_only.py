"""Make the audit log append-only in the database itself, whatever code runs against it.

PostgreSQL: a row trigger refuses every UPDATE and DELETE. TRUNCATE (used by Django's `flush`
in tests) is a table privilege: grant production's application role only SELECT and INSERT on
this table.

SQLite: triggers refuse UPDATE and DELETE while `kith_audit_guard()` is true. Kith registers that
function on every connection (kith/audit/apps.py) from settings.KITH_AUDIT_DATABASE_GUARD, which
is on everywhere except the test settings, so the test runner can flush between tests. A client
without the function (the sqlite3 shell) fails closed: the trigger errors and the change is refused.
"""

from __future__ import annotations

from django.db import migrations
from django.db.backends.base.schema import BaseDatabaseSchemaEditor
from django.db.migrations.state import StateApps

TABLE = "audit_auditevent"

POSTGRESQL_UP = [
    f"""
    CREATE OR REPLACE FUNCTION {TABLE}_refuse_change() RETURNS trigger AS $$
    BEGIN
        RAISE EXCEPTION 'audit events are append-only';
    END;
    $$ LANGUAGE plpgsql;
    """,
    f"""
    CREATE TRIGGER {TABLE}_no_update_delete BEFORE UPDATE OR DELETE ON {TABLE}
    FOR EACH ROW EXECUTE FUNCTION {TABLE}_refuse_change();
    """,
]
POSTGRESQL_DOWN = [
    f"DROP TRIGGER IF EXISTS {TABLE}_no_update_delete ON {TABLE};",
    f"DROP FUNCTION IF EXISTS {TABLE}_refuse_change();",
]
SQLITE_UP = [
    f"""
    CREATE TRIGGER {TABLE}_no_update BEFORE UPDATE ON {TABLE}
    WHEN kith_audit_guard() BEGIN SELECT RAISE(ABORT, 'audit events are append-only'); END;
    """,
    f"""
    CREATE TRIGGER {TABLE}_no_delete BEFORE DELETE ON {TABLE}
    WHEN kith_audit_guard() BEGIN SELECT RAISE(ABORT, 'audit events are append-only'); END;
    """,
]
SQLITE_DOWN = [
    f"DROP TRIGGER IF EXISTS {TABLE}_no_update;",
    f"DROP TRIGGER IF EXISTS {TABLE}_no_delete;",
]


def _run(schema_editor: BaseDatabaseSchemaEditor, statements: dict[str, list[str]]) -> None:
    for sql in statements.get(schema_editor.connection.vendor, []):
        schema_editor.execute(sql)


def forwards(apps: StateApps, schema_editor: BaseDatabaseSchemaEditor) -> None:
    _run(schema_editor, {"postgresql": POSTGRESQL_UP, "sqlite": SQLITE_UP})


def backwards(apps: StateApps, schema_editor: BaseDatabaseSchemaEditor) -> None:
    _run(schema_editor, {"postgresql": POSTGRESQL_DOWN, "sqlite": SQLITE_DOWN})


class Migration(migrations.Migration):
    dependencies = [("audit", "0001_initial")]

    operations = [migrations.RunPython(forwards, backwards, elidable=False)]
