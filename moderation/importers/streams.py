"""Reading export files safely: bounded gzip expansion, repaired UTF-8, XML without entities."""

from __future__ import annotations

import codecs
import gzip
import os
import re
import zlib
from collections.abc import Iterator
from functools import lru_cache
from xml.etree.ElementTree import ParseError, XMLPullParser
from xml.parsers import expat

from defusedxml import DTDForbidden

from moderation.importers.errors import ImportFileError

GZIP_MAGIC = b"\x1f\x8b"
CHUNK = 1 << 16
# Past this much output a gzip stream must also stay within the expansion ratio.
RATIO_FLOOR = 64 * 1024**2
# An export's prolog (declaration, comments) is a few hundred bytes; past this it is not one.
PROLOG_MAX = 1024**2


class Limits:
    """How far a compressed input may expand before it is refused as a bomb."""

    def __init__(self, max_bytes: int, max_ratio: float) -> None:
        self.max_bytes = max_bytes
        self.max_ratio = max_ratio


class Source:
    """A file opened for reading, gunzipped on the fly when it is gzip, with its progress."""

    def __init__(self, path: str, limits: Limits) -> None:
        self.path = path
        self.size = os.path.getsize(path)
        self._raw = open(path, "rb")  # noqa: SIM115 - closed by close()
        self.compressed = self._raw.read(2) == GZIP_MAGIC
        self._raw.seek(0)
        self._gzip = gzip.GzipFile(fileobj=self._raw) if self.compressed else None
        self.limits = limits
        self.expanded = 0
        # Set once a read returns nothing: an XML error then means the file stops too soon.
        self.eof = False

    def _check(self, data: bytes) -> bytes:
        if self._gzip is not None:
            self.expanded += len(data)
            limits = self.limits
            if self.expanded > limits.max_bytes or (
                self.expanded > RATIO_FLOOR
                and self.expanded > limits.max_ratio * max(1, self._raw.tell())
            ):
                raise ImportFileError(
                    f"{os.path.basename(self.path)} expands past "
                    f"{self.expanded // 1024**2} MiB from {max(1, self._raw.tell()) // 1024} KiB "
                    "of gzip: refused as a compression bomb (an export never compresses this "
                    "well; see IMPORT_MAX_EXPANDED_BYTES and IMPORT_MAX_EXPANSION_RATIO)"
                )
        return data

    def _guard(self, call, *args) -> bytes:
        try:
            return self._check(call(*args))
        except EOFError as exc:
            raise ImportFileError(
                f"{os.path.basename(self.path)} is a truncated gzip file: {exc}"
            ) from exc
        except (gzip.BadGzipFile, zlib.error) as exc:
            raise ImportFileError(
                f"{os.path.basename(self.path)} is not a readable gzip file: {exc}"
            ) from exc

    def read(self, size: int = -1) -> bytes:
        stream = self._gzip or self._raw
        data = self._guard(stream.read, size if size and size > 0 else CHUNK)
        self.eof = self.eof or not data
        return data

    def readline(self, limit: int) -> bytes:
        stream = self._gzip or self._raw
        return self._guard(stream.readline, limit)

    @property
    def position(self) -> int:
        """Bytes of the file on disk read so far (compressed bytes for gzip)."""
        return self._raw.tell()

    def close(self) -> None:
        if self._gzip is not None:
            self._gzip.close()
        self._raw.close()

    def __enter__(self) -> Source:
        return self

    def __exit__(self, *exc) -> None:
        self.close()


# XML 1.0 forbids these characters anywhere; exports that carry them (pasted from word
# processors) are otherwise unreadable. Lone surrogates stand for bytes that were not UTF-8.
_UNREADABLE = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ufffe\uffff\udc80-\udcff]")
_DECLARED = re.compile(rb"""<\?xml[^>]*?encoding\s*=\s*["']([A-Za-z0-9._-]+)["']""")


def _repair(match: re.Match) -> str:
    char = match.group()
    code = ord(char)
    if 0xDC80 <= code <= 0xDCFF:
        # A byte that is not UTF-8 is nearly always Windows-1252 leaking into the export.
        return bytes([code - 0xDC00]).decode("cp1252", errors="replace")
    return ""


class Utf8Repair:
    """A file-like filter that passes valid UTF-8 and repairs the rest, counting repairs."""

    def __init__(self, source: Source) -> None:
        self.source = source
        self.decoder = codecs.getincrementaldecoder("utf-8")(errors="surrogateescape")
        self.repaired = 0
        self.done = False

    def read(self, size: int = -1) -> bytes:
        if self.done:
            return b""
        data = self.source.read(size)
        final = not data
        text = self.decoder.decode(data, final=final)
        if final:
            self.done = True
        text, count = _UNREADABLE.subn(_repair, text)
        self.repaired += count
        return text.encode("utf-8")


def declared_utf8(source: Source) -> tuple[bool, bytes]:
    """Read the start of the document; tell whether it is UTF-8 (declared or by default)."""
    head = source.read(CHUNK)
    if head.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
        return False, head
    match = _DECLARED.search(head[:400])
    encoding = match.group(1).decode().lower().replace("_", "-") if match else "utf-8"
    return encoding in {"utf-8", "utf8"}, head


class _Prefixed:
    """A reader that first returns bytes already read, then the rest of the stream."""

    def __init__(self, head: bytes, rest) -> None:
        self.head = head
        self.rest = rest

    def read(self, size: int = -1) -> bytes:
        if self.head:
            head, self.head = self.head, b""
            return head
        return self.rest.read(size)


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


def _parse_error(name: str, source: Source, line: int, column: int, message: str):
    if source.eof or "no element found" in message or "unclosed token" in message:
        return ImportFileError(
            f"{name} ends before the XML document does (line {line}): the file is "
            "truncated; export it again"
        )
    return ImportFileError(
        f"{name} is not well-formed XML at line {line}, column {column}: {message}"
    )


def _elements(stream, prolog: _Prolog, name: str) -> Iterator[tuple[str, object]]:
    """Check the prolog, then parse the whole stream with ElementTree's C parser."""
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
    parser = XMLPullParser(events=("start", "end"))
    for data in held:
        parser.feed(data)
        yield from parser.read_events()
    while data := stream.read(CHUNK):
        parser.feed(data)
        yield from parser.read_events()
    parser.close()
    yield from parser.read_events()


def xml_events(source: Source, what: str, repairs: list[int]) -> Iterator[tuple[str, object]]:
    """Yield (event, element) pairs of an XML export, parsed incrementally and safely.

    No entity is ever expanded and nothing external is fetched: a document with a DTD
    (where entities are declared) is refused before its root (see _Prolog).
    Bytes that are not UTF-8 in a UTF-8 document are read as Windows-1252; their count is
    added to repairs[0].
    """
    utf8, head = declared_utf8(source)
    stream = _Prefixed(head, source)
    repair = None
    if utf8:
        repair = Utf8Repair(stream)  # type: ignore[arg-type]
        stream = repair  # type: ignore[assignment]
    name = os.path.basename(source.path)
    try:
        yield from _elements(stream, _Prolog(), name)
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


@lru_cache(maxsize=4096)
def local(tag: str) -> str:
    """Return an element or attribute name without its namespace."""
    return tag.rsplit("}", 1)[-1]


def namespace(tag: str) -> str:
    """Return an element name's namespace, or ''."""
    return tag[1:].split("}", 1)[0] if tag.startswith("{") else ""
