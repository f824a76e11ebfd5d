from django.apps import AppConfig


class AsksConfig(AppConfig):
    name = "kith.asks"
    label = "asks"
    verbose_name = "Ask for help"
