"""The text of a Coral comment body, sent as HTML or as plain text."""

from __future__ import annotations

from html.parser import HTMLParser

# Tags after which a reader sees a line break; the model reads sentences better with it.
_BREAKS = frozenset({"br", "p", "div", "li", "blockquote", "h1", "h2", "h3", "h4", "h5", "h6"})


class _TextOf(HTMLParser):
    """Collect the text a reader sees; tags, scripts and styles drop out."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.parts: list[str] = []
        self._hidden = 0

    def handle_starttag(self, tag, attrs):
        if tag in ("script", "style"):
            self._hidden += 1
        elif tag in _BREAKS:
            self.parts.append("\n")

    def handle_endtag(self, tag):
        if tag in ("script", "style"):
            self._hidden = max(0, self._hidden - 1)
        elif tag in _BREAKS:
            self.parts.append("\n")

    def handle_data(self, data):
        if not self._hidden:
            self.parts.append(data)


def plain_text(body: str) -> str:
    """Return the comment's visible text: HTML reduced to its text, plain text as it is."""
    if "<" not in body and "&" not in body:
        return body.strip()
    parser = _TextOf()
    parser.feed(body)
    parser.close()
    lines = (" ".join(line.split()) for line in "".join(parser.parts).splitlines())
    return "\n".join(line for line in lines if line)
