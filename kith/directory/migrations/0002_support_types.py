"""Load the 39 Kith support types as the taxonomy "Kith support types" (ids fixed by code)."""

from django.db import migrations


def load_support_types(apps, schema_editor):
    from kith.directory.taxonomy import support_types_load

    support_types_load(apps.get_model("directory", "Taxonomy"), apps.get_model("directory", "TaxonomyTerm"))


def unload_support_types(apps, schema_editor):
    from kith.directory.taxonomy import SUPPORT_TYPES_TAXONOMY_ID

    apps.get_model("directory", "Taxonomy").objects.filter(id=SUPPORT_TYPES_TAXONOMY_ID).delete()


class Migration(migrations.Migration):
    dependencies = [("directory", "0001_initial")]
    operations = [migrations.RunPython(load_support_types, unload_support_types)]
