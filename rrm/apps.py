from django.apps import AppConfig


class RrmConfig(AppConfig):
    name = "rrm"
    verbose_name = "RRM case record"

    def ready(self) -> None:
        # Registers the token scheme with drf-spectacular too.
        from rrm import workflow
        from rrm.api import tokens
        from rrm.api.history import KERNEL_SOURCES
        from rrm.api.registry import registry
        from rrm.api.serializers import OUTCOME_ACTIONS
        from rrm.notifications.stage_changes import notify_step

        tokens.connect_receivers()
        workflow.step_taken.connect(notify_step, dispatch_uid="rrm.notify_stage_change")
        registry.register(
            step_routes=dict.fromkeys(OUTCOME_ACTIONS, "case-transitions"), history_sources=KERNEL_SOURCES
        )
