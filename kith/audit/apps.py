from django.apps import AppConfig


class AuditConfig(AppConfig):
    name = "kith.audit"
    label = "audit"
    verbose_name = "Audit log of access to personal data"
