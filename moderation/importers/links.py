"""Linking replies to parents that were stored after them, once every batch is written."""

from __future__ import annotations

from sqlalchemy import select, update

from moderation.extensions import db
from moderation.importers.report import Report
from moderation.models import Comment, ImportRecord

comments_table = Comment.__table__


def link_parents(site_id: int, source: str, report: Report) -> None:
    """Hang replies whose parent came later in the file (or in a later import) under it."""
    last = 0
    while True:
        page = db.session.execute(
            select(ImportRecord.id, ImportRecord.comment_id, ImportRecord.parent_source_id)
            .where(ImportRecord.site_id == site_id, ImportRecord.source == source,
                   ImportRecord.parent_source_id.is_not(None), ImportRecord.id > last)
            .order_by(ImportRecord.id).limit(500)
        ).all()
        if not page:
            break
        last = page[-1][0]
        parents = dict(db.session.execute(
            select(ImportRecord.source_id, ImportRecord.comment_id).where(
                ImportRecord.site_id == site_id, ImportRecord.source == source,
                ImportRecord.source_id.in_({row[2] for row in page}))
        ).all())
        for record_id, comment_id, parent_source in page:
            parent_id = parents.get(parent_source)
            if parent_id is None:
                report.parents_still_missing += 1
                continue
            if _link(comment_id, parent_id):
                report.parents_linked_later += 1
            else:
                report.parents_still_missing += 1
            db.session.execute(update(ImportRecord).where(ImportRecord.id == record_id)
                               .values(parent_source_id=None))
        db.session.commit()

def _link(comment_id: int, parent_id: int) -> bool:
    """Hang a stored comment under its parent; False when that would be wrong."""
    child = db.session.execute(select(Comment.article_id).where(Comment.id == comment_id)
                               ).scalar_one()
    ancestor, parent_article, root = parent_id, None, None
    for depth in range(10_000):
        row = db.session.execute(
            select(Comment.parent_id, Comment.root_id, Comment.article_id)
            .where(Comment.id == ancestor)).one()
        if depth == 0:
            parent_article, root = row.article_id, row.root_id or parent_id
        if ancestor == comment_id:
            return False  # the parent descends from the reply: a cycle in the source
        if row.parent_id is None:
            break
        ancestor = row.parent_id
    if parent_article != child:
        return False
    db.session.execute(update(comments_table).where(comments_table.c.id == comment_id)
                       .values(parent_id=parent_id, root_id=root))
    db.session.execute(update(comments_table).where(comments_table.c.root_id == comment_id)
                       .values(root_id=root))
    return True
