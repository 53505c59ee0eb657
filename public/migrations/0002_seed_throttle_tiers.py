"""The first throttle tiers; staff change their numbers in the admin afterwards."""

from django.db import migrations

TIERS = (
    ("anonymous", "Anonymous", 60, 60, True, "Callers without an API key, per address."),
    ("researcher", "Researcher", 600, 60, False, "Journalists and researchers with a key."),
    ("partner", "Partner", 6000, 60, False, "Mirrors and data partners that sync the whole record."),
)


def seed(apps, schema_editor):
    ThrottleTier = apps.get_model("public", "ThrottleTier")
    for code, name, requests, period, for_anonymous, description in TIERS:
        ThrottleTier.objects.get_or_create(
            code=code,
            defaults={
                "name": name,
                "requests": requests,
                "period_seconds": period,
                "for_anonymous": for_anonymous,
                "description": description,
            },
        )


def unseed(apps, schema_editor):
    ThrottleTier = apps.get_model("public", "ThrottleTier")
    ThrottleTier.objects.filter(code__in=[tier[0] for tier in TIERS], api_keys__isnull=True).delete()


class Migration(migrations.Migration):
    dependencies = [("public", "0001_initial")]

    operations = [migrations.RunPython(seed, unseed)]
