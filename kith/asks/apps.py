from django.apps import AppConfig


class AsksConfig(AppConfig):
    name = "kith.asks"
    label = "asks"
    verbose_name = "Ask for help"

    def ready(self) -> None:
        from kith.asks.receivers import asks_claim_on_contact_proved
        from kith.people.signals import contact_proved

        contact_proved.connect(asks_claim_on_contact_proved, dispatch_uid="asks_claim")
