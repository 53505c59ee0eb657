"""The statistics of the whole record kept up to date by triggers in the same transaction as each write
(public.figure_store): the tables, the functions and triggers compiled from the statistics' definitions,
and every figure computed once from the record."""

from typing import Any

from django.db import migrations


def install(apps: Any, schema_editor: Any) -> None:
    from public import figure_store

    with schema_editor.connection.cursor() as cursor:
        cursor.execute(figure_store.group_tables())
        figure_store.install(cursor)


def uninstall(apps: Any, schema_editor: Any) -> None:
    from public import figure_store

    with schema_editor.connection.cursor() as cursor:
        cursor.execute(figure_store.uninstall_sql())


class Migration(migrations.Migration):
    dependencies = [
        ("public", "0003_choice_defaults_in_the_database"),
        ("rrm", "0015_event_case_kind_index"),
        ("petitions", "0004_petition_case_foreign_key"),
    ]

    operations = [migrations.RunPython(install, uninstall)]
