"""Forms for completing a measure: choose one, then answer every item on one page."""

from __future__ import annotations

from typing import Any

from django import forms

from kith.outcomes.measures import Measure


class MeasureChooseForm(forms.Form):
    measure = forms.ChoiceField(
        label="Which measure?",
        widget=forms.RadioSelect,
        error_messages={"required": "Select a measure", "invalid_choice": "Select a measure"},
    )

    def __init__(self, *args: Any, choices: list[tuple[str, str]], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        field = self.fields["measure"]
        assert isinstance(field, forms.ChoiceField)  # noqa: S101 - narrows the type
        field.choices = choices


class MeasureAnswersForm(forms.Form):
    """One radio question per item, in the measure's order; `answers` gives the values."""

    def __init__(self, *args: Any, definition: Measure, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.definition = definition
        for number, item in enumerate(definition.items, start=1):
            message = f"Select an answer for question {number}"
            self.fields[f"item_{item.id}"] = forms.TypedChoiceField(
                label=item.text,
                choices=[(str(option.value), option.label) for option in item.options],
                coerce=int,
                widget=forms.RadioSelect,
                error_messages={"required": message, "invalid_choice": message},
            )

    @property
    def answers(self) -> list[int]:
        return [self.cleaned_data[f"item_{item.id}"] for item in self.definition.items]
