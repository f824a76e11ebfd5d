from typing import Any

from django.apps import AppConfig
from django.db.backends.signals import connection_created


def _register_sqlite_guard(sender: Any, connection: Any, **kwargs: Any) -> None:
    """Give SQLite the function its append-only triggers consult (see migration 0002)."""
    if connection.vendor != "sqlite":
        return
    from django.conf import settings

    connection.connection.create_function(
        "kith_audit_guard",
        0,
        lambda: 1 if getattr(settings, "KITH_AUDIT_DATABASE_GUARD", True) else 0,
    )


class AuditConfig(AppConfig):
    name = "kith.audit"
    label = "audit"
    verbose_name = "Audit log of access to personal data"

    def ready(self) -> None:
        connection_created.connect(_register_sqlite_guard, dispatch_uid="kith_audit_sqlite_guard")
