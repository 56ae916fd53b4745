"""Reading export files safely: bounded gzip expansion, repaired UTF-8."""

from __future__ import annotations

import codecs
import gzip
import os
import re
import zlib

from moderation.importers.errors import ImportFileError

GZIP_MAGIC = b"\x1f\x8b"
CHUNK = 1 << 16
# Past this much output a gzip stream must also stay within the expansion ratio.
RATIO_FLOOR = 64 * 1024**2


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


class Prefixed:
    """A reader that first returns bytes already read, then the rest of the stream."""

    def __init__(self, head: bytes, rest) -> None:
        self.head = head
        self.rest = rest

    def read(self, size: int = -1) -> bytes:
        if self.head:
            head, self.head = self.head, b""
            return head
        return self.rest.read(size)
