"""Load the 39 Kith support types as the taxonomy "Kith support types" (ids fixed by code)."""

from django.db import migrations


def load_support_types(apps, schema_editor):
    from kith.directory.taxonomy import (
        SUPPORT_TYPES_TAXONOMY_ID,
        SUPPORT_TYPES_TAXONOMY_NAME,
        support_types,
    )

    Taxonomy = apps.get_model("directory", "Taxonomy")
    TaxonomyTerm = apps.get_model("directory", "TaxonomyTerm")
    taxonomy, _ = Taxonomy.objects.update_or_create(
        id=SUPPORT_TYPES_TAXONOMY_ID,
        defaults={
            "name": SUPPORT_TYPES_TAXONOMY_NAME,
            "description": "Kinds of support a person can find in Kith, formal and informal, all equally valid.",
            "version": "1",
        },
    )
    for support_type in support_types():
        TaxonomyTerm.objects.update_or_create(
            id=support_type.term_id,
            defaults={
                "taxonomy": taxonomy,
                "code": support_type.code,
                "name": support_type.label,
                "description": support_type.label,
                "taxonomy_name": SUPPORT_TYPES_TAXONOMY_NAME,
            },
        )


def unload_support_types(apps, schema_editor):
    from kith.directory.taxonomy import SUPPORT_TYPES_TAXONOMY_ID

    apps.get_model("directory", "Taxonomy").objects.filter(id=SUPPORT_TYPES_TAXONOMY_ID).delete()


class Migration(migrations.Migration):
    dependencies = [("directory", "0001_initial")]
    operations = [migrations.RunPython(load_support_types, unload_support_types)]
