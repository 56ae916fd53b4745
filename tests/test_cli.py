"""Operator commands: sites, moderators, the demo and CSV scoring."""

from __future__ import annotations

import csv
import io

from sqlalchemy import select

from moderation.extensions import db
from moderation.models import Comment, Moderator, Role, Site
from moderation.sites.create import DEMO_LISTING

# The demo article's comments plus those of the listing page's other articles.
DEMO_COMMENT_COUNT = sum(len(comments) for _key, _title, comments in DEMO_LISTING)


def test_create_site_with_origins(app, runner):
    result = runner.invoke(args=["moderation", "create-site", "daily", "--name", "The Daily",
                                 "--origin", "https://daily.example", "--premoderate"])
    assert result.exit_code == 0, result.output
    with app.app_context():
        site = db.session.scalar(select(Site).where(Site.key == "daily"))
        assert site.allowed_origins == ["https://daily.example"] and site.premoderate


def test_create_moderator_reads_password_from_environment(app, runner, monkeypatch):
    monkeypatch.setenv("MODERATION_NEW_PASSWORD", "correct horse battery")
    result = runner.invoke(args=["moderation", "create-moderator", "Ed@Example.org",
                                 "--role", "admin"])
    assert result.exit_code == 0, result.output
    with app.app_context():
        moderator = db.session.scalar(select(Moderator))
        assert moderator.email == "ed@example.org" and moderator.role is Role.admin
        assert moderator.password_hash.startswith("scrypt:")
        assert moderator.check_password("correct horse battery")
        assert not moderator.check_password("wrong")


def test_create_moderator_prompts_and_refuses_short_password(app, runner):
    result = runner.invoke(args=["moderation", "create-moderator", "m@example.org"],
                           input="short\nshort\n")
    assert result.exit_code != 0
    assert "10 characters" in result.output


def test_seed_demo_runs_comments_through_the_pipeline(app, runner):
    result = runner.invoke(args=["moderation", "seed-demo"])
    assert result.exit_code == 0, result.output
    with app.app_context():
        comments = db.session.scalars(select(Comment)).all()
        assert len(comments) == DEMO_COMMENT_COUNT
        assert all(c.scores is not None for c in comments)


def test_score_csv_adds_labels_decision_and_reason(app, runner, tmp_path):
    source = tmp_path / "in.csv"
    source.write_text('id,text\n1,"Thanks, a good read."\n2,"这是一条中文评论，谢谢大家的阅读"\n'
                      '3,"Это ужасная статья, автор ничего не понимает"\n')
    target = tmp_path / "out.csv"
    result = runner.invoke(args=["moderation", "score", "--input", str(source),
                                 "--output", str(target)])
    assert result.exit_code == 0, result.output
    with target.open() as handle:
        rows = list(csv.DictReader(handle))
    assert [r["id"] for r in rows] == ["1", "2", "3"]
    for label in ("toxicity", "severe_toxicity", "obscene", "threat", "insult",
                  "identity_attack"):
        assert 0.0 <= float(rows[0][label]) <= 1.0
    assert (rows[0]["language"], rows[0]["decision"]) == ("en", "published")
    # Chinese is scored by its own model, on toxicity only; Russian has no model.
    assert (rows[1]["language"], rows[1]["decision"]) == ("zh", "published")
    assert 0.0 <= float(rows[1]["toxicity"]) <= 1.0 and rows[1]["insult"] == ""
    assert (rows[2]["decision"], rows[2]["reason"]) == ("pending_review", "language_unsupported")


def test_score_reads_stdin_and_writes_stdout(app_factory):
    runner = app_factory(model="abusive").test_cli_runner()
    result = runner.invoke(args=["moderation", "score"], input="text\nyou idiot\n")
    assert result.exit_code == 0, result.output
    rows = list(csv.DictReader(io.StringIO(result.output)))
    assert rows[0]["decision"] == "rejected" and rows[0]["reason"] == "threshold"


def test_score_without_text_column_is_a_usage_error(app, runner):
    result = runner.invoke(args=["moderation", "score"], input="body\nhello\n")
    assert result.exit_code == 2
    assert "'text' column" in result.output


def test_seed_demo_twice_adds_nothing_the_second_time(app, runner):
    runner.invoke(args=["moderation", "seed-demo"])
    result = runner.invoke(args=["moderation", "seed-demo"])
    assert result.exit_code == 0 and "0 comments added" in result.output
    with app.app_context():
        assert db.session.query(Comment).count() == DEMO_COMMENT_COUNT


def test_score_refuses_a_csv_that_is_not_utf8_with_a_clear_error(runner, tmp_path):
    source = tmp_path / "latin1.csv"
    source.write_bytes(b"text\n\xff\xfe caf\xe9\n")
    result = runner.invoke(args=["moderation", "score", "--input", str(source)])
    assert result.exit_code == 1
    assert "could not be read as UTF-8 CSV" in result.output
    assert result.exception is None or isinstance(result.exception, SystemExit)


def test_score_gives_every_hostile_row_a_decision(app, runner, tmp_path):
    source = tmp_path / "hostile.csv"
    with source.open("w", newline="", encoding="utf-8") as handle:
        writer = csv.writer(handle)
        writer.writerow(["text"])
        for text in ["", "x" * 100_000, "Das ist 日本語 mixed Ελληνικά and English"]:
            writer.writerow([text])
    target = tmp_path / "out.csv"
    result = runner.invoke(args=["moderation", "score", "--input", str(source),
                                 "--output", str(target)])
    assert result.exit_code == 0, result.output
    with target.open(encoding="utf-8") as handle:
        rows = list(csv.DictReader(handle))
    assert len(rows) == 3
    assert all(r["decision"] in ("published", "pending_review", "rejected") for r in rows)


def test_scoring_yields_each_batch_before_reading_the_rest(app):
    from moderation.policy.bulk import scored_batches

    rows = [{"text": f"Comment number {i} about the bus lanes."} for i in range(10)]
    with app.app_context():
        batches = scored_batches(rows, batch_size=4)
        first = next(batches)  # scored and routed before the other six rows are touched
        assert [row["text"] for row in first] == [row["text"] for row in rows[:4]]
        assert all(row["decision"] for row in first)
        assert sum(len(batch) for batch in batches) == 6
