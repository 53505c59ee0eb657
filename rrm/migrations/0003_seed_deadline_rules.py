"""Load the first versions of the deadline rules (rrm.rules_seed.INITIAL_RULES, in force from 2020-07-01).

Idempotent: a version already stored under the same (code, effective_from) is left as it is.
"""

from django.db import migrations

from rrm.rules_seed import load_initial_rules, unload_initial_rules


def load_rules(apps, schema_editor):
    load_initial_rules(apps.get_model("rrm", "DeadlineRule"))


def unload_rules(apps, schema_editor):
    unload_initial_rules(apps.get_model("rrm", "DeadlineRule"))


class Migration(migrations.Migration):
    dependencies = [("rrm", "0002_timeline_append_only")]

    operations = [migrations.RunPython(load_rules, unload_rules)]
