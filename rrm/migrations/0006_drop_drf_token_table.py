"""API tokens moved to django-rest-knox, which stores only their hashes; the table of DRF's token app,
removed from INSTALLED_APPS, kept every key in plain text (and in every backup taken after)."""

from django.db import migrations


class Migration(migrations.Migration):
    dependencies = [("rrm", "0005_case_officers_group")]

    operations = [
        migrations.RunSQL("DROP TABLE IF EXISTS authtoken_token", reverse_sql=migrations.RunSQL.noop),
    ]
