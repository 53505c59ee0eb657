from django.apps import AppConfig


class RemediationConfig(AppConfig):
    name = "remediation"

    def ready(self) -> None:
        from remediation.api.registration import register_with_case_core

        register_with_case_core()
