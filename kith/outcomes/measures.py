"""Outcome measures as data, and the one generic scorer for all of them.

Each measure is a JSON file (`kith/outcomes/data/measures/<code>.json`, described in the README
there): its items, answer options, scoring rules, bands and source and licence notes. A deployment
adds measures, or loads licensed item wording, by listing directories in the setting
`KITH_OUTCOMES_MEASURE_DIRS`:

- `<code>.json` in such a directory is a new measure (a code already defined is an error, so a
  deployment cannot silently change how a published measure is scored);
- `<code>.texts.json` holds the licensed wording of a measure's items (and optionally its prompt
  and option labels), which replaces the shipped paraphrases.

`score(code, answers)` checks every answer before scoring anything and raises
`ValidationFailed` naming the item at fault; it never returns a score for bad input.

Scoring rules a measure file may use (`scoring`):

- `total`: "sum", "mean" or null (no published total: the result's `total` is None);
- `places`: decimal places for means (rounded half up), default 2;
- `scores`: further scores, each `{"key", "method": "sum"|"mean", "items": [ids], "places"}`;
- `conversion`: `{"key", "of": "total", "table": {"raw": value}}`, a table covering every raw
  total (SWEMWBS raw-to-metric);
- `bands`: `{"of": "total" or a `scores` key, "ranges": [{"min", "max", "code", "label"}]}`,
  inclusive integer ranges covering every possible score exactly once; null when none are
  published (the result's `band` is None);
- `item_bands`: `[{"items": [ids], "ranges": [...]}]`, a label per item (`<item key>_band`);
- `report_items`: when true, each item's value is in the result under its key;
- `flags`: `[{"flag", "item", "above"}]`, raised when that item's value is above `above`. The
  flag `"risk"` means a human follows the answer up the same day, whoever recorded it: the
  response is marked `is_risk`, and `kith.care.services.measure_risk_raise` puts it on a team's
  huddle board. Any measure may flag risk this way; nothing is PHQ-9-specific.
"""

from __future__ import annotations

import json
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from decimal import ROUND_HALF_UP, Decimal
from functools import cache
from pathlib import Path
from typing import Any, Final

from django.conf import settings
from django.core.exceptions import ImproperlyConfigured

from kith.core.errors import ValidationFailed

DATA_DIR: Final = Path(__file__).resolve().parent / "data" / "measures"
TEXTS_SUFFIX: Final = ".texts.json"
# The flag that needs a human the same day (PHQ-9 item 9 above zero, say): see `flags` above.
RISK_FLAG: Final = "risk"

Score = int | float | str | list[str] | None


class MeasureDefinitionError(ImproperlyConfigured):
    """A measure file is malformed; the message names the file and what is wrong."""


@dataclass(frozen=True)
class Option:
    value: int
    label: str
    loinc: str | None = None


@dataclass(frozen=True)
class Item:
    id: str
    key: str
    text: str
    options: tuple[Option, ...]
    loinc: str | None = None

    @property
    def values(self) -> tuple[int, ...]:
        """The allowed values, lowest first (options keep the order they are shown in)."""
        return tuple(sorted(option.value for option in self.options))


@dataclass(frozen=True)
class Band:
    min: int
    max: int
    code: str
    label: str


@dataclass(frozen=True)
class SubScore:
    key: str
    method: str
    item_ids: tuple[str, ...]
    places: int


@dataclass(frozen=True)
class Measure:
    code: str
    name: str
    short_name: str
    prompt: str
    source: str
    licence: str
    is_text_licensed: bool
    has_licensed_text: bool
    items: tuple[Item, ...]
    total: str | None
    places: int
    scores: tuple[SubScore, ...]
    conversion_key: str | None
    conversion: Mapping[int, float]
    bands_of: str | None
    bands: tuple[Band, ...]
    item_bands: Mapping[str, tuple[Band, ...]]
    report_items: bool
    flags: tuple[tuple[str, str, int], ...]
    fhir: Mapping[str, str] = field(default_factory=dict)
    path: Path | None = None

    def item(self, item_id: str) -> Item:
        for item in self.items:
            if item.id == item_id:
                return item
        raise KeyError(item_id)

    @property
    def risk_flags(self) -> tuple[RiskFlag, ...]:
        """The questions whose answers flag risk, in item order, each with the answers that do
        not (the options at or below the threshold), so a form can say so beforehand."""
        flagged = {item_id: above for flag, item_id, above in self.flags if flag == RISK_FLAG}
        return tuple(
            RiskFlag(number=number, item=item, above=flagged[item.id])
            for number, item in enumerate(self.items, start=1)
            if item.id in flagged
        )


@dataclass(frozen=True)
class RiskFlag:
    number: int  # the question's number as the person sees it, from 1
    item: Item
    above: int  # an answer above this value flags risk

    @property
    def safe_options(self) -> tuple[Option, ...]:
        """The answers that do not flag risk, in the order they are shown."""
        return tuple(option for option in self.item.options if option.value <= self.above)


@dataclass(frozen=True)
class RiskAnswer:
    """One answer that raised the risk flag: which question, and what the person answered."""

    number: int
    item: Item
    option: Option


def risk_answers(code: str, answers: Sequence[int]) -> list[RiskAnswer]:
    """The answers in a completed measure that raised its risk flag, in item order (empty when
    none did, or the measure flags no risk). `answers` must be valid: they were scored."""
    definition = measure(code)
    found = []
    for flag in definition.risk_flags:
        value = answers[flag.number - 1]
        if value > flag.above:
            option = next(o for o in flag.item.options if o.value == value)
            found.append(RiskAnswer(number=flag.number, item=flag.item, option=option))
    return found


def measure_dirs() -> tuple[Path, ...]:
    """The built-in directory, then each of the deployment's `KITH_OUTCOMES_MEASURE_DIRS`."""
    extra = getattr(settings, "KITH_OUTCOMES_MEASURE_DIRS", ()) or ()
    if isinstance(extra, str | Path):
        extra = (extra,)
    return (DATA_DIR, *(Path(directory) for directory in extra))


def measures() -> dict[str, Measure]:
    """Every measure, by code. Files are read once per set of directories."""
    return _load(measure_dirs())


def measure(code: str) -> Measure:
    """One measure by code, or ValidationFailed naming the codes there are."""
    found = measures()
    if not isinstance(code, str) or code not in found:
        known = ", ".join(sorted(found))
        raise ValidationFailed(
            f"There is no outcome measure with the code {code!r}. Use one of: {known}.",
            field="code",
        )
    return found[code]


def score(code: str, answers: Sequence[int]) -> dict[str, Score]:
    """Score one completed measure: `answers` are the item values, in item order.

    Returns a flat dict: `code`, `total` (None when the measure has no published total),
    `band` (the published label, or None), `band_code`, `flags` (a list, e.g. ["risk"]), and the
    measure's own scores (SWEMWBS `metric`; DIALOG `subjective_quality_of_life` and
    `treatment_satisfaction`; ONS4 each item and `<item>_band`).
    """
    definition = measure(code)
    values = _check_answers(definition, answers)
    by_id = dict(zip((item.id for item in definition.items), values, strict=True))
    result: dict[str, Score] = {"code": definition.code}
    result["total"] = _aggregate(definition.total, values, definition.places)
    for subscore in definition.scores:
        chosen = [by_id[item_id] for item_id in subscore.item_ids]
        result[subscore.key] = _aggregate(subscore.method, chosen, subscore.places)
    if definition.conversion_key:
        result[definition.conversion_key] = definition.conversion[_as_int(result["total"])]
    band = _band(definition.bands, result[definition.bands_of]) if definition.bands_of else None
    result["band"] = band.label if band else None
    result["band_code"] = band.code if band else None
    for item in definition.items:
        if definition.report_items:
            result[item.key] = by_id[item.id]
        if item.id in definition.item_bands:
            item_band = _band(definition.item_bands[item.id], by_id[item.id])
            result[f"{item.key}_band"] = item_band.label if item_band else None
    result["flags"] = [flag for flag, item_id, above in definition.flags if by_id[item_id] > above]
    return result


def _check_answers(definition: Measure, answers: object) -> list[int]:
    name = definition.short_name
    count = len(definition.items)
    if isinstance(answers, str | bytes) or not isinstance(answers, Sequence):
        raise ValidationFailed(
            f"Give the {name} answers as a list of {count} item values, in order.",
            field="answers",
        )
    if len(answers) != count:
        raise ValidationFailed(
            f"{name} has {count} items but {len(answers)} answers were given. "
            f"Answer every item, in order.",
            field="answers",
        )
    values: list[int] = []
    for number, (item, value) in enumerate(zip(definition.items, answers, strict=True), start=1):
        if type(value) is not int or value not in item.values:
            allowed = item.values
            if allowed == tuple(range(allowed[0], allowed[-1] + 1)):
                wanted = f"a whole number from {allowed[0]} to {allowed[-1]}"
            else:
                wanted = "one of " + ", ".join(str(option) for option in allowed)
            raise ValidationFailed(
                f"{name} item {number} ({item.text!r}) needs {wanted}, not {value!r}.",
                field=item.id,
                extra={"item": item.id, "position": number},
            )
        values.append(value)
    return values


def _aggregate(method: str | None, values: Sequence[int], places: int) -> int | float | None:
    if method is None:
        return None
    if method == "sum":
        return sum(values)
    exact = Decimal(sum(values)) / Decimal(len(values))
    return float(exact.quantize(Decimal(1).scaleb(-places), rounding=ROUND_HALF_UP))


def _as_int(value: Score) -> int:
    if type(value) is not int:
        raise TypeError(f"expected an integer score, got {value!r}")
    return value


def _band(ranges: Sequence[Band], value: Score) -> Band | None:
    number = _as_int(value)
    for band in ranges:
        if band.min <= number <= band.max:
            return band
    return None


# Loading and checking measure files ------------------------------------------------------------


@cache
def _load(directories: tuple[Path, ...]) -> dict[str, Measure]:
    raw: dict[str, tuple[Path, dict[str, Any]]] = {}
    texts: dict[str, tuple[Path, dict[str, Any]]] = {}
    for directory in directories:
        if not directory.is_dir():
            raise MeasureDefinitionError(f"Outcome measure directory {directory} does not exist.")
        for path in sorted(directory.glob("*.json")):
            data = _read(path)
            if path.name.endswith(TEXTS_SUFFIX):
                texts[path.name.removesuffix(TEXTS_SUFFIX)] = (path, data)
                continue
            code = path.stem
            if data.get("code") != code:
                raise MeasureDefinitionError(
                    f"{path}: 'code' must be {path.stem!r}, the file name."
                )
            if code in raw:
                raise MeasureDefinitionError(
                    f"{path}: the measure {code!r} is already defined in {raw[code][0]}."
                )
            raw[code] = (path, data)
    for code, (path, _) in texts.items():
        if code not in raw:
            raise MeasureDefinitionError(f"{path}: there is no measure {code!r} for these texts.")
    return {code: _build(path, data, texts.get(code)) for code, (path, data) in sorted(raw.items())}


def _read(path: Path) -> dict[str, Any]:
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, UnicodeDecodeError, json.JSONDecodeError) as error:
        raise MeasureDefinitionError(f"{path}: cannot read it as JSON ({error}).") from error
    if not isinstance(data, dict):
        raise MeasureDefinitionError(f"{path}: the file must hold one JSON object.")
    return data


def _build(path: Path, data: dict[str, Any], texts: tuple[Path, dict[str, Any]] | None) -> Measure:
    def fail(problem: str) -> MeasureDefinitionError:
        return MeasureDefinitionError(f"{path}: {problem}")

    def text(mapping: Mapping[str, Any], key: str, *, required: bool = True) -> str:
        value = mapping.get(key, "")
        if not isinstance(value, str) or (required and not value.strip()):
            raise fail(f"{key!r} must be a non-empty string.")
        return value

    overlay = texts[1] if texts else {}
    item_texts = overlay.get("items", {})
    option_labels = overlay.get("options", {})

    def options(raw_options: object, where: str) -> tuple[Option, ...]:
        if not isinstance(raw_options, list) or not raw_options:
            raise fail(f"{where} needs a non-empty list of options.")
        built = []
        for raw_option in raw_options:
            value = raw_option.get("value") if isinstance(raw_option, dict) else None
            if type(value) is not int:
                raise fail(f"{where}: every option needs an integer 'value'.")
            label = option_labels.get(str(value), text(raw_option, "label"))
            built.append(Option(value=value, label=label, loinc=raw_option.get("loinc")))
        values = [option.value for option in built]
        if len(values) != len(set(values)):
            raise fail(f"{where}: option values must be unique.")
        return tuple(built)

    shared = options(data["options"], "options") if "options" in data else None
    raw_items = data.get("items")
    if not isinstance(raw_items, list) or not raw_items:
        raise fail("'items' must be a non-empty list.")
    items: list[Item] = []
    for raw_item in raw_items:
        if not isinstance(raw_item, dict):
            raise fail("each item must be an object.")
        item_id = text(raw_item, "id")
        item_options = (
            options(raw_item["options"], f"item {item_id}") if "options" in raw_item else shared
        )
        if item_options is None:
            raise fail(f"item {item_id} has no options and the measure has no shared options.")
        items.append(
            Item(
                id=item_id,
                key=text(raw_item, "key"),
                text=item_texts.get(item_id, text(raw_item, "text")),
                options=item_options,
                loinc=raw_item.get("loinc"),
            )
        )
    ids = [item.id for item in items]
    keys = [item.key for item in items]
    if len(set(ids)) != len(ids) or len(set(keys)) != len(keys):
        raise fail("item ids and keys must be unique.")
    unknown_texts = set(item_texts) - set(ids)
    if texts and unknown_texts:
        raise MeasureDefinitionError(f"{texts[0]}: unknown item ids {sorted(unknown_texts)}.")
    by_id = {item.id: item for item in items}

    scoring = data.get("scoring")
    if not isinstance(scoring, dict):
        raise fail("'scoring' must be an object.")
    total = scoring.get("total")
    if total not in ("sum", "mean", None):
        raise fail("scoring 'total' must be 'sum', 'mean' or null.")
    places = scoring.get("places", 2)
    if type(places) is not int or not 0 <= places <= 6:
        raise fail("scoring 'places' must be a whole number from 0 to 6.")

    # The possible range of every integer-valued score, so bands and tables can be checked.
    ranges: dict[str, tuple[int, int]] = {}
    if total == "sum":
        ranges["total"] = _sum_range(items)
    subscores: list[SubScore] = []
    for raw_score in scoring.get("scores", []):
        key = text(raw_score, "key")
        method = raw_score.get("method")
        item_ids = tuple(raw_score.get("items", []))
        if method not in ("sum", "mean") or not item_ids or not set(item_ids) <= set(by_id):
            raise fail(f"score {key!r} needs a method 'sum' or 'mean' and known item ids.")
        sub_places = raw_score.get("places", places)
        subscores.append(SubScore(key=key, method=method, item_ids=item_ids, places=sub_places))
        if method == "sum":
            ranges[key] = _sum_range([by_id[item_id] for item_id in item_ids])

    conversion_key = None
    conversion: dict[int, float] = {}
    raw_conversion = scoring.get("conversion")
    if raw_conversion:
        conversion_key = text(raw_conversion, "key")
        if raw_conversion.get("of") != "total" or "total" not in ranges:
            raise fail("a conversion must be 'of' a summed 'total'.")
        table = raw_conversion.get("table", {})
        low, high = ranges["total"]
        if sorted(table) != sorted(str(raw) for raw in range(low, high + 1)):
            raise fail(f"the conversion table must have one row for every total {low}-{high}.")
        for raw_total, value in table.items():
            if type(value) not in (int, float):
                raise fail(f"conversion row {raw_total} must be a number.")
            conversion[int(raw_total)] = float(value)

    bands_of = None
    bands: tuple[Band, ...] = ()
    raw_bands = scoring.get("bands")
    if raw_bands:
        bands_of = raw_bands.get("of")
        if bands_of not in ranges:
            raise fail("bands must be 'of' the summed total or a summed score.")
        bands = _bands(raw_bands.get("ranges"), ranges[bands_of], fail, "bands")

    item_bands: dict[str, tuple[Band, ...]] = {}
    for group in scoring.get("item_bands", []):
        for item_id in group.get("items", []):
            if item_id not in by_id:
                raise fail(f"item_bands names an unknown item {item_id!r}.")
            values = by_id[item_id].values
            item_bands[item_id] = _bands(
                group.get("ranges"), (values[0], values[-1]), fail, f"item_bands for {item_id}"
            )

    flags: list[tuple[str, str, int]] = []
    for raw_flag in scoring.get("flags", []):
        name = text(raw_flag, "flag")
        item_id = raw_flag.get("item")
        above = raw_flag.get("above")
        if item_id not in by_id or type(above) is not int:
            raise fail(f"flag {name!r} needs a known 'item' and an integer 'above'.")
        flags.append((name, item_id, above))

    reserved = {"code", "total", "band", "band_code", "flags"}
    keys_out = [s.key for s in subscores] + ([conversion_key] if conversion_key else [])
    if scoring.get("report_items"):
        keys_out += keys
    keys_out += [f"{by_id[item_id].key}_band" for item_id in item_bands]
    if len(set(keys_out)) != len(keys_out) or reserved & set(keys_out):
        raise fail("result keys clash: score, conversion and item keys must be distinct.")

    fhir = data.get("fhir") or {}
    return Measure(
        code=data["code"],
        name=text(data, "name"),
        short_name=text(data, "short_name"),
        prompt=str(overlay.get("prompt", data.get("prompt", ""))),
        source=text(data, "source"),
        licence=text(data, "licence"),
        is_text_licensed=bool(data.get("is_text_licensed", False)),
        has_licensed_text=bool(texts),
        items=tuple(items),
        total=total,
        places=places,
        scores=tuple(subscores),
        conversion_key=conversion_key,
        conversion=conversion,
        bands_of=bands_of,
        bands=bands,
        item_bands=item_bands,
        report_items=bool(scoring.get("report_items", False)),
        flags=tuple(flags),
        fhir={str(key): str(value) for key, value in fhir.items()},
        path=path,
    )


def _sum_range(items: Iterable[Item]) -> tuple[int, int]:
    chosen = list(items)
    return sum(item.values[0] for item in chosen), sum(item.values[-1] for item in chosen)


def _bands(raw: object, span: tuple[int, int], fail: Any, where: str) -> tuple[Band, ...]:
    if not isinstance(raw, list) or not raw:
        raise fail(f"{where} need a non-empty list of ranges.")
    built: list[Band] = []
    expected = span[0]
    for entry in raw:
        if not isinstance(entry, dict) or not isinstance(entry.get("label"), str):
            raise fail(f"{where}: every range needs 'min', 'max' and a 'label'.")
        low, high = entry.get("min"), entry.get("max")
        if type(low) is not int or type(high) is not int or low != expected or high < low:
            raise fail(
                f"{where} must cover {span[0]}-{span[1]} in order with no gap or overlap "
                f"(expected a range starting at {expected})."
            )
        built.append(Band(min=low, max=high, code=entry.get("code", ""), label=entry["label"]))
        expected = high + 1
    if expected != span[1] + 1:
        raise fail(f"{where} must end at {span[1]}.")
    return tuple(built)
