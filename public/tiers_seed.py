"""The first throttle tiers, as data shared by migration 0002 and the tests (whose transactional
cases flush the tables). Staff change the numbers in the admin afterwards."""

from __future__ import annotations

from typing import Any

# code, name, requests, period in seconds, for anonymous callers, who it is for
INITIAL_TIERS: tuple[tuple[str, str, int, int, bool, str], ...] = (
    ("anonymous", "Anonymous", 60, 60, True, "Callers without an API key, per address."),
    ("researcher", "Researcher", 600, 60, False, "Journalists and researchers with a key."),
    ("partner", "Partner", 6000, 60, False, "Mirrors and data partners that sync the whole record."),
)


def load_initial_tiers(tier_model: Any) -> int:
    """Store each initial tier not yet stored under its code; a stored tier is left as staff set it."""
    created = 0
    for code, name, requests, period, for_anonymous, description in INITIAL_TIERS:
        _, was_created = tier_model.objects.get_or_create(
            code=code,
            defaults={
                "name": name,
                "requests": requests,
                "period_seconds": period,
                "for_anonymous": for_anonymous,
                "description": description,
            },
        )
        created += int(was_created)
    return created
