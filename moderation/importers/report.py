"""What an import found and did: the dry-run report, and the summary after a real run."""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass, field


@dataclass
class Report:
    """Counts gathered while reading a file (dry run) and while writing it."""

    format: str
    file: str
    threads: int = 0
    threads_with_comments: int = 0
    comments: int = 0
    replies: int = 0
    parents_missing: int = 0
    duplicates: int = 0
    states: Counter = field(default_factory=Counter)
    skipped: Counter = field(default_factory=Counter)
    repaired_bytes: int = 0
    keys_rewritten: int = 0
    emails_dropped: int = 0
    # Filled in by a real run.
    imported: int = 0
    already_imported: int = 0
    articles_created: int = 0
    parents_linked_later: int = 0
    parents_still_missing: int = 0

    @property
    def empty_threads(self) -> int:
        return max(0, self.threads - self.threads_with_comments)

    @property
    def to_import(self) -> int:
        return self.comments - self.duplicates - sum(self.skipped.values())

    def dry_run_lines(self) -> list[str]:
        """The report of what an import of this file would do."""
        lines = [
            f"{self.format} file {self.file}",
            f"  threads: {self.threads} ({self.threads_with_comments} with comments, "
            f"{self.empty_threads} empty)",
            f"  comments: {self.comments} ({self.replies} replies)",
            "  by state in the source: "
            + (", ".join(f"{k} {v}" for k, v in sorted(self.states.items())) or "none"),
            f"  parents missing: {self.parents_missing} (those replies become top-level "
            "comments)",
            f"  duplicates: {self.duplicates} (the same id again: the first is kept)",
        ]
        skipped = sum(self.skipped.values())
        lines.append(f"  rows that will be skipped: {skipped}")
        for reason, count in sorted(self.skipped.items()):
            lines.append(f"    {reason}: {count}")
        if self.keys_rewritten:
            lines.append(f"  article keys rewritten to the API's characters: {self.keys_rewritten}")
        if self.emails_dropped:
            lines.append(f"  emails dropped (not addresses the API accepts): {self.emails_dropped}")
        if self.repaired_bytes:
            lines.append(f"  bytes that were not UTF-8, read as Windows-1252: "
                         f"{self.repaired_bytes}")
        lines.append(f"  comments to import: {self.to_import}")
        return lines

    def summary_lines(self) -> list[str]:
        """What a real run wrote."""
        return [
            f"imported {self.imported} comments from {self.file} ({self.format})",
            f"  already imported before (skipped): {self.already_imported}",
            f"  articles created: {self.articles_created}",
            f"  replies linked to a parent found later in the file: "
            f"{self.parents_linked_later}",
            f"  replies whose parent is missing (left top-level): {self.parents_still_missing}",
        ]
