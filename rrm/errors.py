"""Errors of the domain, raised by services and turned into 400/409 answers by the API."""

from django.utils.translation import gettext


class DomainError(Exception):
    """A request that the rules of the mechanism do not allow."""


class InvalidTransition(DomainError):
    """A workflow step that is not allowed from the case's current stage."""

    def __init__(self, *, case_id: str, stage: str, action: str, allowed: list[str]) -> None:
        self.case_id = case_id
        self.stage = stage
        self.action = action
        self.allowed = allowed
        allowed_text = ", ".join(allowed) if allowed else gettext("none (the case is closed)")
        super().__init__(
            gettext(
                "Case %(case)s is at stage '%(stage)s': '%(action)s' is not allowed; allowed: %(allowed)s."
            )
            % {"case": case_id, "stage": stage, "action": action, "allowed": allowed_text}
        )


class InvalidDate(DomainError):
    """A date out of order with the case's earlier events, or in the future."""
