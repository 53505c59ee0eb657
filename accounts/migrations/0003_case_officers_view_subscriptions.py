"""Case officers view the notice subscriptions (rrm.Subscription), like every other list of the case record.

The same grant as 0002_case_officer_admin_permissions, for the model added after it.
"""

from django.contrib.auth.management import create_permissions
from django.db import migrations

CASE_OFFICERS_GROUP = "case_officers"
GRANTS = {"rrm": {"subscription": ("view",)}}


def _permissions(apps):
    # Permissions are created after migrate (post_migrate); a fresh database needs them now.
    for app_config in apps.get_app_configs():
        app_config.models_module = True
        create_permissions(app_config, apps=apps, verbosity=0)
        app_config.models_module = None
    permission = apps.get_model("auth", "Permission")
    return [
        permission.objects.get(content_type__app_label=app_label, codename=f"{action}_{model}")
        for app_label, models in GRANTS.items()
        for model, actions in models.items()
        for action in actions
    ]


def grant(apps, schema_editor):
    group, _ = apps.get_model("auth", "Group").objects.get_or_create(name=CASE_OFFICERS_GROUP)
    group.permissions.add(*_permissions(apps))


def revoke(apps, schema_editor):
    group = apps.get_model("auth", "Group").objects.filter(name=CASE_OFFICERS_GROUP).first()
    if group is not None:
        group.permissions.remove(*_permissions(apps))


class Migration(migrations.Migration):
    dependencies = [
        ("accounts", "0002_case_officer_admin_permissions"),
        ("rrm", "0016_subscriptions_and_stage_change_notices"),
    ]

    operations = [migrations.RunPython(grant, revoke)]
