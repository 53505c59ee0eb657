"""Company.slug: a stable public identifier, backfilled from the names in id order (the first company
of a slug keeps it bare, the next ones get -2, -3...), so that every database gets the same slugs."""

from django.db import migrations, models
from django.utils.text import slugify

HELP = (
    "Stable public identifier, made from the name when the company is added; it does not change when "
    "the name does."
)
LENGTH = 120


def slug_of(name, taken):  # type: ignore[no-untyped-def]
    # A copy of rrm.models.company_slug as it was when this migration was written: a migration does not
    # change with the code.
    base = slugify(name)[: LENGTH - 10].strip("-") or "company"
    if base.isdigit():
        base = f"company-{base}"
    slug, number = base, 1
    while slug in taken:
        number += 1
        slug = f"{base}-{number}"
    return slug


def backfill(apps, schema_editor):  # type: ignore[no-untyped-def]
    Company = apps.get_model("rrm", "Company")
    HistoricalCompany = apps.get_model("rrm", "HistoricalCompany")
    taken: set[str] = set()
    for company in Company.objects.order_by("pk").only("pk", "name"):
        slug = slug_of(company.name, taken)
        taken.add(slug)
        Company.objects.filter(pk=company.pk).update(slug=slug)
        HistoricalCompany.objects.filter(id=company.pk).update(slug=slug)
    # The history of a company no longer stored keeps no slug.
    HistoricalCompany.objects.filter(slug__isnull=True).update(slug="")


class Migration(migrations.Migration):
    dependencies = [
        ("rrm", "0016_subscriptions_and_stage_change_notices"),
    ]

    operations = [
        migrations.AddField(
            model_name="company",
            name="slug",
            field=models.SlugField(
                db_index=False, editable=False, help_text=HELP, max_length=LENGTH, null=True
            ),
        ),
        migrations.AddField(
            model_name="historicalcompany",
            name="slug",
            field=models.SlugField(
                db_index=False, editable=False, help_text=HELP, max_length=LENGTH, null=True
            ),
        ),
        migrations.RunPython(backfill, migrations.RunPython.noop),
        migrations.AlterField(
            model_name="company",
            name="slug",
            field=models.SlugField(editable=False, help_text=HELP, max_length=LENGTH, unique=True),
        ),
        migrations.AlterField(
            model_name="historicalcompany",
            name="slug",
            field=models.SlugField(editable=False, help_text=HELP, max_length=LENGTH),
        ),
    ]
