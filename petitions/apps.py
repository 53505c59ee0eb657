from django.apps import AppConfig


class PetitionsConfig(AppConfig):
    name = "petitions"

    def ready(self) -> None:
        from petitions.api.registration import register_with_case_core

        register_with_case_core()
