"""The compiled assets (built by `make install` / `node kith/assets/build.mjs`)."""

from __future__ import annotations

import re
from pathlib import Path

STATIC = Path(__file__).resolve().parents[2] / "static"


def test_stylesheet_loads_nothing_from_another_host() -> None:
    # given the compiled stylesheet
    css = (STATIC / "css" / "main.css").read_text(encoding="utf-8")
    # then no url() points off this site (fonts from a third party would learn every visitor's address)
    external = re.findall(r"url\((['\"]?)(https?:)?//[^)]*\)", css)
    assert external == []
    assert "font-face" not in css


def test_the_page_font_is_set_without_the_web_font() -> None:
    # given the compiled stylesheet
    css = (STATIC / "css" / "main.css").read_text(encoding="utf-8")
    # then the page still gets a sans-serif font (the frontend sets none without its web font)
    assert re.search(r"html\{[^}]*font-family:arial,sans-serif", css)
