"""`import --score`: the model's second opinion only ever takes published comments to review."""

from __future__ import annotations

from sqlalchemy import select

from moderation.extensions import db
from moderation.models import CommentStatus, ModerationEvent
from moderation.sites.create import create_site
from tests.importers import fixtures
from tests.importers.conftest import comments_by_source


def _import_scored(app, tmp_path):
    with app.app_context():
        create_site("news")
    path = tmp_path / "wxr.xml"
    # Short comments: the tiny test models read 64 tokens at most.
    path.write_bytes((fixtures.WXR_HEAD + fixtures.wxr_item("12", "https://d.example/?p=12", "T", [
        fixtures.wxr_comment("5", "Thanks for this thoughtful article about the budget."),
        fixtures.wxr_comment("6", "I agree with you about the new bike lanes.", parent="5"),
        fixtures.wxr_comment("7", "Held for moderation", approved="0"),
        fixtures.wxr_comment("8", "Spam link", approved="spam"),
        fixtures.wxr_comment("9", "Trashed", approved="trash"),
    ]) + "</channel></rss>").encode())
    result = app.test_cli_runner().invoke(
        args=["moderation", "import", "wordpress", str(path), "--site", "news", "--score"])
    assert result.exit_code == 0, result.output
    return result, comments_by_source(app, "wordpress")


def test_an_abusive_verdict_moves_published_comments_to_review(app_factory, tmp_path):
    app = app_factory("abusive")
    result, c = _import_scored(app, tmp_path)
    assert "moved to review" in result.output
    moved = [k for k, v in c.items() if v.reason == "imported_rescored"]
    assert "5" in moved and "6" in moved
    for key in moved:
        assert c[key].status is CommentStatus.pending_review and c[key].scores
    # Never the reverse: what the source held back stays held back.
    assert c["7"].status is CommentStatus.pending_review and c["7"].reason == "imported_pending"
    assert c["8"].status is CommentStatus.rejected and c["9"].status is CommentStatus.deleted
    with app.app_context():
        event = db.session.scalars(select(ModerationEvent).where(
            ModerationEvent.comment_id == c["5"].id).order_by(ModerationEvent.id)).all()[-1]
        assert (event.from_status, event.to_status, event.reason) == (
            CommentStatus.published, CommentStatus.pending_review, "imported_rescored")
    # Scored comments are not scored again.
    again = app.test_cli_runner().invoke(args=[
        "moderation", "import", "wordpress", str(tmp_path / "wxr.xml"), "--site", "news",
        "--score"])
    assert "scored 0 imported comments" in again.output


def test_a_benign_verdict_changes_no_state(app_factory, tmp_path):
    app = app_factory("benign")
    _, c = _import_scored(app, tmp_path)
    assert not any(v.reason == "imported_rescored" for v in c.values())
    assert c["5"].status is CommentStatus.published and c["5"].scores is not None
    assert c["7"].status is CommentStatus.pending_review  # not promoted by a kind model
