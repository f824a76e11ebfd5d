"""Scoring every measure by its published rules, bad input, and measures added as data."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest
from django.core.exceptions import ImproperlyConfigured

from kith.core.errors import ValidationFailed
from kith.outcomes.measures import DATA_DIR, measure, measures, score


def answers_totalling(code: str, total: int) -> list[int]:
    """Item values, lowest first, raised one item at a time until they add up to `total`."""
    items = measure(code).items
    values = [item.values[0] for item in items]
    for index, item in enumerate(items):
        raise_by = min(total - sum(values), item.values[-1] - values[index])
        values[index] += raise_by
    assert sum(values) == total
    return values


# Published bands: the first and last total of every band, for every measure with bands.
BAND_EDGES = [
    ("phq9", 0, "None-minimal"),
    ("phq9", 4, "None-minimal"),
    ("phq9", 5, "Mild"),
    ("phq9", 9, "Mild"),
    ("phq9", 10, "Moderate"),
    ("phq9", 14, "Moderate"),
    ("phq9", 15, "Moderately severe"),
    ("phq9", 19, "Moderately severe"),
    ("phq9", 20, "Severe"),
    ("phq9", 27, "Severe"),
    ("gad7", 0, "Minimal"),
    ("gad7", 4, "Minimal"),
    ("gad7", 5, "Mild"),
    ("gad7", 9, "Mild"),
    ("gad7", 10, "Moderate"),
    ("gad7", 14, "Moderate"),
    ("gad7", 15, "Severe"),
    ("gad7", 21, "Severe"),
    ("ucla3", 3, "Not lonely"),
    ("ucla3", 5, "Not lonely"),
    ("ucla3", 6, "Lonely"),
    ("ucla3", 9, "Lonely"),
]


@pytest.mark.parametrize(("code", "total", "label"), BAND_EDGES)
def test_each_band_edge_gets_the_published_label(code: str, total: int, label: str) -> None:
    # given answers adding up to a band's first or last total
    answers = answers_totalling(code, total)
    # when they are scored
    result = score(code, answers)
    # then the total and the published band are exact
    assert result["total"] == total
    assert result["band"] == label


@pytest.mark.parametrize("code", ["phq9", "gad7", "ucla3"])
def test_every_possible_total_has_exactly_the_band_its_range_says(code: str) -> None:
    # given every possible total of a banded measure
    edges = [(total, label) for edge_code, total, label in BAND_EDGES if edge_code == code]
    low, high = edges[0][0], edges[-1][0]
    for total in range(low, high + 1):
        # when scored
        result = score(code, answers_totalling(code, total))
        # then the band is the one whose edges enclose it
        expected = next(
            label
            for (start, label), (end, _) in zip(edges[::2], edges[1::2], strict=True)
            if start <= total <= end
        )
        assert result["band"] == expected, total


# Warwick Medical School's SWEMWBS raw-to-metric conversion table.
SWEMWBS_METRIC = {
    7: 7.00, 8: 9.51, 9: 11.25, 10: 12.40, 11: 13.33, 12: 14.08, 13: 14.75, 14: 15.32,
    15: 15.84, 16: 16.36, 17: 16.88, 18: 17.43, 19: 17.98, 20: 18.59, 21: 19.25, 22: 19.98,
    23: 20.73, 24: 21.54, 25: 22.35, 26: 23.21, 27: 24.11, 28: 25.03, 29: 26.02, 30: 27.03,
    31: 28.13, 32: 29.31, 33: 30.70, 34: 32.55, 35: 35.00,
}  # fmt: skip


@pytest.mark.parametrize(("raw", "metric"), sorted(SWEMWBS_METRIC.items()))
def test_swemwbs_raw_totals_convert_to_the_published_metric_scores(raw: int, metric: float) -> None:
    # given SWEMWBS answers with this raw total
    answers = answers_totalling("swemwbs", raw)
    # when scored
    result = score("swemwbs", answers)
    # then the metric score is the published one, and no band is claimed
    assert result["total"] == raw
    assert result["metric"] == metric
    assert result["band"] is None
    assert result["flags"] == []


def test_the_swemwbs_table_in_the_data_file_is_the_published_table() -> None:
    # given the shipped measure file
    data = json.loads((DATA_DIR / "swemwbs.json").read_text(encoding="utf-8"))
    # then its conversion table is exactly the published one, row for row
    table = {int(raw): value for raw, value in data["scoring"]["conversion"]["table"].items()}
    assert table == SWEMWBS_METRIC


@pytest.mark.parametrize(
    ("item_9", "flags"), [(0, []), (1, ["risk"]), (2, ["risk"]), (3, ["risk"])]
)
def test_phq9_item_9_above_zero_raises_the_risk_flag(item_9: int, flags: list[str]) -> None:
    # given a PHQ-9 with nothing else scored, and item 9 at each value
    answers = [0, 0, 0, 0, 0, 0, 0, 0, item_9]
    # when scored
    result = score("phq9", answers)
    # then the flag follows item 9 alone, even when the band is the lowest
    assert result["flags"] == flags
    assert result["total"] == item_9
    assert result["band"] == "None-minimal"


def test_phq9_risk_flag_stays_off_however_high_the_other_items_are() -> None:
    # given every item but 9 at its highest
    result = score("phq9", [3, 3, 3, 3, 3, 3, 3, 3, 0])
    # then the band is severe but no risk flag is raised
    assert result == {
        "code": "phq9",
        "total": 24,
        "band": "Severe",
        "band_code": "severe",
        "flags": [],
    }


def test_dialog_reports_both_published_means_and_each_item() -> None:
    # given DIALOG answers: life domains 1..7 then 1, treatment 2, 3, 5
    answers = [1, 2, 3, 4, 5, 6, 7, 1, 2, 3, 5]
    # when scored
    result = score("dialog", answers)
    # then quality of life is the mean of the 8 domains (29/8 = 3.625, rounded half up),
    # treatment satisfaction the mean of the 3 (10/3), total the sum of all 11 and mean their
    # average (39/11)
    assert result["subjective_quality_of_life"] == 3.63
    assert result["treatment_satisfaction"] == 3.33
    assert result["total"] == 39
    assert result["mean"] == 3.55
    assert result["band"] is None
    assert result["flags"] == []
    assert result["friendships"] == 6
    assert result["partner_family"] == 7
    assert result["meetings"] == 5


@pytest.mark.parametrize(
    ("answers", "sqol", "treatment", "total"),
    [([1] * 11, 1.0, 1.0, 11), ([7] * 11, 7.0, 7.0, 77), ([4] * 8 + [7] * 3, 4.0, 7.0, 53)],
)
def test_dialog_means_at_the_ends_of_the_scale(
    answers: list[int], sqol: float, treatment: float, total: int
) -> None:
    # when DIALOG answers are scored
    result = score("dialog", answers)
    # then the means are exact
    assert (result["subjective_quality_of_life"], result["treatment_satisfaction"]) == (
        sqol,
        treatment,
    )
    assert result["total"] == total


ONS_POSITIVE = [
    (0, "Low"), (4, "Low"), (5, "Medium"), (6, "Medium"),
    (7, "High"), (8, "High"), (9, "Very high"), (10, "Very high"),
]  # fmt: skip
ONS_ANXIETY = [
    (0, "Very low"), (1, "Very low"), (2, "Low"), (3, "Low"),
    (4, "Medium"), (5, "Medium"), (6, "High"), (10, "High"),
]  # fmt: skip


@pytest.mark.parametrize(("value", "label"), ONS_POSITIVE)
@pytest.mark.parametrize("key", ["life_satisfaction", "worthwhile", "happiness"])
def test_ons4_positive_items_carry_the_ons_threshold_label(
    key: str, value: int, label: str
) -> None:
    # given ONS4 answers with this value for one positive item and 0 elsewhere
    position = ["life_satisfaction", "worthwhile", "happiness"].index(key)
    answers = [0, 0, 0, 0]
    answers[position] = value
    # when scored
    result = score("ons4", answers)
    # then that item carries its value and the published threshold label
    assert result[key] == value
    assert result[f"{key}_band"] == label


@pytest.mark.parametrize(("value", "label"), ONS_ANXIETY)
def test_ons4_anxiety_carries_the_ons_threshold_label(value: int, label: str) -> None:
    # when ONS4 is scored with this anxiety value
    result = score("ons4", [8, 8, 8, value])
    # then anxiety has its own thresholds, and there is no total or total band
    assert result["anxiety"] == value
    assert result["anxiety_band"] == label
    assert result["total"] is None
    assert result["band"] is None


def test_every_result_has_total_band_and_flags() -> None:
    # given the six shipped measures
    assert sorted(measures()) == ["dialog", "gad7", "ons4", "phq9", "swemwbs", "ucla3"]
    for code, definition in measures().items():
        # when each is scored at its lowest answers
        result = score(code, [item.values[0] for item in definition.items])
        # then the flat result always has the three keys
        assert {"total", "band", "flags"} <= set(result), code
        assert result["flags"] == [], code


def test_the_licensed_measures_ship_no_licensed_wording() -> None:
    # then SWEMWBS and UCLA-3 are marked licensed and carry only short paraphrases
    licensed = {code for code, item in measures().items() if item.is_text_licensed}
    assert licensed == {"swemwbs", "ucla3"}
    assert [item.text for item in measure("swemwbs").items][0] == "Optimism about the future"
    assert all(not item.text.startswith("I've been") for item in measure("swemwbs").items)


# Bad input ----------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("code", "answers", "field", "message"),
    [
        (
            "phq9",
            [0] * 8,
            "answers",
            "PHQ-9 has 9 items but 8 answers were given. Answer every item, in order.",
        ),
        (
            "gad7",
            [0] * 8,
            "answers",
            "GAD-7 has 7 items but 8 answers were given. Answer every item, in order.",
        ),
        (
            "phq9",
            [0, 0, 0, 0, 0, 0, 0, 0, 4],
            "phq9-9",
            "PHQ-9 item 9 ('Thoughts that you would be better off dead or of hurting yourself "
            "in some way') needs a whole number from 0 to 3, not 4.",
        ),
        (
            "swemwbs",
            [3, 0, 3, 3, 3, 3, 3],
            "swemwbs-2",
            "SWEMWBS item 2 ('Feeling useful') needs a whole number from 1 to 5, not 0.",
        ),
        (
            "gad7",
            [0, 0, -1, 0, 0, 0, 0],
            "gad7-3",
            "GAD-7 item 3 ('Worrying too much about different things') needs a whole number "
            "from 0 to 3, not -1.",
        ),
        (
            "dialog",
            [4, 4, 4, 4, 4, 4, 4, 4, 4, 4, 2.5],
            "dialog-11",
            "DIALOG item 11 ('How satisfied are you with your meetings with mental health "
            "professionals?') needs a whole number from 1 to 7, not 2.5.",
        ),
        (
            "ons4",
            [5, 5, 5, 11],
            "ons4-4",
            "ONS4 item 4 ('Overall, how anxious did you feel yesterday?') needs a whole number "
            "from 0 to 10, not 11.",
        ),
        (
            "ucla3",
            [1, "2", 1],
            "ucla3-2",
            "UCLA-3 item 2 ('Feeling left out') needs a whole number from 1 to 3, not '2'.",
        ),
        (
            "ucla3",
            [1, True, 1],
            "ucla3-2",
            "UCLA-3 item 2 ('Feeling left out') needs a whole number from 1 to 3, not True.",
        ),
        (
            "ucla3",
            [1, None, 1],
            "ucla3-2",
            "UCLA-3 item 2 ('Feeling left out') needs a whole number from 1 to 3, not None.",
        ),
        (
            "phq9",
            "000000000",
            "answers",
            "Give the PHQ-9 answers as a list of 9 item values, in order.",
        ),
        (
            "wemwbs",
            [1] * 14,
            "code",
            "There is no outcome measure with the code 'wemwbs'. "
            "Use one of: dialog, gad7, ons4, phq9, swemwbs, ucla3.",
        ),
    ],
)
def test_bad_answers_get_a_clear_error_naming_the_item(
    code: str, answers: Any, field: str, message: str
) -> None:
    # when bad answers are scored
    with pytest.raises(ValidationFailed) as raised:
        score(code, answers)
    # then the error names the field or item and says what is needed
    assert raised.value.field == field
    assert raised.value.message == message


def test_a_float_that_looks_whole_is_still_refused() -> None:
    # given a GAD-7 answer of 1.0 rather than 1
    with pytest.raises(ValidationFailed) as raised:
        score("gad7", [1.0, 0, 0, 0, 0, 0, 0])  # type: ignore[list-item]
    # then it is refused rather than scored
    assert raised.value.field == "gad7-1"


# Measures as data ---------------------------------------------------------------------------


MADE_UP = {
    "code": "kitchen5",
    "name": "Kitchen table check-in (fictional)",
    "short_name": "Kitchen-5",
    "prompt": "In the last week ...",
    "source": "Made up for Kith's tests.",
    "licence": "CC0",
    "options": [{"value": 0, "label": "No"}, {"value": 1, "label": "A bit"}, {"value": 2, "label": "Yes"}],
    "items": [
        {"id": "k-1", "key": "ate_well", "text": "Have you eaten well?"},
        {"id": "k-2", "key": "slept", "text": "Have you slept?"},
        {"id": "k-3", "key": "talked", "text": "Have you talked to someone?"},
        {"id": "k-4", "key": "outside", "text": "Have you been outside?"},
        {"id": "k-5", "key": "stuck", "text": "Have you felt stuck?", "options": [
            {"value": 2, "label": "No"}, {"value": 1, "label": "A bit"}, {"value": 0, "label": "Yes"}
        ]},
    ],
    "scoring": {
        "total": "sum",
        "scores": [{"key": "body", "method": "sum", "items": ["k-1", "k-2"]}],
        "bands": {"of": "total", "ranges": [
            {"min": 0, "max": 3, "code": "struggling", "label": "Struggling"},
            {"min": 4, "max": 10, "code": "getting-by", "label": "Getting by"},
        ]},
        "flags": [{"flag": "ate-well", "item": "k-1", "above": 1}],
    },
}  # fmt: skip


def write(directory: Path, name: str, data: dict[str, Any]) -> None:
    (directory / name).write_text(json.dumps(data), encoding="utf-8")


def test_a_measure_file_in_a_deployment_directory_can_be_scored(
    tmp_path: Path, settings: Any
) -> None:
    # given a made-up measure in a deployment's own directory, item 5 shown "No" first
    write(tmp_path, "kitchen5.json", MADE_UP)
    settings.KITH_OUTCOMES_MEASURE_DIRS = [str(tmp_path)]
    # when it is scored
    result = score("kitchen5", [2, 1, 0, 2, 1])
    # then its own rules apply, alongside the shipped measures
    assert result == {
        "code": "kitchen5",
        "total": 6,
        "body": 3,
        "band": "Getting by",
        "band_code": "getting-by",
        "flags": ["ate-well"],
    }
    assert score("kitchen5", [1, 0, 0, 2, 0])["band"] == "Struggling"
    assert score("kitchen5", [1, 0, 0, 2, 0])["flags"] == []
    assert [option.label for option in measure("kitchen5").items[4].options] == [
        "No",
        "A bit",
        "Yes",
    ]
    assert "phq9" in measures()


def test_the_made_up_measure_checks_answers_like_any_other(tmp_path: Path, settings: Any) -> None:
    # given the made-up measure
    write(tmp_path, "kitchen5.json", MADE_UP)
    settings.KITH_OUTCOMES_MEASURE_DIRS = [str(tmp_path)]
    # when an answer is out of range, then the error names its item
    with pytest.raises(ValidationFailed) as raised:
        score("kitchen5", [0, 0, 0, 3, 0])
    assert raised.value.field == "k-4"
    assert raised.value.message == (
        "Kitchen-5 item 4 ('Have you been outside?') needs a whole number from 0 to 2, not 3."
    )


def test_without_the_setting_the_made_up_measure_is_unknown() -> None:
    with pytest.raises(ValidationFailed) as raised:
        score("kitchen5", [0, 0, 0, 0, 0])
    assert raised.value.field == "code"


def test_licensed_wording_is_loaded_from_a_texts_file(tmp_path: Path, settings: Any) -> None:
    # given a deployment's texts file for UCLA-3 (fictional wording stands in for the licensed)
    write(
        tmp_path,
        "ucla3.texts.json",
        {"items": {"ucla3-1": "Licensed wording one"}, "options": {"1": "Hardly ever"}},
    )
    settings.KITH_OUTCOMES_MEASURE_DIRS = [str(tmp_path)]
    # when the measure is read
    definition = measure("ucla3")
    # then the wording replaces the paraphrase, and scoring is unchanged
    assert definition.has_licensed_text is True
    assert definition.items[0].text == "Licensed wording one"
    assert definition.items[1].text == "Feeling left out"
    assert definition.items[0].options[0].label == "Hardly ever"
    assert score("ucla3", [3, 3, 3])["band"] == "Lonely"


@pytest.mark.parametrize(
    ("change", "problem"),
    [
        (lambda d: d["scoring"]["bands"]["ranges"][1].update(min=5), "no gap or overlap"),
        (lambda d: d["scoring"]["bands"]["ranges"][1].update(max=9), "must end at 10"),
        (lambda d: d["items"].append(dict(d["items"][0])), "item ids and keys must be unique"),
        (lambda d: d["scoring"].update(total="median"), "'sum', 'mean' or null"),
        (lambda d: d["scoring"]["flags"][0].update(item="k-9"), "needs a known 'item'"),
        (lambda d: d.update(code="kitchen6"), "'code' must be 'kitchen5'"),
        (lambda d: d["options"][0].update(value="0"), "integer 'value'"),
    ],
)
def test_a_broken_measure_file_is_refused_naming_the_problem(
    tmp_path: Path, settings: Any, change: Any, problem: str
) -> None:
    # given a made-up measure file with one mistake
    data = json.loads(json.dumps(MADE_UP))
    change(data)
    write(tmp_path, "kitchen5.json", data)
    settings.KITH_OUTCOMES_MEASURE_DIRS = [str(tmp_path)]
    # when measures are loaded, then the file and the problem are named
    with pytest.raises(ImproperlyConfigured) as raised:
        measures()
    assert "kitchen5.json" in str(raised.value)
    assert problem in str(raised.value)


def test_a_deployment_cannot_redefine_a_published_measure(tmp_path: Path, settings: Any) -> None:
    # given a deployment file reusing the code phq9
    data = json.loads((DATA_DIR / "phq9.json").read_text(encoding="utf-8"))
    write(tmp_path, "phq9.json", data)
    settings.KITH_OUTCOMES_MEASURE_DIRS = [str(tmp_path)]
    # then loading refuses it
    with pytest.raises(ImproperlyConfigured, match="already defined"):
        measures()


def test_a_texts_file_for_unknown_items_is_refused(tmp_path: Path, settings: Any) -> None:
    # given a texts file naming an item SWEMWBS does not have
    write(tmp_path, "swemwbs.texts.json", {"items": {"swemwbs-8": "An eighth item"}})
    settings.KITH_OUTCOMES_MEASURE_DIRS = [str(tmp_path)]
    # then loading names the file and the unknown item
    with pytest.raises(
        ImproperlyConfigured, match=r"swemwbs.texts.json: unknown item ids \['swemwbs-8'\]"
    ):
        measures()
