"""What a feed's values become in Kith: HTML as safe plain text, web and email addresses
repaired where the repair is certain, and nothing kept that Kith could not show or publish.

Each function returns the value to keep ("" when nothing can be kept) and, when it changed the
value, why (for the import report); the reason is "" when the value is kept as given.

HTML: nh3 (the ammonia sanitiser) first removes everything unsafe (scripts, styles, event
handlers, `javascript:` links) and every tag but a few structural ones, then those few become
text: a paragraph, heading, list or table is a paragraph (separated by a blank line, which is
how the public pages split paragraphs), a list item or table row a line of its own, `<br>` a
line break, and a link its words followed by its address when the words do not already say it.
Entities are decoded once the markup is gone; HTML that was escaped (as a whole, or tags
written as text inside HTML) is read as HTML too, so no markup is left.
"""

from __future__ import annotations

import html
import re
from html.parser import HTMLParser
from typing import Final

import nh3
from django.core.exceptions import ValidationError
from django.core.validators import EmailValidator, URLValidator

# A complete tag (`<p>`, `</div>`, `<br/>`, `<a href="...">`), or an entity (`&amp;`, `&#8217;`).
_TAG = re.compile(r"</?[a-zA-Z][a-zA-Z0-9]*(?:\s[^<>]*)?/?>|<!--.*?-->", re.S)
_ENTITY = re.compile(r"&(?:#[0-9]{1,7}|#[xX][0-9a-fA-F]{1,6}|[a-zA-Z][a-zA-Z0-9]{1,31});")
_BLOCKS: Final = frozenset(
    {
        "address",
        "article",
        "aside",
        "blockquote",
        "dd",
        "div",
        "dl",
        "dt",
        "figcaption",
        "figure",
        "footer",
        "h1",
        "h2",
        "h3",
        "h4",
        "h5",
        "h6",
        "header",
        "hr",
        "main",
        "nav",
        "ol",
        "p",
        "pre",
        "section",
        "table",
        "ul",
    }
)
_LINES: Final = frozenset({"br", "li", "tr", "caption"})
_CELLS: Final = frozenset({"td", "th"})
# Removed with everything inside them: nothing in them is text a person should read.
_DROPPED: Final = frozenset(
    {"script", "style", "template", "svg", "math", "iframe", "object", "noscript", "head"}
)
_KEPT_SCHEMES: Final = frozenset({"http", "https", "mailto"})
_SPACES = re.compile(r"[ \t\f\v\u00a0\u2000-\u200b\u202f\u205f\u3000]+")
# Characters no field should hold (PostgreSQL refuses NUL in text; a lone surrogate has no UTF-8).
_CONTROL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f\ud800-\udfff]")
# Marks for the structure while HTML becomes text; control characters are removed before.
_PARAGRAPH = "\x00"
_LINE = "\x01"

# A value that starts with a domain name: "www.example.org", "example.org/path".
_BARE_DOMAIN = re.compile(
    r"^(?:[a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?\.)+[a-z]{2,63}\.?(?::\d{1,5})?(?:[/?#]\S*)?$",
    re.I,
)
# "http:www.example.org", "https:/example.org", "http:///example.org": the slashes are wrong.
_BAD_SLASHES = re.compile(r"^(https?):(?!//[^/])/*(?=[^/\s])", re.I)
_url_validator = URLValidator(schemes=["http", "https"])
_email_validator = EmailValidator()


def has_markup(value: str) -> bool:
    return bool(_TAG.search(value) or _ENTITY.search(value))


class _Text(HTMLParser):
    """The text of sanitised HTML, with paragraph and line marks where the structure was."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.parts: list[str] = []
        self.links: list[tuple[str, int]] = []  # (href, where its words start)

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag in _BLOCKS:
            self.parts.append(_PARAGRAPH)
        elif tag in _LINES:
            self.parts.append(_LINE)
        elif tag in _CELLS:
            self.parts.append(" ")
        elif tag == "a":
            href = dict(attrs).get("href") or ""
            self.links.append((href, len(self.parts)))

    def handle_startendtag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.handle_starttag(tag, attrs)

    def handle_endtag(self, tag: str) -> None:
        if tag in _BLOCKS:
            self.parts.append(_PARAGRAPH)
        elif tag in _LINES and tag != "br":
            self.parts.append(_LINE)
        elif tag == "a" and self.links:
            href, start = self.links.pop()
            words = "".join(self.parts[start:])
            shown = _link_address(href)
            if shown and _squash(shown) not in _squash(words):
                self.parts.append(f" ({shown})")

    def handle_data(self, data: str) -> None:
        # In HTML a line break in the source is only a space; structure comes from tags.
        self.parts.append(re.sub(r"\s+", " ", data))


def _squash(text: str) -> str:
    return re.sub(r"[^a-z0-9@]", "", text.lower().removeprefix("mailto:"))


def _link_address(href: str) -> str:
    """The address a reader would need: a web address as given, an email address without
    `mailto:`; "" for anything else (nh3 has already removed unsafe schemes)."""
    scheme = href.split(":", 1)[0].lower() if ":" in href else ""
    if scheme not in _KEPT_SCHEMES:
        return ""
    if scheme == "mailto":
        return href.split(":", 1)[1].split("?", 1)[0]
    return href


def _layout(raw: str) -> str:
    """Marks into text: paragraphs separated by a blank line, lines by a line break."""
    paragraphs = []
    for block in raw.split(_PARAGRAPH):
        lines = [_SPACES.sub(" ", line).strip() for line in block.split(_LINE)]
        lines = [line for line in lines if line]
        if lines:
            paragraphs.append("\n".join(lines))
    return "\n\n".join(paragraphs)


def html_to_text(value: str) -> str:
    """Safe plain text from HTML (see the module docstring)."""
    text = _one_pass(value)
    if _TAG.search(text):  # escaped twice: what is left is markup written as text
        text = "\n".join(
            " ".join(_one_pass(line).split()) if _TAG.search(line) else line
            for line in text.split("\n")
        )
    return text


def _one_pass(value: str) -> str:
    cleaned = nh3.clean(
        value,
        tags=set(_BLOCKS | _LINES | _CELLS | {"a"}),
        clean_content_tags=set(_DROPPED),
        attributes={"a": {"href"}},
        url_schemes=set(_KEPT_SCHEMES),
        link_rel=None,
        strip_comments=True,
    )
    parser = _Text()
    parser.feed(cleaned)
    parser.close()
    return _layout("".join(parser.parts))


def plain_text(value: str, *, is_multiline: bool) -> tuple[str, str]:
    """A text value to keep, and why it changed ("" when it did not). Text without markup is
    kept as given (line endings made "\\n"); a one-line field gets its lines joined."""
    text = value.replace("\r\n", "\n").replace("\r", "\n").strip()
    if _CONTROL.search(text):
        kept, why = plain_text(_CONTROL.sub("", text), is_multiline=is_multiline)
        return kept, "had control characters" + (f", and {why}" if why else "")
    if not has_markup(text):
        if not is_multiline and "\n" in text:
            return " ".join(text.split()), "had line breaks"
        return text, ""
    if not _TAG.search(text) and _TAG.search(html.unescape(text)):
        text = html.unescape(text)  # HTML escaped as a whole
    is_html = bool(_TAG.search(text))
    converted = html_to_text(text) if is_html else html.unescape(text).strip()
    if not is_multiline:
        converted = " ".join(converted.split())
    if converted == text:
        return text, ""
    return converted, "was HTML" if is_html else "had HTML entities"


def web_address(value: str) -> tuple[str, str]:
    """A web address to keep and why it changed; ("", why) when it is not one.

    Certain repairs only: `https://` before a bare domain ("www.example.org/path"), and the
    missing or extra slashes after `http:`/`https:` ("http:www.example.org")."""
    text = value.strip()
    if not text:
        return "", ""
    if _is_url(text):
        return text, ""
    fixed, reason = text, ""
    if _BAD_SLASHES.match(text):
        fixed = _BAD_SLASHES.sub(lambda m: m.group(1).lower() + "://", text, count=1)
        reason = "had the wrong slashes after the scheme"
    elif _BARE_DOMAIN.match(text):
        fixed = "https://" + text
        reason = "had no https:// before the domain"
    if reason and _is_url(fixed):
        return fixed, reason
    return "", "is not a web address"


def _is_url(text: str) -> bool:
    try:
        _url_validator(text)
    except ValidationError:
        return False
    return True


def email_address(value: str) -> tuple[str, str]:
    """An email address to keep and why it changed; ("", why) when it is not one.

    Certain repairs only: a `mailto:` prefix, angle brackets, and punctuation a sentence left at
    the end ("name@example.org.")."""
    text = value.strip()
    if not text:
        return "", ""
    if _is_email(text):
        return text, ""
    fixed = text
    if fixed.lower().startswith("mailto:"):
        fixed = fixed[len("mailto:") :].split("?", 1)[0]
    fixed = fixed.strip().removeprefix("<").removesuffix(">").rstrip(".,;:").strip()
    if fixed != text and _is_email(fixed):
        return fixed, "had extra characters around the address"
    if len(re.findall(r"@", text)) > 1:
        return "", "holds more than one address"
    return "", "is not an email address"


def _is_email(text: str) -> bool:
    try:
        _email_validator(text)
    except ValidationError:
        return False
    return True
