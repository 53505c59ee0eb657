"""Make the timeline append-only in the database itself, so no code path can rewrite history."""

from django.db import migrations

CREATE = """
CREATE OR REPLACE FUNCTION rrm_timeline_append_only() RETURNS trigger AS $$
BEGIN
    RAISE EXCEPTION 'rrm_timelineevent is append-only: record a correction event instead'
        USING ERRCODE = 'integrity_constraint_violation';
END;
$$ LANGUAGE plpgsql;
CREATE TRIGGER rrm_timeline_append_only
    BEFORE UPDATE OR DELETE ON rrm_timelineevent
    FOR EACH ROW EXECUTE FUNCTION rrm_timeline_append_only();
"""

DROP = """
DROP TRIGGER IF EXISTS rrm_timeline_append_only ON rrm_timelineevent;
DROP FUNCTION IF EXISTS rrm_timeline_append_only();
"""

SQLITE_CREATE = [
    f"CREATE TRIGGER rrm_timeline_no_{op.lower()} BEFORE {op} ON rrm_timelineevent "
    "BEGIN SELECT RAISE(ABORT, 'rrm_timelineevent is append-only'); END"
    for op in ("UPDATE", "DELETE")
]

SQLITE_DROP = [f"DROP TRIGGER IF EXISTS rrm_timeline_no_{op}" for op in ("update", "delete")]


def forwards(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(CREATE)
    elif schema_editor.connection.vendor == "sqlite":
        for statement in SQLITE_CREATE:
            schema_editor.execute(statement)


def backwards(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(DROP)
    elif schema_editor.connection.vendor == "sqlite":
        for statement in SQLITE_DROP:
            schema_editor.execute(statement)


class Migration(migrations.Migration):
    dependencies = [("rrm", "0001_initial")]

    operations = [migrations.RunPython(forwards, backwards)]
