"""XML exports parsed incrementally by ElementTree's C parser, with no DTD let through."""

from __future__ import annotations

import os
from collections import deque
from collections.abc import Iterator
from contextlib import contextmanager
from functools import lru_cache
from xml.etree.ElementTree import Element, ParseError, XMLPullParser
from xml.parsers import expat

from defusedxml import DTDForbidden

from moderation.importers.errors import ImportFileError
from moderation.importers.streams import CHUNK, Prefixed, Source, Utf8Repair, declared_utf8

# An export's prolog (declaration, comments) is a few hundred bytes; past this it is not one.
PROLOG_MAX = 1024**2


class _RootReached(Exception):
    """The prolog check has seen the root element start: the prolog is over."""


class _Prolog:
    """Expat over the bytes before the root element: a DTD there is refused unbuilt.

    Entities can only be declared in a DTD, and a DTD can only stand before the root
    element: a document whose prolog holds none has no entity but XML's five and character
    references, and refers to nothing outside itself. This is defusedxml's forbid_dtd check,
    run once on the prolog, so the document itself can go through ElementTree's C parser.
    """

    def __init__(self) -> None:
        self.parser = expat.ParserCreate()
        self.parser.StartDoctypeDeclHandler = self._doctype
        self.parser.StartElementHandler = self._root
        self.size = 0

    @staticmethod
    def _doctype(name, system_id, public_id, has_internal_subset):
        raise DTDForbidden(name, system_id, public_id)

    @staticmethod
    def _root(name, attributes):
        raise _RootReached

    def feed(self, data: bytes, final: bool) -> bool:
        """Check more of the prolog; return True once the root element has started."""
        self.size += len(data)
        try:
            self.parser.Parse(data, final)
        except _RootReached:
            return True
        return False


def _chunks(stream, name: str) -> Iterator[bytes]:
    """Yield the document a chunk at a time, once its prolog is checked."""
    prolog = _Prolog()
    held: list[bytes] = []
    while True:
        data = stream.read(CHUNK)
        held.append(data)
        if prolog.feed(data, final=not data) or not data:
            break
        if prolog.size > PROLOG_MAX:
            raise ImportFileError(
                f"{name} has no root element in its first {PROLOG_MAX // 1024} KiB: not an "
                "export"
            )
    yield from held
    while data := stream.read(CHUNK):
        yield data


def _parse_error(name: str, source: Source, line: int, column: int, message: str):
    if source.eof or "no element found" in message or "unclosed token" in message:
        return ImportFileError(
            f"{name} ends before the XML document does (line {line}): the file is "
            "truncated; export it again"
        )
    return ImportFileError(
        f"{name} is not well-formed XML at line {line}, column {column}: {message}"
    )


@contextmanager
def _document(source: Source, what: str, repairs: list[int]):
    """Give the file's bytes (UTF-8 repaired) and its name; turn parse failures into errors.

    Bytes that are not UTF-8 in a UTF-8 document are read as Windows-1252; their count is
    added to repairs[0].
    """
    utf8, head = declared_utf8(source)
    stream = Prefixed(head, source)
    repair = None
    if utf8:
        repair = Utf8Repair(stream)  # type: ignore[arg-type]
        stream = repair  # type: ignore[assignment]
    name = os.path.basename(source.path)
    try:
        yield stream, name
    except DTDForbidden as exc:
        raise ImportFileError(
            f"{name} declares a DTD ({exc}); a {what} export never does, and DTDs carry the "
            "entity-expansion ('billion laughs') and external-entity attacks: refused, "
            "nothing was expanded or fetched"
        ) from None
    except expat.ExpatError as exc:
        raise _parse_error(name, source, exc.lineno, exc.offset,
                           expat.ErrorString(exc.code)) from None
    except ParseError as exc:
        line, column = getattr(exc, "position", (0, 0))
        raise _parse_error(name, source, line, column, str(exc).split(":")[0]) from None
    finally:
        if repair is not None:
            repairs[0] += repair.repaired


def xml_events(source: Source, what: str, repairs: list[int]) -> Iterator[tuple[str, Element]]:
    """Yield the ("start" | "end", element) events of an XML export, parsed safely.

    No entity is ever expanded and nothing external is fetched: a document with a DTD
    (where entities are declared) is refused before its root (see _Prolog).
    """
    with _document(source, what, repairs) as (stream, name):
        parser = XMLPullParser(events=("start", "end"))
        for data in _chunks(stream, name):
            parser.feed(data)
            yield from parser.read_events()
        parser.close()
        yield from parser.read_events()


def xml_children(source: Source, what: str, root_name: str,
                 repairs: list[int]) -> Iterator[Element]:
    """Yield each complete child of an XML export's root element, then forget it.

    As safe as xml_events, with less work per element: only the root's start is needed,
    and after each chunk every child of the root but the last is complete.
    """
    with _document(source, what, repairs) as (stream, name):
        parser = XMLPullParser(events=("start",))
        root = None
        for data in _chunks(stream, name):
            parser.feed(data)
            events = parser.read_events()
            if root is None:
                for _, root in events:
                    if local(root.tag) != root_name:
                        raise ImportFileError(
                            f"{source.path} is not a {what} export: its root element is "
                            f"<{local(root.tag)}>, not <{root_name}>"
                        )
                    break
                if root is not None:
                    _stop_events(parser)
            deque(events, maxlen=0)  # the other elements' starts: not needed
            if root is not None and len(root) > 1:
                done = root[:-1]
                del root[:-1]
                yield from done
        parser.close()
        deque(parser.read_events(), maxlen=0)
        if root is not None:
            done = root[:]
            root.clear()
            yield from done


def _stop_events(parser: XMLPullParser) -> None:
    """Have the C parser report no more events once the root element has started.

    Only the root's start is needed; every later element would otherwise cost a Python
    event to queue and drain (about a quarter of a chunk's parse). The C parser's own
    _setevents is what XMLPullParser itself calls to choose its events; where it is
    missing, the events are drained as before.
    """
    setevents = getattr(getattr(parser, "_parser", None), "_setevents", None)
    if setevents is not None:
        setevents(deque(), ())


@lru_cache(maxsize=4096)
def local(tag: str) -> str:
    """Return an element or attribute name without its namespace."""
    return tag.rsplit("}", 1)[-1]


def namespace(tag: str) -> str:
    """Return an element name's namespace, or ''."""
    return tag[1:].split("}", 1)[0] if tag.startswith("{") else ""
