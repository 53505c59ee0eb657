"""The first throttle tiers, frozen here; staff change their numbers in the admin afterwards.

Loading is idempotent: a tier already stored under its code is left as staff set it, so tests reload the
rows after a transactional test flushed them (tests/public/conftest.py).
"""

from django.db import migrations

INITIAL_TIERS = (
    dict(
        code="anonymous",
        name="Anonymous",
        requests=60,
        period_seconds=60,
        for_anonymous=True,
        description="Callers without an API key, per address.",
    ),
    dict(
        code="researcher",
        name="Researcher",
        requests=600,
        period_seconds=60,
        for_anonymous=False,
        description="Journalists and researchers with a key.",
    ),
    dict(
        code="partner",
        name="Partner",
        requests=6000,
        period_seconds=60,
        for_anonymous=False,
        description="Mirrors and data partners that sync the whole record.",
    ),
)


def store_initial_tiers(tier_model):
    """Store each initial tier not yet stored under its code; returns how many."""
    created = 0
    for tier in INITIAL_TIERS:
        _, was_created = tier_model.objects.get_or_create(code=tier["code"], defaults=tier)
        created += int(was_created)
    return created


def seed(apps, schema_editor):
    store_initial_tiers(apps.get_model("public", "ThrottleTier"))


def unseed(apps, schema_editor):
    ThrottleTier = apps.get_model("public", "ThrottleTier")
    codes = [tier["code"] for tier in INITIAL_TIERS]
    ThrottleTier.objects.filter(code__in=codes, api_keys__isnull=True).delete()


class Migration(migrations.Migration):
    dependencies = [("public", "0001_initial")]

    operations = [migrations.RunPython(seed, unseed)]
