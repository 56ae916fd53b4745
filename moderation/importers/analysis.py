"""Checking entries: what a row needs to be imported, and the dry run's counts."""

from __future__ import annotations

from array import array

from moderation.importers import records, text
from moderation.importers.report import Report

SOURCE_ID_MAX = 200


def prepare(entry: records.Entry | records.Thread, report: Report) -> str | None:
    """Normalise an entry in place; return why it must be skipped, or None to keep it."""
    if isinstance(entry, records.Thread):
        return None
    raw_email = entry.author_email
    entry.author_email = text.author_email(raw_email)
    if raw_email and raw_email.strip() and entry.author_email is None:
        report.emails_dropped += 1
    if not entry.source_id:
        return "no id in the source"
    if len(entry.source_id) > SOURCE_ID_MAX:
        return "id longer than 200 characters"
    if entry.notes:
        return {"pingback": "pingback or trackback, not a reader's comment",
                "trackback": "pingback or trackback, not a reader's comment",
                "unknown status": "unknown status"}.get(entry.notes[0], entry.notes[0])
    if entry.thread is None:
        return "its thread is not in the file"
    if entry.thread.external_id is None:
        return "its thread has no identifier or URL"
    if entry.created_at is None:
        return "no valid date"
    if not entry.body and entry.state in (records.PUBLISHED, records.PENDING):
        return "empty text"
    return None


class Analyzer:
    """The dry run: read everything, count what an import would do, write nothing."""

    def __init__(self, report: Report) -> None:
        self.report = report
        self.seen: set[int] = set()
        self.parents = array("q")
        self.threads_with: set[str] = set()
        self.keys: dict[str, bool] = {}

    def add(self, item) -> None:
        report = self.report
        if isinstance(item, records.Thread):
            return
        report.comments += 1
        report.states[item.state] += 1
        reason = prepare(item, report)
        if reason is not None:
            report.skipped[reason] += 1
            return
        key = hash(item.source_id)
        if key in self.seen:
            report.duplicates += 1
            return
        self.seen.add(key)
        thread = item.thread
        if thread.source_key not in self.threads_with:
            self.threads_with.add(thread.source_key)
            external = thread.external_id
            if external not in {(thread.identifier or "").strip(), (thread.url or "").strip()}:
                report.keys_rewritten += 1
        if item.parent_source_id:
            report.replies += 1
            self.parents.append(hash(item.parent_source_id))

    def finish(self) -> Report:
        self.report.parents_missing = sum(1 for p in self.parents if p not in self.seen)
        self.report.threads_with_comments = len(self.threads_with)
        # The sets go before the write pass starts.
        self.seen = set()
        self.parents = array("q")
        self.threads_with = set()
        return self.report
