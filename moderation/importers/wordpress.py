"""WordPress's WXR export: <rss><channel><item> with wp:post_id and its <wp:comment>s."""

from __future__ import annotations

from collections.abc import Iterator

from moderation.importers import records, text
from moderation.importers.errors import ImportFileError
from moderation.importers.report import Report
from moderation.importers.streams import Limits, Source
from moderation.importers.xmlstream import local, namespace, xml_events

SOURCE = "wordpress"
# comment_approved: 1 shown, 0 held; spam; trash and post-trashed were deleted.
STATES = {"1": records.PUBLISHED, "approve": records.PUBLISHED, "0": records.PENDING,
          "hold": records.PENDING, "spam": records.SPAM, "trash": records.DELETED,
          "post-trashed": records.DELETED}


def _is_wp(tag: str) -> bool:
    return namespace(tag).startswith("http://wordpress.org/export/")


def _fields(element) -> dict[str, str]:
    return {local(child.tag): child.text or "" for child in element if _is_wp(child.tag)
            or local(child.tag) in {"title", "link"}}


class WordPressReader:
    """Read a WXR file: one thread per item that has comments."""

    source = SOURCE

    def __init__(self, path: str, limits: Limits) -> None:
        self.path = path
        self.limits = limits

    def read(self, report: Report, progress=None) -> Iterator[records.Entry]:
        depth = 0
        seen_wp = False
        repairs = [0]
        channel = item = thread = None
        waiting: list = []  # comments met before their item's post_id
        with Source(self.path, self.limits) as source:
            for event, element in xml_events(source, "WordPress", repairs):
                if event == "start":
                    depth += 1
                    if depth == 1 and local(element.tag) != "rss":
                        raise ImportFileError(
                            f"{self.path} is not a WordPress export (WXR): its root element "
                            f"is <{local(element.tag)}>, not <rss>"
                        )
                    if depth == 2:
                        channel = element
                    if depth == 3 and local(element.tag) == "item":
                        item, thread, waiting = element, None, []
                    continue
                depth -= 1
                tag = element.tag
                if depth == 3 and item is not None:
                    name = local(tag)
                    if _is_wp(tag):
                        seen_wp = True
                    if name == "comment" and _is_wp(tag):
                        if thread is None:
                            thread = self._thread(item)
                        if thread is None:
                            waiting.append(element)
                            continue
                        if progress is not None:
                            progress(source.position)
                        yield self._entry(element, thread)
                        item.remove(element)
                elif depth == 2 and local(tag) == "item":
                    report.threads += 1
                    if thread is None:
                        thread = self._thread(item, final=True)
                    for comment in waiting:
                        yield self._entry(comment, thread)
                    channel.remove(element)
                    item, thread, waiting = None, None, []
                elif depth == 2 and channel is not None:
                    # The channel's own fields: nothing here needs them; keep memory flat.
                    if _is_wp(tag):
                        seen_wp = True
                    channel.remove(element)
        report.repaired_bytes += repairs[0]
        if not seen_wp:
            raise ImportFileError(
                f"{self.path} is RSS but not a WordPress export: it has no wp: elements "
                "(export it from Tools > Export in WordPress)"
            )

    @staticmethod
    def _thread(item, final: bool = False) -> records.Thread | None:
        fields = _fields(item)
        post_id = (fields.get("post_id") or "").strip()
        if not post_id and not final:
            return None
        return records.Thread(
            source_key=post_id or (fields.get("link") or "").strip(),
            identifier=post_id or None,
            url=(fields.get("link") or "").strip() or None,
            title=text.plain_text(fields.get("title"))[:500] or None,
            closed=(fields.get("comment_status") or "").strip() == "closed",
        )

    @staticmethod
    def _entry(element, thread: records.Thread) -> records.Entry:
        fields = _fields(element)
        parent = (fields.get("comment_parent") or "").strip()
        approved = (fields.get("comment_approved") or "1").strip().lower()
        state = STATES.get(approved, records.PENDING)
        kind = (fields.get("comment_type") or "").strip().lower()
        name = fields.get("comment_author")
        email = (fields.get("comment_author_email") or "").strip()
        user_id = (fields.get("comment_user_id") or "").strip()
        entry = records.Entry(
            source_id=(fields.get("comment_id") or "").strip(),
            thread=thread if thread and thread.source_key else None,
            parent_source_id=parent if parent not in {"", "0"} else None,
            author_name=text.author_name(name),
            author_email=email,
            author_key=(f"user:{user_id}" if user_id not in {"", "0"}
                        else f"email:{email.lower()}" if email
                        else f"name:{name}" if name else None),
            ip=fields.get("comment_author_IP"),
            created_at=text.parse_time(fields.get("comment_date_gmt"))
            or text.parse_time(fields.get("comment_date")),
            body=text.html_to_text(fields.get("comment_content"), keep_newlines=True),
            state=state,
        )
        if kind in {"pingback", "trackback"}:
            entry.notes.append(kind)
        return entry
