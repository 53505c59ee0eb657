from django.apps import AppConfig


class RemediationConfig(AppConfig):
    name = "remediation"

    def ready(self) -> None:
        from remediation.api.registration import register_with_case_core
        from remediation.selectors import register_watched_dates
        from remediation.services import follow_workflow_steps

        register_with_case_core()
        register_watched_dates()
        follow_workflow_steps()
