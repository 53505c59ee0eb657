from django.apps import AppConfig


class PetitionsConfig(AppConfig):
    name = "petitions"

    def ready(self) -> None:
        from petitions.api.registration import register_with_case_core
        from petitions.selectors import filing_floor
        from rrm.step_dates import bound_step_dates_by

        register_with_case_core()
        bound_step_dates_by(filing_floor)
