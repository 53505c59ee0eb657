"""Load the first versions of the deadline rules (rrm.rules_seed.INITIAL_RULES, in force from 2020-07-01).

Idempotent: a version already stored under the same (code, effective_from) is left as it is.
"""

from django.db import migrations

from rrm.rules_seed import INITIAL_RULES


def load_rules(apps, schema_editor):
    DeadlineRule = apps.get_model("rrm", "DeadlineRule")
    for version in INITIAL_RULES:
        DeadlineRule.objects.get_or_create(
            code=version.code,
            effective_from=version.effective_from,
            defaults={
                "name": version.name,
                "effective_to": version.effective_to,
                "citation": version.citation,
                "length": version.length,
                "unit": version.unit,
                "calendar": version.calendar,
                "start_event": version.start_event,
                "satisfied_by": list(version.satisfied_by),
                "roll_forward": version.roll_forward,
                "confidence": version.confidence,
                "annex": version.annex,
                "notes": version.notes,
            },
        )


def unload_rules(apps, schema_editor):
    DeadlineRule = apps.get_model("rrm", "DeadlineRule")
    for version in INITIAL_RULES:
        DeadlineRule.objects.filter(code=version.code, effective_from=version.effective_from).delete()


class Migration(migrations.Migration):
    dependencies = [("rrm", "0002_timeline_append_only")]

    operations = [migrations.RunPython(load_rules, unload_rules)]
