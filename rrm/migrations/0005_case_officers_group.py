"""The group whose staff members are case officers in the case-management API (rrm.api.roles)."""

from django.db import migrations

CASE_OFFICERS_GROUP = "case_officers"


def create_group(apps, schema_editor):
    apps.get_model("auth", "Group").objects.get_or_create(name=CASE_OFFICERS_GROUP)


def remove_group(apps, schema_editor):
    apps.get_model("auth", "Group").objects.filter(name=CASE_OFFICERS_GROUP).delete()


class Migration(migrations.Migration):
    dependencies = [
        ("rrm", "0004_deadline_last_alert_days"),
        ("auth", "0012_alter_user_first_name_max_length"),
    ]

    operations = [migrations.RunPython(create_group, remove_group)]
