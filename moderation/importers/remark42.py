"""Remark42's backup: gzipped JSON lines, a metadata line first, then one comment a line.

Each comment has id, pid (its parent, '' for none), text (HTML) and orig (what was typed),
user {name, id, ip (already a hash), email}, locator {site, url}, time, delete, title.
"""

from __future__ import annotations

import json
from collections.abc import Iterator

from moderation.importers import records, text
from moderation.importers.errors import ImportFileError
from moderation.importers.report import Report
from moderation.importers.streams import Limits, Source

SOURCE = "remark42"
LINE_MAX = 16 * 1024**2


def json_lines(source: Source, what: str) -> Iterator[tuple[int, object]]:
    """Yield (line number, decoded JSON) for each non-blank line, within a line cap."""
    number = 0
    while True:
        raw = source.readline(LINE_MAX + 1)
        if not raw:
            return
        number += 1
        if len(raw) > LINE_MAX:
            raise ImportFileError(
                f"{source.path}: line {number} is longer than {LINE_MAX // 1024**2} MiB; "
                f"a {what} never has such lines"
            )
        if not raw.strip():
            continue
        try:
            yield number, json.loads(raw.decode("utf-8", errors="replace"))
        except json.JSONDecodeError as exc:
            truncated = not raw.endswith(b"\n")
            raise ImportFileError(
                f"{source.path}: line {number} is not JSON ({exc.msg})"
                + ("; the file is truncated" if truncated else "")
            ) from None


class Remark42Reader:
    """Read a Remark42 backup (gzipped or not)."""

    source = SOURCE

    def __init__(self, path: str, limits: Limits) -> None:
        self.path = path
        self.limits = limits

    def read(self, report: Report, progress=None) -> Iterator[records.Entry]:
        threads: dict[str, records.Thread] = {}
        read_only: set[str] = set()
        with Source(self.path, self.limits) as source:
            lines = json_lines(source, "Remark42 backup")
            first = next(lines, None)
            meta = first[1] if first else None
            if not (isinstance(meta, dict) and "version" in meta and
                    isinstance(meta.get("posts", []), list | None)):
                raise ImportFileError(
                    f"{self.path} is not a Remark42 backup: its first line is not the "
                    "metadata line ({\"version\": 1, \"users\": [...], \"posts\": [...]})"
                )
            if meta.get("version") not in (0, 1):
                raise ImportFileError(
                    f"{self.path} is a Remark42 backup of version {meta.get('version')}; "
                    "this service reads versions 0 and 1"
                )
            for post in meta.get("posts") or []:
                if isinstance(post, dict) and post.get("read_only") and post.get("url"):
                    read_only.add(post["url"])
            for _number, comment in lines:
                if progress is not None:
                    progress(source.position)
                yield self._entry(comment, threads, read_only)
        report.threads = len(threads)

    @staticmethod
    def _entry(comment, threads: dict, read_only: set) -> records.Entry:
        if not isinstance(comment, dict):
            comment = {}
        locator = comment.get("locator") if isinstance(comment.get("locator"), dict) else {}
        url = str(locator.get("url") or "").strip()
        thread = None
        if url:
            thread = threads.get(url)
            if thread is None:
                thread = threads[url] = records.Thread(
                    source_key=url, url=url,
                    title=text.plain_text(str(comment.get("title") or ""))[:500] or None,
                    closed=url in read_only,
                )
            elif not thread.title and comment.get("title"):
                thread.title = text.plain_text(str(comment["title"]))[:500] or None
        user = comment.get("user") if isinstance(comment.get("user"), dict) else {}
        orig = comment.get("orig")
        body = (text.plain_text(orig) if isinstance(orig, str) and orig.strip()
                else text.html_to_text(str(comment.get("text") or "")))
        parent = str(comment.get("pid") or "").strip()
        return records.Entry(
            source_id=str(comment.get("id") or "").strip(),
            thread=thread,
            parent_source_id=parent or None,
            author_name=text.author_name(str(user.get("name") or "")),
            author_email=str(user.get("email") or "") or None,
            author_key=f"user:{user['id']}" if user.get("id") else None,
            # Remark42 keeps only its own hash of the address: the author's id stands in.
            ip=None,
            created_at=text.parse_time(str(comment.get("time") or "")),
            body=body,
            state=records.DELETED if comment.get("delete") else records.PUBLISHED,
        )
