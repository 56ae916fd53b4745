"""What every reader yields: threads and the comments on them, in the source's own terms."""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from datetime import datetime
from functools import lru_cache

from moderation.api.schemas import KEY_PATTERN

# Article keys travel in API paths: only these characters survive (the API's KEY_PATTERN).
_KEY_UNSAFE = re.compile(r"[^A-Za-z0-9._:~\-/]+")

# A comment's state in its source, before it is mapped to a status here.
PUBLISHED, PENDING, DELETED, SPAM = "published", "pending", "deleted", "spam"


# A thread's key is asked for at every one of its comments; each is worked out once.
@lru_cache(maxsize=65536)
def article_key(identifier: str | None, url: str | None) -> str | None:
    """Return the article key for a thread: its identifier, else its URL, else a cleaned form.

    The API accepts keys of KEY_PATTERN only; an identifier or URL outside it (spaces, '?')
    is rewritten with '-' for each run of other characters, so the embed can still name it.
    """
    for candidate in (identifier, url):
        candidate = (candidate or "").strip()
        if candidate and KEY_PATTERN.match(candidate):
            return candidate
    for candidate in (identifier, url):
        candidate = _KEY_UNSAFE.sub("-", (candidate or "").strip()).strip("-/.:~")
        if candidate:
            return candidate[:200].rstrip("-")
    return None


@dataclass(slots=True)
class Thread:
    """A page that comments were made on; becomes an article."""

    source_key: str
    identifier: str | None = None
    url: str | None = None
    title: str | None = None
    closed: bool = False
    # The service's own export carries these too.
    premoderate: bool = False
    created_at: datetime | None = None

    @property
    def external_id(self) -> str | None:
        return article_key(self.identifier, self.url)


@dataclass(slots=True)
class Entry:
    """One comment as its source had it, already converted to safe text."""

    source_id: str
    thread: Thread | None
    parent_source_id: str | None
    author_name: str
    author_email: str | None
    # Who wrote it, where the source has no address: groups an author's comments.
    author_key: str | None
    ip: str | None
    created_at: datetime | None
    body: str
    state: str
    # The service's own export: every column, decisions, reactions and flags.
    native: dict | None = None
    notes: list[str] = field(default_factory=list)
