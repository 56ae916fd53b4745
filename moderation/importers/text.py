"""Turning what other systems stored into what this service stores: plain, safe text."""

from __future__ import annotations

import ipaddress
import re
from datetime import UTC, datetime
from functools import lru_cache
from html import unescape as _unescape
from html.parser import HTMLParser

from marshmallow import ValidationError, validate

from moderation.clients import hash_value

# The API refuses these in a reader's comment; an import drops them.
_CONTROL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f]")
_SPACES = re.compile(r"[ \t\r\f\v\u00a0]+")
_PLAIN_SPACES = re.compile(r"  +")
_BLOCKS = {"p", "div", "blockquote", "pre", "ul", "ol", "li", "h1", "h2", "h3", "h4", "h5",
           "h6", "tr", "table", "hr", "section", "article", "dd", "dt"}
_HTTP = re.compile(r"https?://")
_PARAGRAPHS = {"p", "blockquote", "pre"}
_DROPPED = {"script", "style", "head", "title", "iframe", "object", "noscript"}
_EMAIL = validate.Email()
NAME_MAX = 80
EMAIL_MAX = 320
ANONYMOUS = "Anonymous"


class _TextParser(HTMLParser):
    """Collect the text of an HTML fragment, with line breaks where blocks and <br> were."""

    def __init__(self, keep_newlines: bool) -> None:
        super().__init__(convert_charrefs=True)
        self.keep_newlines = keep_newlines
        self.parts: list[str] = []
        self.dropped = 0
        self.links: list[tuple[str | None, int]] = []

    def handle_starttag(self, tag, attrs):
        if tag in _DROPPED:
            self.dropped += 1
        elif tag == "br":
            self.parts.append("\n")
        elif tag in _BLOCKS:
            self.parts.append("\n\n" if tag in _PARAGRAPHS else "\n")
        elif tag == "a":
            self.links.append((dict(attrs).get("href"), len(self.parts)))

    def handle_startendtag(self, tag, attrs):
        if tag == "br" or tag in _BLOCKS:
            self.parts.append("\n")

    def handle_endtag(self, tag):
        if tag in _DROPPED:
            self.dropped = max(0, self.dropped - 1)
        elif tag in _BLOCKS:
            self.parts.append("\n\n" if tag in _PARAGRAPHS else "\n")
        elif tag == "a" and self.links:
            href, start = self.links.pop()
            label = "".join(self.parts[start:]).strip()
            # A link keeps its address when its words do not show it: readers lose no URL.
            if href and _HTTP.match(href) and href.rstrip("/") not in label:
                self.parts.append(f" ({href})" if label else href)

    def handle_data(self, data):
        if self.dropped:
            return
        if not self.keep_newlines:
            data = data.replace("\r", " ").replace("\n", " ")
        self.parts.append(data)


def tidy(text: str) -> str:
    """Normalise line ends and spaces, drop control characters, trim."""
    lines: list[str] = []
    for line in text.replace("\r\n", "\n").replace("\r", "\n").split("\n"):
        # A printable line holds no control character, tab or no-break space (most do not):
        # only runs of plain spaces can need folding.
        if not line.isprintable():
            line = _SPACES.sub(" ", _CONTROL.sub("", line))
        elif "  " in line:
            line = _PLAIN_SPACES.sub(" ", line)
        line = line.strip()
        if line or (lines and lines[-1]):
            lines.append(line)  # at most one blank line in a row, none at the start
    while lines and not lines[-1]:
        lines.pop()
    return "\n".join(lines)


# The tags nearly every exported comment is made of: a name, then quoted, plain or bare
# attributes. A fragment of only these and text is converted by _simple_text; anything else
# (comments, declarations, a lone '<', <script>/<style> whose content is raw text) goes
# through HTMLParser. Both give the same text (tests compare them on generated fragments).
_SIMPLE_TAG = re.compile(
    r"<(/?)([a-zA-Z][a-zA-Z0-9]*)((?:\s+[a-zA-Z_:][-a-zA-Z0-9_:.]*"
    r"""(?:\s*=\s*(?:"[^"]*"|'[^']*'|[^\s"'=<>`]+))?)*)\s*(/?)>"""
)
_SIMPLE_ATTR = re.compile(
    r"""([a-zA-Z_:][-a-zA-Z0-9_:.]*)(?:\s*=\s*(?:"([^"]*)"|'([^']*)'|([^\s"'=<>`]+)))?"""
)
_RAW_TEXT = {"script", "style"}


def _simple_text(html: str, keep_newlines: bool) -> str | None:
    """Return the text _TextParser would collect from html, or None if it has other tags."""
    pieces = _SIMPLE_TAG.split(html)
    parts: list[str] = []
    links: list[tuple[str | None, int]] = []
    dropped = 0
    # pieces: text, then (closing, name, attributes, empty, text) for each tag.
    for index in range(0, len(pieces), 5):
        data = pieces[index]
        if data:
            if "<" in data:
                return None
            if not dropped:
                if "&" in data:
                    data = _unescape(data)
                parts.append(data if keep_newlines
                             else data.replace("\r", " ").replace("\n", " "))
        if index + 1 == len(pieces):
            break
        closing, name, attributes, empty = pieces[index + 1:index + 5]
        name = name.lower()
        if name in _RAW_TEXT:
            return None
        if closing:
            if attributes or empty:
                return None
            if name in _DROPPED:
                dropped = max(0, dropped - 1)
            elif name in _BLOCKS:
                parts.append("\n\n" if name in _PARAGRAPHS else "\n")
            elif name == "a" and links:
                href, start = links.pop()
                label = "".join(parts[start:]).strip()
                if href and _HTTP.match(href) and href.rstrip("/") not in label:
                    parts.append(f" ({href})" if label else href)
        elif empty:
            if name == "br" or name in _BLOCKS:
                parts.append("\n")
        elif name in _DROPPED:
            dropped += 1
        elif name == "br":
            parts.append("\n")
        elif name in _BLOCKS:
            parts.append("\n\n" if name in _PARAGRAPHS else "\n")
        elif name == "a":
            links.append((_href(attributes), len(parts)))
    return "".join(parts)


def _href(attributes: str) -> str | None:
    """Return the last href among a simple tag's attributes, as HTMLParser reads it."""
    href = None
    for match in _SIMPLE_ATTR.finditer(attributes):
        key, double, single, bare = match.groups()
        if key.lower() == "href":
            value = double if double is not None else single if single is not None else bare
            href = None if value is None else html_unescape(value)
    return href


def html_to_text(html: str | None, *, keep_newlines: bool = False) -> str:
    """Return the plain text of an HTML comment, as a reader would have typed it.

    Tags go, entities are decoded, paragraphs and <br> become line breaks, a link's address
    follows its words. keep_newlines keeps line breaks in the text itself (WordPress stores
    comments that way and adds the paragraphs when it shows them).
    """
    if not html:
        return ""
    if "<" not in html and "&" not in html:
        return tidy(html if keep_newlines else html.replace("\n", " "))
    text = _simple_text(html, keep_newlines)
    if text is None:
        return parsed_html_to_text(html, keep_newlines=keep_newlines)
    return tidy(text)


def parsed_html_to_text(html: str, *, keep_newlines: bool = False) -> str:
    """Return html_to_text's result from HTMLParser alone (any fragment, at its speed)."""
    parser = _TextParser(keep_newlines)
    parser.feed(html)
    parser.close()
    return tidy("".join(parser.parts))


def plain_text(text: str | None) -> str:
    """Return plain or Markdown text as stored here: line breaks kept, control characters not."""
    return tidy(text or "")


def author_name(name: str | None) -> str:
    """Return a display name within the live limits: no control characters, at most 80."""
    cleaned = _SPACES.sub(" ", _CONTROL.sub("", html_unescape(name or ""))).strip()
    return cleaned[:NAME_MAX].strip() or ANONYMOUS


def html_unescape(value: str) -> str:
    """Decode HTML entities in a short field (names come escaped from some systems)."""
    return _unescape(value) if "&" in value else value


# Exports repeat their regular commenters' addresses thousands of times; each is checked once.
@lru_cache(maxsize=65536)
def author_email(email: str | None) -> str | None:
    """Return the address when the API would have accepted it from a reader, else None."""
    email = (email or "").strip()
    if not email or len(email) > EMAIL_MAX:
        return None
    try:
        _EMAIL(email)
    except ValidationError:
        return None
    return email


@lru_cache(maxsize=65536)
def canonical_ip(raw: str | None) -> str | None:
    """Return the address in the form the WSGI server reports it, or None if it is none."""
    raw = (raw or "").strip()
    if not raw:
        return None
    try:
        return str(ipaddress.ip_address(raw.split("%")[0]))
    except ValueError:
        return None


def client_hash(ip: str | None, source: str, author_key: str | None, source_id: str) -> str:
    """Return the salted hash that stands for the author's address, as live comments have it.

    Without an address, a pseudonymous key per author (or per comment) takes its place, so
    a ban on one imported author can never match all the others.
    """
    address = canonical_ip(ip)
    if address is not None:
        return hash_value(address, "client")
    who = author_key or f"comment:{source_id}"
    return hash_value(f"import:{source}:{who}", "client")


_FRACTION = re.compile(r"(\.\d{1,6})\d*")


def parse_time(value: str | float | int | None) -> datetime | None:
    """Return a naive UTC datetime from ISO 8601, 'YYYY-MM-DD HH:MM:SS' (UTC) or epoch seconds."""
    if value is None or value == "":
        return None
    if isinstance(value, int | float):
        try:
            return datetime.fromtimestamp(float(value), UTC).replace(tzinfo=None)
        except (OverflowError, OSError, ValueError):
            return None
    text = value.strip()
    if not text or text.startswith("0000-00-00"):
        return None
    if "." not in text and "z" not in text:
        # Most exports' form ("2015-02-01T10:00:00Z"): no fraction to cut, and 'Z' (UTC)
        # is read as below; anything fromisoformat refuses takes the longer way.
        try:
            moment = datetime.fromisoformat(text)
        except ValueError:
            pass
        else:
            if moment.tzinfo is not None:
                moment = moment.astimezone(UTC).replace(tzinfo=None)
            return moment
    text = _FRACTION.sub(r"\1", text.replace("Z", "+00:00").replace("z", "+00:00"), count=1)
    try:
        moment = datetime.fromisoformat(text)
    except ValueError:
        return None
    if moment.tzinfo is not None:
        moment = moment.astimezone(UTC).replace(tzinfo=None)
    return moment
