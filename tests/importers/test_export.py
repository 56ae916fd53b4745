"""The service's own export: versioned JSON Lines, streamed; importing it reproduces the site.

Runs on SQLite, and on PostgreSQL when MODERATION_TEST_DATABASE_URL is set (as `make test`
does in CI).
"""

from __future__ import annotations

import gzip
import json

import pytest
from sqlalchemy import delete, select

from moderation.extensions import db
from moderation.models import Comment, Moderator, Role, Site
from moderation.services import actions
from tests.importers import fixtures
from tests.importers.conftest import table_counts

BASE = "/api/v1/sites/news"


def _post(client, article: str, body: str, remote: str, **extra) -> dict:
    response = client.post(f"{BASE}/articles/{article}/comments",
                           json={"author_name": "Reader " + remote[-1], "body": body, **extra},
                           environ_base={"REMOTE_ADDR": remote})
    assert response.status_code == 201, response.get_json()
    return response.get_json()


def _build_site(app, client, runner, write) -> None:
    with app.app_context():
        site = db.session.scalar(select(Site).where(Site.key == "news"))
        site.thresholds = {"approve": {"threat": 0.2}}
        site.flag_threshold = 5
        moderator = Moderator(email="mod@example.org", role=Role.moderator)
        moderator.set_password("long enough password")
        db.session.add(moderator)
        db.session.commit()
    first = _post(client, "council-vote", "A thoughtful first comment.", "10.0.0.1",
                  email="Ann@Example.org", article_url="https://news.example/council-vote",
                  article_title="Council votes")
    reply = _post(client, "council-vote", "I agree with this.", "10.0.0.2",
                  parent_id=first["id"])
    other = _post(client, "budget", "Another article's comment.", "10.0.0.3")
    client.post(f"{BASE}/comments/{first['id']}/like", environ_base={"REMOTE_ADDR": "10.0.0.4"})
    client.post(f"{BASE}/comments/{first['id']}/like", environ_base={"REMOTE_ADDR": "10.0.0.5"})
    client.post(f"{BASE}/comments/{other['id']}/flags", json={"reason": "spam", "note": "ads"},
                environ_base={"REMOTE_ADDR": "10.0.0.6"})
    with app.app_context():
        moderator = db.session.scalar(select(Moderator))
        actions.reject(reply["id"], moderator, reason="abusive", note="rude")
        actions.feature(first["id"], moderator)
    # Imported comments too, one of them linked to a parent that came later.
    result = runner.invoke(args=["moderation", "import", "wordpress",
                                 write("wxr.xml", fixtures.wordpress_export()),
                                 "--site", "news", "--batch-size", "1"])
    assert result.exit_code == 0, result.output


def _export(runner, path) -> list[dict]:
    result = runner.invoke(args=["moderation", "export", "--site", "news",
                                 "--output", str(path)])
    assert result.exit_code == 0, result.output
    opener = gzip.open if str(path).endswith(".gz") else open
    with opener(path, "rt", encoding="utf-8") as handle:
        return [json.loads(line) for line in handle]


def _comparable(lines: list[dict]) -> dict:
    """The export without the database's own ids (and the moment it was taken)."""
    header, *body = lines
    header = dict(header, exported_at=None)
    comments = [line for line in body if line["type"] == "comment"]
    key = {c["id"]: (c["article"], c["created_at"], c["author_name"], c["body"])
           for c in comments}
    out = {}
    for c in comments:
        out[key[c["id"]]] = dict(c, id=None, parent_id=key.get(c["parent_id"]), imported_from=[
            pair for pair in c["imported_from"] if pair[0] != "moderation"])
    return {"header": header, "end": body[-1],
            "articles": sorted(json.dumps(line, sort_keys=True) for line in body
                                if line["type"] == "article"),
            "comments": out}


def test_export_is_versioned_json_lines_with_a_closing_count(app, client, runner, site,
                                                             write, tmp_path):
    _build_site(app, client, runner, write)
    lines = _export(runner, tmp_path / "news.jsonl")
    assert lines[0]["type"] == "header" and lines[0]["format"] == "moderation-export"
    assert lines[0]["version"] == 1 and lines[0]["site"]["key"] == "news"
    counts = table_counts(app)
    assert lines[-1] == {"type": "end", "articles": counts["articles"],
                         "comments": counts["comments"]}
    first = next(line for line in lines if line.get("body") == "A thoughtful first comment.")
    assert first["is_featured"] and len(first["reactions"]) == 2
    # Like live comments, no plain address is kept or exported; the keyed hash travels.
    assert first["author_email"] is None and first["email_hash"]
    assert [d["actor_type"] for d in first["decisions"]] == ["system", "moderator"]
    rejected = next(line for line in lines if line.get("body") == "I agree with this.")
    assert rejected["decisions"][-1]["moderator"] == "mod@example.org"
    assert rejected["decisions"][-1]["note"] == "rude"


def test_import_of_an_export_into_an_empty_database_reproduces_the_site(
        app, client, runner, site, write, tmp_path):
    _build_site(app, client, runner, write)
    original = _export(runner, tmp_path / "news.jsonl.gz")
    before = table_counts(app)
    with app.app_context():
        db.session.execute(delete(Site))  # every article, comment, decision and like with it
        db.session.commit()
    assert table_counts(app)["comments"] == 0
    result = runner.invoke(args=["moderation", "import", "moderation",
                                 str(tmp_path / "news.jsonl.gz"), "--site", "news"])
    assert result.exit_code == 0, result.output
    after = table_counts(app)
    # Each comment is recorded as imported from this export, and keeps its earlier origin.
    assert after.pop("import_records") == before.pop("import_records") + before["comments"]
    assert after == before
    again = _export(runner, tmp_path / "again.jsonl")
    assert _comparable(again) == _comparable(original)
    # Threads read the same to readers: the reply to the featured comment stays rejected.
    thread = client.get(f"{BASE}/articles/council-vote/comments").get_json()["comments"]
    assert [c["body"] for c in thread] == ["A thoughtful first comment."]
    # And importing it a second time adds nothing.
    counts = table_counts(app)
    result = runner.invoke(args=["moderation", "import", "moderation",
                                 str(tmp_path / "news.jsonl.gz"), "--site", "news"])
    assert result.exit_code == 0 and table_counts(app) == counts
    # Nor does the WordPress file the site first imported: its origin travelled along.
    result = runner.invoke(args=["moderation", "import", "wordpress", str(tmp_path / "wxr.xml"),
                                 "--site", "news"])
    assert result.exit_code == 0 and "imported 0 comments" in result.output
    assert table_counts(app) == counts


def test_export_of_an_unknown_site_is_a_clear_error(app, runner):
    result = runner.invoke(args=["moderation", "export", "--site", "nope"])
    assert result.exit_code == 1 and "No site 'nope'" in result.output


@pytest.mark.usefixtures("site")
def test_export_to_stdout(app, runner):
    with app.app_context():
        assert db.session.scalar(select(Comment)) is None
    result = runner.invoke(args=["moderation", "export", "--site", "news"])
    assert result.exit_code == 0
    lines = [json.loads(line) for line in result.stdout.splitlines() if line.startswith("{")]
    assert lines[0]["type"] == "header" and lines[-1]["type"] == "end"
