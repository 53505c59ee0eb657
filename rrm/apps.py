from django.apps import AppConfig


class RrmConfig(AppConfig):
    name = "rrm"
    verbose_name = "RRM case record"

    def ready(self) -> None:
        # Registers the token scheme with drf-spectacular too.
        from rrm.api import tokens

        tokens.connect_receivers()
