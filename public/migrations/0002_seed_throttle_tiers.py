"""The first throttle tiers (public.tiers_seed); staff change their numbers in the admin afterwards."""

from django.db import migrations

from public.tiers_seed import INITIAL_TIERS, load_initial_tiers


def seed(apps, schema_editor):
    load_initial_tiers(apps.get_model("public", "ThrottleTier"))


def unseed(apps, schema_editor):
    ThrottleTier = apps.get_model("public", "ThrottleTier")
    ThrottleTier.objects.filter(code__in=[tier[0] for tier in INITIAL_TIERS], api_keys__isnull=True).delete()


class Migration(migrations.Migration):
    dependencies = [("public", "0001_initial")]

    operations = [migrations.RunPython(seed, unseed)]
