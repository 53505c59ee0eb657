"""What the recipient of a deadline alert reads: the e-mail and the webhook body."""

from __future__ import annotations

import json
from typing import Any

from rrm.models import Notification


def email_subject(payload: dict[str, Any]) -> str:
    return f"[RRM] {payload['case']}: {payload['rule']['name']} {_due_phrase(payload)}"


def _due_phrase(payload: dict[str, Any]) -> str:
    if payload["days_left"] < 0:
        return f"overdue since {payload['due_date']}"
    return f"due {payload['due_date']} ({_relative(payload['days_left'])})"


def _relative(days_left: int) -> str:
    if days_left == 0:
        return "today"
    count = f"{abs(days_left)} day{'' if abs(days_left) == 1 else 's'}"
    return f"in {count}" if days_left > 0 else f"{count} overdue"


def email_body(payload: dict[str, Any]) -> str:
    rule = payload["rule"]
    unconfirmed = " [UNCONFIRMED rule: check before relying on it]" if rule["unconfirmed"] else ""
    title = f" - {payload['case_title']}" if payload["case_title"] else ""
    return "\n".join(
        [
            f"Case: {payload['case']}{title}",
            f"Clock: {rule['name']} ({rule['code']}){unconfirmed}",
            f"Legal source: {rule['citation']}",
            f"Started: {payload['start_date']}",
            f"Due: {payload['due_date']} ({_relative(payload['days_left'])} as of {payload['swept_on']})",
            "",
            "How the due date was computed:",
            explanation_text(payload["explanation"]),
            "",
            "You receive this because you watch this case.",
        ]
    )


def webhook_body(notification: Notification, *, timestamp: int) -> bytes:
    # Delivery id and timestamp sit inside the signed body as well as in headers, so they cannot be
    # altered in transit without breaking the signature.
    document = {**notification.payload, "delivery_id": notification.pk, "timestamp": timestamp}
    return json.dumps(document, sort_keys=True, separators=(",", ":")).encode()


def explanation_text(explanation: dict[str, Any]) -> str:
    """The sentence rrm.clock wrote; older rows without one are spelled out key by key."""
    text = explanation.get("text")
    if isinstance(text, str) and text:
        return text
    return "; ".join(f"{key}: {value}" for key, value in sorted(explanation.items()))
