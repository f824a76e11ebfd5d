from django.apps import AppConfig


class CareConfig(AppConfig):
    name = "kith.care"
    label = "care"
    verbose_name = "Integrated community teams"
