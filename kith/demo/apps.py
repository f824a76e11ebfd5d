from django.apps import AppConfig


class DemoConfig(AppConfig):
    name = "kith.demo"
    label = "demo"
    verbose_name = "Fictional demo locality"
