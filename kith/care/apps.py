from django.apps import AppConfig


class CareConfig(AppConfig):
    name = "kith.care"
    label = "care"
    verbose_name = "Integrated community teams"

    def ready(self) -> None:
        from kith.asks.signals import ask_saved, asks_claimed
        from kith.care.receiving import ask_receive, asks_claimed_receive

        ask_saved.connect(ask_receive, dispatch_uid="care_ask_receive")
        asks_claimed.connect(asks_claimed_receive, dispatch_uid="care_asks_claimed")
