"""What a feed's values become: HTML as safe text, web and email addresses repaired only where
the repair is certain."""

from __future__ import annotations

import pytest

from kith.directory.oruk.cleaning import email_address, html_to_text, plain_text, web_address


@pytest.mark.parametrize(
    ("given", "kept", "why"),
    [
        ("https://www.example.org/a?b=1", "https://www.example.org/a?b=1", ""),
        ("  http://example.org  ", "http://example.org", ""),
        (
            "www.example.org/branches/fictional/",
            "https://www.example.org/branches/fictional/",
            "had no https:// before the domain",
        ),
        ("example.co.uk", "https://example.co.uk", "had no https:// before the domain"),
        (
            "http:www.example.org",
            "http://www.example.org",
            "had the wrong slashes after the scheme",
        ),
        ("https:/example.org", "https://example.org", "had the wrong slashes after the scheme"),
        ("HTTP:///example.org", "http://example.org", "had the wrong slashes after the scheme"),
        ("Fictional Community Centre", "", "is not a web address"),
        ("javascript:alert(1)", "", "is not a web address"),
        ("mailto:someone@example.org", "", "is not a web address"),
        ("http://(http://forum.example.org)", "", "is not a web address"),
        ("www", "", "is not a web address"),
        ("", "", ""),
    ],
)
def test_web_address_is_repaired_only_when_certain(given: str, kept: str, why: str) -> None:
    # when / then
    assert web_address(given) == (kept, why)


@pytest.mark.parametrize(
    ("given", "kept", "why"),
    [
        ("someone@example.org", "someone@example.org", ""),
        (
            "employment@example.org.uk.",
            "employment@example.org.uk",
            "had extra characters around the address",
        ),
        (
            "mailto:someone@example.org",
            "someone@example.org",
            "had extra characters around the address",
        ),
        ("<someone@example.org>", "someone@example.org", "had extra characters around the address"),
        ("a@example.org; b@example.org", "", "holds more than one address"),
        ("not an email", "", "is not an email address"),
        ("someone@", "", "is not an email address"),
        ("   ", "", ""),
    ],
)
def test_email_address_is_repaired_only_when_certain(given: str, kept: str, why: str) -> None:
    # when / then
    assert email_address(given) == (kept, why)


def test_html_keeps_paragraphs_lines_and_link_addresses() -> None:
    # given
    given = (
        "<h2>About us</h2><p>We offer:</p><ul><li>Advice</li><li>Company</li></ul>"
        '<p>Call <a href="tel:07700900123">07700 900123</a> or email '
        '<a href="mailto:hello@example.org">hello@example.org</a>.<br>See '
        '<a href="https://example.org/times">our times</a> &ndash; &quot;all welcome&quot;.</p>'
        "<table><tr><td>Mon</td><td>9am</td></tr><tr><td>Tue</td><td>10am</td></tr></table>"
    )
    # when / then
    assert html_to_text(given) == (
        "About us\n\nWe offer:\n\nAdvice\nCompany\n\n"
        "Call 07700 900123 or email hello@example.org.\n"
        'See our times (https://example.org/times) – "all welcome".\n\n'
        "Mon 9am\nTue 10am"
    )


@pytest.mark.parametrize(
    ("given", "kept"),
    [
        ('<script>alert("x")</script>Hello', "Hello"),
        ("<style>p { display: none }</style>Hello", "Hello"),
        ('<p onclick="steal()" onmouseover="x()">Hello</p>', "Hello"),
        ('<a href="javascript:alert(1)">Hello</a>', "Hello"),
        ('<a href="JaVaScRiPt:alert(1)">Hello</a>', "Hello"),
        ('<img src="x" onerror="alert(1)">Hello', "Hello"),
        ('<iframe src="https://evil.example.com"></iframe>Hello', "Hello"),
        ('<svg onload="alert(1)"><script>alert(1)</script></svg>Hello', "Hello"),
        ("<!-- <script>alert(1)</script> -->Hello", "Hello"),
        ("&lt;script&gt;alert(1)&lt;/script&gt;Hello", "Hello"),
        ("&lt;p&gt;Hello &amp;amp; goodbye&lt;/p&gt;", "Hello & goodbye"),
        ("<p>Hello</p><p><br></p><p>&nbsp;</p>", "Hello"),
    ],
)
def test_hostile_html_leaves_only_its_text(given: str, kept: str) -> None:
    # when
    result, why = plain_text(given, is_multiline=True)
    # then
    assert result == kept
    assert why == "was HTML"


@pytest.mark.parametrize(
    ("given", "is_multiline", "kept", "why"),
    [
        ("First line.\nSecond line.", True, "First line.\nSecond line.", ""),
        ("Counselling (<750 a month)", True, "Counselling (<750 a month)", ""),
        ("Fish &amp; chips\nDaily", True, "Fish & chips\nDaily", "had HTML entities"),
        ("Tea &amp; chat", False, "Tea & chat", "had HTML entities"),
        ("Tea\nand chat", False, "Tea and chat", "had line breaks"),
        ("<b>Tea</b> club", False, "Tea club", "was HTML"),
        ("Tea\x00 club", False, "Tea club", "had control characters"),
        ("Line one\r\nLine two", True, "Line one\nLine two", ""),
    ],
)
def test_plain_text_is_kept_as_written(given: str, is_multiline: bool, kept: str, why: str) -> None:
    # when / then
    assert plain_text(given, is_multiline=is_multiline) == (kept, why)
