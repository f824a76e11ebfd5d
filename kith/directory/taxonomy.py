"""The support-type vocabulary: 39 codes, stored as the HSDS taxonomy "Kith support types".

Ids are derived from the codes (UUID5), so every Kith deployment publishes the same
taxonomy_term ids in its ORUK feed and feeds can be compared across localities.
"""

from __future__ import annotations

import csv
import uuid
from dataclasses import dataclass
from functools import cache
from pathlib import Path
from typing import Any

SUPPORT_TYPES_CSV = Path(__file__).parent / "data" / "support-types.csv"
SUPPORT_TYPES_TAXONOMY_NAME = "Kith support types"
SUPPORT_TYPES_NAMESPACE = uuid.UUID("6b1d2f3e-5c4a-4f7e-9a8b-2d1c0e9f8a7b")
SUPPORT_TYPES_TAXONOMY_ID = uuid.uuid5(SUPPORT_TYPES_NAMESPACE, "taxonomy")
SUPPORT_TYPE_LINK_TYPE = "support_type"


@dataclass(frozen=True)
class SupportType:
    code: str
    label: str

    @property
    def term_id(self) -> uuid.UUID:
        return support_type_term_id(self.code)


def support_type_term_id(code: str) -> uuid.UUID:
    return uuid.uuid5(SUPPORT_TYPES_NAMESPACE, f"term:{code}")


@cache
def support_types() -> tuple[SupportType, ...]:
    with SUPPORT_TYPES_CSV.open(newline="", encoding="utf-8") as handle:
        # The published CSV leaves commas inside one label unquoted: the rest is the label too.
        return tuple(
            SupportType(row["code"].strip(), ",".join([row["label"], *row.get("more", [])]).strip())
            for row in csv.DictReader(handle, restkey="more")
        )


@cache
def support_type_labels() -> dict[str, str]:
    return {st.code: st.label for st in support_types()}


def is_support_type(code: str) -> bool:
    return code in support_type_labels()


def support_types_load(taxonomy_model: Any, term_model: Any) -> None:
    """Create or refresh the taxonomy and its 39 terms (idempotent).

    Takes the model classes so the data migration can pass its historical models; everything
    else passes `Taxonomy` and `TaxonomyTerm`.
    """
    taxonomy, _ = taxonomy_model.objects.update_or_create(
        id=SUPPORT_TYPES_TAXONOMY_ID,
        defaults={
            "name": SUPPORT_TYPES_TAXONOMY_NAME,
            "description": "Kinds of support a person can find in Kith, formal and informal, all equally valid.",
            "version": "1",
        },
    )
    for support_type in support_types():
        term_model.objects.update_or_create(
            id=support_type.term_id,
            defaults={
                "taxonomy": taxonomy,
                "code": support_type.code,
                "name": support_type.label,
                "description": support_type.label,
                "taxonomy_name": SUPPORT_TYPES_TAXONOMY_NAME,
            },
        )
