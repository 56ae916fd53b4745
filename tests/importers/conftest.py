"""Helpers for the importer tests: write a fixture file, run the command, read the tables."""

from __future__ import annotations

import pytest
from sqlalchemy import func, select

from moderation.extensions import db
from moderation.models import Article, Comment, ImportRecord, ModerationEvent


@pytest.fixture
def write(tmp_path):
    """Write bytes to a file in the test's folder and return its path as a string."""

    def writer(name: str, data: bytes) -> str:
        path = tmp_path / name
        path.write_bytes(data)
        return str(path)

    return writer


@pytest.fixture
def run_import(runner):
    """Invoke `flask moderation import` and return the click result."""

    def invoke(*args: str):
        return runner.invoke(args=["moderation", "import", *args])

    return invoke


def table_counts(app) -> dict[str, int]:
    with app.app_context():
        counts = {model.__tablename__: db.session.scalar(select(func.count()).select_from(model))
                  for model in (Article, Comment, ImportRecord, ModerationEvent)}
        db.session.rollback()
        return counts


def comments_by_source(app, source: str) -> dict[str, Comment]:
    """Return the imported comments keyed by their id in the source (detached, loaded)."""
    with app.app_context():
        rows = db.session.execute(
            select(ImportRecord.source_id, Comment)
            .join(Comment, Comment.id == ImportRecord.comment_id)
            .where(ImportRecord.source == source)
        ).all()
        for _, comment in rows:
            _ = comment.article.external_id
        db.session.expunge_all()
        return {source_id: comment for source_id, comment in rows}
