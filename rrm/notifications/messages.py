"""What the recipient of a notice reads: the e-mail, in the recipient's language, and the webhook body.

A notice is a deadline warning (payload `event` deadline.due_soon or deadline.overdue) or a stage change
(case.stage_changed); the e-mail is composed at delivery under the recipient's language.
"""

from __future__ import annotations

import json
from typing import Any

from django.utils.translation import gettext, ngettext

from rrm.choices import Stage
from rrm.labels import event_kind_name, explanation_text, rule_name
from rrm.models import Notification

STAGE_CHANGED = "case.stage_changed"


def _stage_name(stage: str) -> str:
    return str(Stage(stage).label) if stage in Stage.values else stage


def email_subject(payload: dict[str, Any]) -> str:
    if payload["event"] == STAGE_CHANGED:
        return gettext("[RRM] %(case)s: %(event)s") % {
            "case": payload["case"],
            "event": event_kind_name(payload["kind"]),
        }
    return gettext("[RRM] %(case)s: %(rule)s %(due)s") % {
        "case": payload["case"],
        "rule": _rule_name(payload),
        "due": _due_phrase(payload),
    }


def _rule_name(payload: dict[str, Any]) -> str:
    return rule_name(code=payload["rule"]["code"], stored_name=payload["rule"]["name"])


def _due_phrase(payload: dict[str, Any]) -> str:
    due = payload["due_date"]
    if payload["days_left"] < 0:
        return gettext("overdue since %(due)s") % {"due": due}
    return gettext("due %(due)s (%(relative)s)") % {"due": due, "relative": _relative(payload["days_left"])}


def _relative(days_left: int) -> str:
    if days_left == 0:
        return gettext("today")
    if days_left > 0:
        return ngettext("in %(count)d day", "in %(count)d days", days_left) % {"count": days_left}
    late = -days_left
    return ngettext("%(count)d day overdue", "%(count)d days overdue", late) % {"count": late}


def _case_line(payload: dict[str, Any]) -> str:
    title = f" - {payload['case_title']}" if payload["case_title"] else ""
    return gettext("Case: %(case)s") % {"case": payload["case"]} + title


def email_body(payload: dict[str, Any], *, case_url: str, unsubscribe_url: str) -> str:
    lines = _stage_lines(payload) if payload["event"] == STAGE_CHANGED else _deadline_lines(payload)
    return "\n".join(
        [
            _case_line(payload),
            *lines,
            "",
            gettext("The case: %(url)s") % {"url": case_url},
            gettext("You receive this because you follow this case. To stop: %(url)s")
            % {"url": unsubscribe_url},
        ]
    )


def _stage_lines(payload: dict[str, Any]) -> list[str]:
    stages = {"before": _stage_name(payload["from_stage"]), "after": _stage_name(payload["to_stage"])}
    happened = gettext("What happened: %(event)s, on %(day)s.") % {
        "event": event_kind_name(payload["kind"]),
        "day": payload["occurred_on"],
    }
    if not payload["from_stage"]:
        return [happened, gettext("Stage: %(after)s") % stages]
    return [happened, gettext("Stage: %(before)s → %(after)s") % stages]


def _deadline_lines(payload: dict[str, Any]) -> list[str]:
    rule = payload["rule"]
    unconfirmed = gettext(" [UNCONFIRMED rule: check before relying on it]") if rule["unconfirmed"] else ""
    return [
        gettext("Clock: %(rule)s (%(code)s)") % {"rule": _rule_name(payload), "code": rule["code"]}
        + unconfirmed,
        gettext("Legal source: %(citation)s") % {"citation": rule["citation"]},
        gettext("Started: %(day)s") % {"day": payload["start_date"]},
        gettext("Due: %(due)s (%(relative)s as of %(today)s)")
        % {
            "due": payload["due_date"],
            "relative": _relative(payload["days_left"]),
            "today": payload["swept_on"],
        },
        "",
        gettext("How the due date was computed:"),
        explanation_text(payload["explanation"]) or _explanation_by_key(payload["explanation"]),
    ]


def _explanation_by_key(explanation: dict[str, Any]) -> str:
    """Older rows without a sentence are spelled out key by key."""
    return "; ".join(f"{key}: {value}" for key, value in sorted(explanation.items()))


def webhook_body(notification: Notification, *, timestamp: int) -> bytes:
    # Delivery id and timestamp sit inside the signed body as well as in headers, so they cannot be
    # altered in transit without breaking the signature.
    document = {**notification.payload, "delivery_id": notification.pk, "timestamp": timestamp}
    return json.dumps(document, sort_keys=True, separators=(",", ":")).encode()
