"""Disqus's XML export: <category>, <thread dsq:id> and <post dsq:id> under <disqus>.

Posts point to their thread and parent by dsq:id, and may come before the thread they
belong to, so the file is read twice: once for the threads (with the import's check that
the whole file reads), once for the posts.
"""

from __future__ import annotations

from collections.abc import Iterator

from moderation.importers import records, text
from moderation.importers.report import Report
from moderation.importers.streams import Limits, Source
from moderation.importers.xmlstream import local, xml_children

SOURCE = "disqus"


def _attr_id(element) -> str | None:
    for name, value in element.attrib.items():
        if local(name) == "id":
            return value.strip() or None
    return None


def _child_text(element, name: str) -> str | None:
    for child in element:
        if local(child.tag) == name:
            return child.text
    return None


def _flag(element, name: str) -> bool:
    return (_child_text(element, name) or "").strip().lower() == "true"


def _children(source: Source, report: Report) -> Iterator:
    """Yield each complete child of <disqus>, then forget it (memory stays bounded)."""
    repairs = [0]
    yield from xml_children(source, "Disqus", "disqus", repairs)
    report.repaired_bytes += repairs[0]


def _add_thread(threads: dict[str, records.Thread], element) -> None:
    key = _attr_id(element)
    if key is None or key in threads:
        return
    threads[key] = records.Thread(
        source_key=key,
        identifier=(_child_text(element, "id") or "").strip() or None,
        url=(_child_text(element, "link") or "").strip() or None,
        title=text.plain_text(_child_text(element, "title"))[:500] or None,
        closed=_flag(element, "isClosed"),
    )


class DisqusReader:
    """Read a Disqus export into threads and entries."""

    source = SOURCE

    def __init__(self, path: str, limits: Limits) -> None:
        self.path = path
        self.limits = limits
        # Kept from the checking pass, so the writing pass reads the file once, not twice.
        self._known: dict[str, records.Thread] | None = None

    def _threads(self, report: Report) -> dict[str, records.Thread]:
        threads: dict[str, records.Thread] = {}
        with Source(self.path, self.limits) as source:
            for element in _children(source, report):
                if local(element.tag) == "thread":
                    _add_thread(threads, element)
        return threads

    def scan(self, report: Report) -> None:
        """Read the file to its end once: keep its threads, count its posts, check nothing else.

        What a real import needs before it writes: a file that cannot be read to its end is
        refused here, and the write pass finds the threads already read.
        """
        threads: dict[str, records.Thread] = {}
        posts = 0
        with Source(self.path, self.limits) as source:
            for element in _children(source, report):
                name = local(element.tag)
                if name == "post":
                    posts += 1
                elif name == "thread":
                    _add_thread(threads, element)
        self._known = threads
        report.threads = len(threads)
        report.comments = posts

    def read(self, report: Report, progress=None) -> Iterator[records.Entry]:
        threads = self._known if self._known is not None else self._threads(report)
        self._known = threads
        report.threads = len(threads)
        ignored = Report(report.format, report.file)
        with Source(self.path, self.limits) as source:
            for element in _children(source, ignored):
                if local(element.tag) != "post":
                    continue
                if progress is not None:
                    progress(source.position)
                yield self._entry(element, threads)

    @staticmethod
    def _entry(element, threads: dict[str, records.Thread]) -> records.Entry:
        # One pass over the children: a field's first element gives its text, as
        # _child_text reads it; <thread>, <parent> and <author> count the last one.
        first: dict[str, object] = {}
        last: dict[str, object] = {}
        for child in element:
            name = local(child.tag)
            first.setdefault(name, child)
            last[name] = child

        def field(name: str) -> str | None:
            child = first.get(name)
            return None if child is None else child.text

        thread = last.get("thread")
        parent = last.get("parent")
        author = last.get("author")
        thread_key = _attr_id(thread) if thread is not None else None
        parent_key = _attr_id(parent) if parent is not None else None
        if (field("isSpam") or "").strip().lower() == "true":
            state = records.SPAM
        elif (field("isDeleted") or "").strip().lower() == "true":
            state = records.DELETED
        elif (field("isApproved") or "true").strip().lower() == "false":
            state = records.PENDING
        else:
            state = records.PUBLISHED
        name = email = username = None
        if author is not None:
            name = _child_text(author, "name")
            email = _child_text(author, "email")
            username = (_child_text(author, "username") or "").strip() or None
        return records.Entry(
            source_id=_attr_id(element) or "",
            thread=threads.get(thread_key) if thread_key else None,
            parent_source_id=parent_key,
            author_name=text.author_name(name or username),
            author_email=email,
            author_key=f"user:{username}" if username else (f"name:{name}" if name else None),
            ip=field("ipAddress"),
            created_at=text.parse_time(field("createdAt")),
            body=text.html_to_text(field("message")),
            state=state,
        )
