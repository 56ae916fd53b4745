"""JSON bodies the app will parse: at most MAX_JSON_DEPTH deep, no lone surrogates.

Python's parser recurses, so ~20,000 nested brackets (well under the size limit) raised
RecursionError; a lone surrogate ("\\ud800") parses into a string that no database or
encoder accepts. Both are refused as invalid JSON before any view sees them.
"""

from __future__ import annotations

import re

from flask import Flask
from flask.json.provider import DefaultJSONProvider

MAX_JSON_DEPTH = 32
_STRINGS = re.compile(r'"(?:[^"\\]|\\.)*"', re.DOTALL)
_BRACKETS = re.compile(r"[\[\]{}]")
_SURROGATE = re.compile(r"[\ud800-\udfff]")


def too_deep(text: str, limit: int = MAX_JSON_DEPTH) -> bool:
    """Tell whether the JSON text nests arrays and objects more than limit deep."""
    if text.count("[") + text.count("{") <= limit:
        return False
    depth = 0
    for bracket in _BRACKETS.findall(_STRINGS.sub("", text)):
        depth += 1 if bracket in "[{" else -1
        if depth > limit:
            return True
    return False


def has_lone_surrogate(value) -> bool:
    """Tell whether any string (key or value) of a parsed document holds a lone surrogate."""
    stack = [value]
    while stack:
        item = stack.pop()
        if isinstance(item, str):
            if _SURROGATE.search(item):
                return True
        elif isinstance(item, dict):
            stack.extend(item.keys())
            stack.extend(item.values())
        elif isinstance(item, list):
            stack.extend(item)
    return False


class BoundedJSONProvider(DefaultJSONProvider):
    """Flask's JSON provider, refusing documents too deep or with lone surrogates."""

    def loads(self, s, **kwargs):
        text = s.decode("utf-8") if isinstance(s, bytes | bytearray) else s
        if too_deep(text):
            raise ValueError(f"JSON nested deeper than {MAX_JSON_DEPTH} levels")
        value = super().loads(text, **kwargs)
        if has_lone_surrogate(value):
            raise ValueError("JSON string with a lone surrogate")
        return value


def init_app(app: Flask) -> None:
    """Parse every request body of the app through the bounded provider."""
    app.json = BoundedJSONProvider(app)
