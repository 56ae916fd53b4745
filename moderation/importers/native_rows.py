"""The service's own export, row by row: a comment's columns, origins, likes and reports."""

from __future__ import annotations

from moderation.importers import text
from moderation.models import FlagReason
from moderation.models.types import utcnow


def carried(native: dict) -> list[tuple[str, str]]:
    """The (source, source id) pairs an exported comment was first imported under."""
    pairs = []
    for pair in native.get("imported_from") or []:
        if (isinstance(pair, list | tuple) and len(pair) == 2
                and all(isinstance(part, str) and 0 < len(part) <= 200 for part in pair)
                and len(pair[0]) <= 20):
            pairs.append((pair[0], pair[1]))
    return pairs


def reactions(native: dict) -> list[dict]:
    out, readers = [], set()
    for reaction in native.get("reactions") or []:
        if (isinstance(reaction, dict) and reaction.get("reader_hash")
                and reaction["reader_hash"] not in readers):
            readers.add(reaction["reader_hash"])
            out.append({"reader_hash": str(reaction["reader_hash"])[:64],
                        "created_at": text.parse_time(reaction.get("created_at")) or utcnow()})
    return out


def flags(native: dict) -> list[dict]:
    out, readers = [], set()
    for flag in native.get("flags") or []:
        try:
            if flag["reader_hash"] in readers:
                continue
            readers.add(flag["reader_hash"])
            out.append({"reader_hash": str(flag["reader_hash"])[:64],
                        "reason": FlagReason(flag.get("reason")),
                        "note": flag.get("note"), "resolved": bool(flag.get("resolved")),
                        "created_at": text.parse_time(flag.get("created_at")) or utcnow()})
        except (KeyError, ValueError, TypeError):
            continue
    return out
