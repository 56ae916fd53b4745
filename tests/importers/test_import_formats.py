"""Importing each format: states, parents, text, timestamps, hashes, articles, idempotence."""

from __future__ import annotations

from datetime import datetime

import pytest
from sqlalchemy import select, text

from moderation.clients import email_hash, hash_value
from moderation.extensions import db
from moderation.importers import writer as writer_module
from moderation.models import (
    Article,
    Comment,
    CommentStatus,
    ImportRecord,
    ModerationEvent,
    Site,
)
from tests.importers import fixtures
from tests.importers.conftest import comments_by_source, table_counts

pytestmark = pytest.mark.usefixtures("site")


def _articles(app) -> dict[str, Article]:
    with app.app_context():
        articles = {a.external_id: a for a in db.session.scalars(select(Article))}
        db.session.expunge_all()
        return articles


def test_disqus_import_maps_states_parents_text_and_hashes(app, write, run_import):
    path = write("disqus.xml", fixtures.disqus_export())
    result = run_import("disqus", path, "--site", "news")
    assert result.exit_code == 0, result.output
    assert "imported 9 comments" in result.output
    c = comments_by_source(app, "disqus")
    assert set(c) == {"1001", "1002", "1003", "1004", "1005", "1006", "1007", "1008", "1010"}
    # States: deleted and spam are removed, not published; pending waits for review.
    assert c["1001"].status is CommentStatus.published and c["1001"].reason == "imported"
    assert (c["1005"].status, c["1005"].reason) == (CommentStatus.deleted, "imported_deleted")
    assert (c["1006"].status, c["1006"].reason) == (CommentStatus.rejected, "imported_spam")
    assert (c["1007"].status, c["1007"].reason) == (CommentStatus.pending_review,
                                                   "imported_pending")
    # Replies keep their parents, even a reply that came before its parent and thread.
    assert c["1002"].parent_id == c["1001"].id and c["1002"].root_id == c["1001"].id
    assert c["1003"].parent_id == c["1001"].id
    assert c["1004"].parent_id is None  # its parent was never exported
    # HTML became the service's plain text; the duplicate of 1001 did not replace it.
    assert c["1001"].body == ("Great & useful reporting.\n\nSecond paragraph\nwith a source "
                              "(https://example.org/source)")
    assert c["1008"].body == fixtures.LONG_BODY
    assert c["1010"].body == "Café bar"  # a Windows-1252 byte in a UTF-8 file
    assert c["1001"].created_at == datetime(2013, 4, 3, 17, 5, 51)
    with app.app_context():
        # Addresses are hashed exactly as the live path hashes request.remote_addr.
        assert c["1001"].client_hash == hash_value("192.0.2.10", "client")
        assert c["1003"].client_hash == hash_value("2001:db8::1", "client")
        assert c["1001"].email_hash == email_hash("ann@example.org")
        raw = db.session.execute(text("SELECT * FROM comments")).all()
        assert not any("192.0.2.10" in str(value) for row in raw for value in row)
    assert c["1002"].author_email is None and c["1002"].email_hash is None  # not an email
    articles = _articles(app)
    assert set(articles) == {"bike-lanes", "102-https://news.example/-p-102"}
    bike = articles["bike-lanes"]
    assert bike.title == "Bike lanes & buses" and bike.url == "https://news.example/bike-lanes"
    assert bike.published_count == 4 and bike.last_comment_at == datetime(2013, 4, 4, 11)
    assert articles["102-https://news.example/-p-102"].is_closed
    with app.app_context():
        events = db.session.scalars(select(ModerationEvent)
                                    .where(ModerationEvent.comment_id == c["1006"].id)).all()
        assert [(e.to_status, e.reason) for e in events] == [(CommentStatus.rejected,
                                                              "imported_spam")]


def test_imported_thread_is_served_by_the_reader_api(app, client, write, run_import):
    assert run_import("disqus", write("d.xml", fixtures.disqus_export()),
                      "--site", "news").exit_code == 0
    response = client.get("/api/v1/sites/news/articles/bike-lanes/comments")
    assert response.status_code == 200
    tops = response.get_json()["comments"]
    first = next(item for item in tops if item["body"].startswith("Great"))
    assert sorted(reply["body"] for reply in first["replies"]) == ["Early reply", "Plain reply"]
    assert all("Deleted" not in item["body"] and "watches" not in item["body"] for item in tops)


def test_importing_the_same_file_twice_adds_nothing(app, write, run_import):
    path = write("disqus.xml", fixtures.disqus_export())
    assert run_import("disqus", path, "--site", "news").exit_code == 0
    before = table_counts(app)
    articles = {k: (a.published_count, a.last_comment_at) for k, a in _articles(app).items()}
    result = run_import("disqus", path, "--site", "news")
    assert result.exit_code == 0, result.output
    assert "imported 0 comments" in result.output
    assert table_counts(app) == before
    assert {k: (a.published_count, a.last_comment_at)
            for k, a in _articles(app).items()} == articles


def test_an_interrupted_import_resumes_without_duplicates(app, write, run_import, monkeypatch):
    path = write("wxr.xml", fixtures.wordpress_export())
    assert run_import("wordpress", path, "--site", "news", "--batch-size", "2").exit_code == 0
    complete = table_counts(app)
    complete_parents = {k: (v.parent_id is not None) for k, v in
                        comments_by_source(app, "wordpress").items()}
    with app.app_context():
        db.session.execute(Comment.__table__.delete())
        db.session.execute(Article.__table__.delete())
        db.session.commit()

    real_write, calls = writer_module.Writer._write, []

    def dying_write(self, entries):
        calls.append(len(entries))
        if len(calls) == 3:
            raise KeyboardInterrupt  # the operator's Ctrl-C half-way
        return real_write(self, entries)

    monkeypatch.setattr(writer_module.Writer, "_write", dying_write)
    with pytest.raises(KeyboardInterrupt), app.app_context():
        from moderation.importers import run_import as run

        run("wordpress", path, "news", batch_size=2)
    partial = table_counts(app)
    assert 0 < partial["comments"] < complete["comments"]
    monkeypatch.setattr(writer_module.Writer, "_write", real_write)
    result = run_import("wordpress", path, "--site", "news", "--batch-size", "2")
    assert result.exit_code == 0, result.output
    assert table_counts(app) == complete
    resumed = comments_by_source(app, "wordpress")
    assert {k: (v.parent_id is not None) for k, v in resumed.items()} == complete_parents
    with app.app_context():
        sources = db.session.scalars(select(ImportRecord.source_id)).all()
        assert len(sources) == len(set(sources))


def test_a_parent_later_in_the_file_is_linked_after_the_batches(app, write, run_import):
    # Batches of one: the reply (6) is written before its parent (5) exists.
    path = write("wxr.xml", fixtures.wordpress_export())
    result = run_import("wordpress", path, "--site", "news", "--batch-size", "1")
    assert result.exit_code == 0, result.output
    assert "parent found later in the file: 1" in result.output
    c = comments_by_source(app, "wordpress")
    assert c["6"].parent_id == c["5"].id and c["6"].root_id == c["5"].id
    assert c["11"].parent_id is None


def test_wordpress_import(app, write, run_import):
    result = run_import("wordpress", write("wxr.xml", fixtures.wordpress_export()),
                        "--site", "news")
    assert result.exit_code == 0, result.output
    c = comments_by_source(app, "wordpress")
    assert "10" not in c  # a pingback is not a reader's comment
    assert c["5"].body == "First! Bold & brave" and c["6"].body == "A reply\nover two lines"
    assert c["7"].status is CommentStatus.pending_review
    assert c["8"].status is CommentStatus.rejected and c["9"].status is CommentStatus.deleted
    assert c["13"].body == fixtures.LONG_BODY and c["14"].body == "Café au lait"
    assert c["5"].created_at == datetime(2014, 2, 7, 9, 30)
    with app.app_context():
        assert c["5"].client_hash == hash_value("198.51.100.7", "client")
        # No address: a per-author stand-in, never one hash shared by every such comment.
        assert c["20"].client_hash not in {hash_value("unknown", "client"), c["5"].client_hash}
    articles = _articles(app)
    assert set(articles) == {"12", "14"} and articles["12"].is_closed
    assert articles["12"].url == "https://daily.example/?p=12"


def test_remark42_gzipped_backup(app, write, run_import):
    result = run_import("remark42", write("backup-blog.gz", fixtures.remark42_backup()),
                        "--site", "news")
    assert result.exit_code == 0, result.output
    c = comments_by_source(app, "remark42")
    assert set(c) == {"c-1", "c-2", "c-3", "c-4", "c-5", "c-6"}
    assert c["c-1"].body == "Hello [x.example](https://x.example/) & all"  # what was typed
    assert c["c-2"].parent_id == c["c-1"].id and c["c-4"].parent_id is None
    assert c["c-3"].status is CommentStatus.deleted
    assert c["c-6"].body == fixtures.LONG_BODY
    assert c["c-1"].created_at == datetime(2019, 1, 15, 4, 54, 7, 524727)
    assert c["c-1"].client_hash == c["c-6"].client_hash != c["c-2"].client_hash
    articles = _articles(app)
    assert articles["https://blog.example/closed/"].is_closed
    assert not articles["https://blog.example/post/"].is_closed


def test_isso_database_by_its_documented_schema(app, tmp_path, run_import):
    path = tmp_path / "comments.db"
    fixtures.isso_database(path)
    result = run_import("isso", str(path), "--site", "news")
    assert result.exit_code == 0, result.output
    c = comments_by_source(app, "isso")
    assert c["1"].body == "First **comment**\n\nwith markdown"
    assert c["1"].created_at == datetime(2019, 1, 14, 21, 6, 40, 250000)
    assert c["2"].parent_id == c["1"].id and c["2"].author_name == "Anonymous"
    assert c["3"].status is CommentStatus.pending_review and c["3"].author_email is None
    assert c["4"].status is CommentStatus.deleted and c["5"].parent_id == c["4"].id
    assert c["6"].parent_id is None and c["7"].body == fixtures.LONG_BODY
    with app.app_context():
        assert c["1"].client_hash == hash_value("192.0.2.0", "client")
    assert set(_articles(app)) == {"2019/01/hello-world", "about-lang-en"}


def test_dry_run_reports_and_writes_nothing(app, write, run_import):
    result = run_import("disqus", write("d.xml", fixtures.disqus_export()), "--site", "news",
                        "--dry-run")
    assert result.exit_code == 0, result.output
    for line in ("threads: 3 (2 with comments, 1 empty)", "comments: 11 (3 replies)",
                 "parents missing: 1", "duplicates: 1", "rows that will be skipped: 1",
                 "its thread is not in the file: 1", "comments to import: 9",
                 "nothing was written"):
        assert line in result.output
    assert table_counts(app) == {"articles": 0, "comments": 0, "import_records": 0,
                                 "moderation_events": 0}


def test_import_needs_an_existing_site(app, write, run_import):
    result = run_import("disqus", write("d.xml", fixtures.disqus_export()), "--site", "nope")
    assert result.exit_code != 0 and "no site 'nope'" in result.output


def test_replies_find_their_parents_when_new_ids_are_not_handed_out_in_order(
        app, write, run_import):
    # Once a table holds the largest 64-bit id, SQLite picks new ids at random: a batch's
    # ids can then no longer be matched to its rows by their order.
    with app.app_context():
        site = db.session.scalar(select(Site).where(Site.key == "news"))
        article = Article(site_id=site.id, external_id="elsewhere")
        db.session.add(article)
        db.session.flush()
        db.session.add(Comment(id=2**63 - 1, article_id=article.id, author_name="Ann",
                               client_hash="x" * 64, body="Earlier", reason="ok",
                               status=CommentStatus.published))
        db.session.commit()
    result = run_import("disqus", write("disqus.xml", fixtures.disqus_export()),
                        "--site", "news", "--batch-size", "4")
    assert result.exit_code == 0, result.output
    c = comments_by_source(app, "disqus")
    assert c["1002"].parent_id == c["1001"].id and c["1003"].parent_id == c["1001"].id
    assert c["1002"].body == "Plain reply" and c["1007"].body == "Waiting for approval"
    with app.app_context():
        for source_id, comment in c.items():
            record = db.session.scalar(select(ImportRecord).where(
                ImportRecord.comment_id == comment.id))
            assert record.source_id == source_id


def test_a_batch_is_written_early_once_its_comments_hold_many_characters(
        app, write, run_import, monkeypatch):
    # The fixture's 50,000-character comment passes this cap on its own.
    monkeypatch.setattr(writer_module, "BATCH_MAX_CHARS", 40_000)
    real_write, batches = writer_module.Writer._write, []

    def recording_write(self, entries):
        batches.append([entry.source_id for entry in entries])
        return real_write(self, entries)

    monkeypatch.setattr(writer_module.Writer, "_write", recording_write)
    result = run_import("disqus", write("disqus.xml", fixtures.disqus_export()),
                        "--site", "news")
    assert result.exit_code == 0, result.output
    assert "imported 9 comments" in result.output
    written = [batch for batch in batches if batch]
    assert len(written) == 2 and written[0][-1] == "1008"
    assert len(comments_by_source(app, "disqus")) == 9
