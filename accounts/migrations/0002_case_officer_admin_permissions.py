"""The admin permissions of the case officers' group (rrm.api.roles.CASE_OFFICERS_GROUP).

Until now the group had none, so a case officer opening the admin read "You don't have permission to view
or edit anything". Staff view the whole case record and change it; they add and delete where the
workflow is theirs (remediation, panels, remedies, documents, corrections, API keys). Deadline rules,
deadlines, alerts and notifications are written by services and stay read-only.
"""

from django.contrib.auth.management import create_permissions
from django.db import migrations

CASE_OFFICERS_GROUP = "case_officers"

VIEW = ("view",)
VIEW_CHANGE = ("view", "change")
VIEW_ADD_CHANGE = ("view", "add", "change")
ALL = ("view", "add", "change", "delete")

# app label -> model -> the actions granted.
GRANTS = {
    "rrm": {
        "company": VIEW_ADD_CHANGE,
        "facility": VIEW_ADD_CHANGE,
        "organisation": VIEW_ADD_CHANGE,
        "case": VIEW_ADD_CHANGE,
        "casefacility": ALL,
        "document": ALL,
        "timelineevent": ("view", "add"),
        "deadlinerule": VIEW,
        "deadline": VIEW,
        "calendarholiday": VIEW_ADD_CHANGE,
        "casewatch": VIEW,
        "webhookendpoint": VIEW_CHANGE,
        "deadlinealert": VIEW,
        "watcheddatealert": VIEW,
        "notification": VIEW,
    },
    "petitions": {
        "petition": VIEW_CHANGE,
        "petitioner": VIEW_CHANGE,
        "claim": VIEW_CHANGE,
        "evidence": VIEW_CHANGE,
        "screening": VIEW_CHANGE,
    },
    "remediation": {
        "mexicoreview": ALL,
        "remediationplan": ALL,
        "remediationaction": ALL,
        "panel": ALL,
        "panelverification": ALL,
        "remedy": ALL,
        "unionvote": ALL,
        "reinstatement": ALL,
        "payment": ALL,
        "workercount": ALL,
    },
    "public": {
        "throttletier": VIEW_CHANGE,
        "apikey": VIEW_ADD_CHANGE,
        "correction": VIEW_ADD_CHANGE,
        "exportbuild": VIEW,
    },
    "accounts": {
        "invitation": VIEW,
        "organisationadministrator": ALL,
    },
}


def codenames():
    for app_label, models in GRANTS.items():
        for model, actions in models.items():
            for action in actions:
                yield app_label, f"{action}_{model}"


def _permissions(apps):
    # Permissions are created after migrate (post_migrate); a fresh database needs them now.
    for app_config in apps.get_app_configs():
        app_config.models_module = True
        create_permissions(app_config, apps=apps, verbosity=0)
        app_config.models_module = None
    permission = apps.get_model("auth", "Permission")
    return [
        permission.objects.get(content_type__app_label=app_label, codename=codename)
        for app_label, codename in codenames()
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
        ("accounts", "0001_accounts"),
        ("auth", "0012_alter_user_first_name_max_length"),
        ("contenttypes", "0002_remove_content_type_name"),
        ("rrm", "0015_event_case_kind_index"),
        ("petitions", "0004_petition_case_foreign_key"),
        ("remediation", "0003_choice_defaults_in_the_database"),
        ("public", "0003_choice_defaults_in_the_database"),
    ]

    operations = [migrations.RunPython(grant, revoke)]
