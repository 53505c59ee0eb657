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


class Migration(migrations.Migration):
    dependencies = [("rrm", "0001_initial")]

    operations = [migrations.RunSQL(CREATE, DROP)]
