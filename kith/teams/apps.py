from django.apps import AppConfig


class TeamsConfig(AppConfig):
    name = "kith.teams"
    label = "teams"
    verbose_name = "Teams"
