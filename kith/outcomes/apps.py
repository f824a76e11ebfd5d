from django.apps import AppConfig


class OutcomesConfig(AppConfig):
    name = "kith.outcomes"
    label = "outcomes"
    verbose_name = "Outcome measures"
