"""What a post reads of its site is kept between posts, and any change reaches the next post.

Each change is made through a second app, as another web node or worker would make it.
"""

from __future__ import annotations

import re
from datetime import timedelta

from sqlalchemy import event, select, update

from moderation.extensions import db
from moderation.models import Article, Ban, Comment, WebhookDelivery
from moderation.models.types import utcnow
from moderation.policy.site_rules import is_banned
from moderation.services.bans import ban_author
from moderation.sites import kept
from moderation.sites.lookup import get_site
from moderation.sites.settings import update_article, update_site
from moderation.webhooks.endpoints import create_endpoint
from tests.factories import make_moderator
from tests.posting import THREAD, post_comment


def tables_read(app, client, **fields) -> set[str]:
    """Post a comment and return the tables its SELECT statements read from."""
    seen = []
    with app.app_context():
        engine = db.engine

    def note(_conn, _cursor, statement, *_args):
        if statement.lstrip().upper().startswith("SELECT"):
            seen.extend(re.findall(r'\bFROM\s+"?(\w+)', statement))

    event.listen(engine, "before_cursor_execute", note)
    try:
        post_comment(client, **fields)
    finally:
        event.remove(engine, "before_cursor_execute", note)
    return set(seen)


SETTINGS_TABLES = {"sites", "bans", "webhook_endpoints", "site_words", "site_models",
                   "shadow_policies"}


def test_a_second_post_reads_none_of_its_sites_settings(answer_app, site):
    client = answer_app.test_client()
    first = tables_read(answer_app, client)
    assert first >= SETTINGS_TABLES
    second = tables_read(answer_app, client)
    assert not SETTINGS_TABLES & second


def test_an_article_is_kept_while_nothing_readers_see_changes(answer_apps, site):
    app = answer_apps(model="middling")  # held for review: the article's readers see no change
    client = app.test_client()
    assert post_comment(client)["state"] == "pending"  # creates the article
    assert "articles" in tables_read(app, client)  # reads and keeps it
    assert "articles" not in tables_read(app, client)


def test_site_settings_changed_elsewhere_reach_the_next_post(answer_apps, site):
    web, admin = answer_apps(), answer_apps()
    client = web.test_client()
    assert post_comment(client)["state"] == "published"
    with admin.app_context():
        current = get_site("news")
        update_site("news", {"name": current.name, "allowed_origins": current.allowed_origins,
                             "premoderate": True, "language_check": current.language_check,
                             "auto_languages": current.auto_languages,
                             "flag_threshold": current.flag_threshold})
    assert post_comment(client)["state"] == "pending"


def test_a_ban_made_elsewhere_reaches_the_next_post_and_lifting_it_too(answer_apps, site):
    web, admin = answer_apps(), answer_apps()
    client = web.test_client()
    first = post_comment(client, remote="10.0.0.7")
    post_comment(client, remote="10.0.0.7")  # the empty ban list is kept now
    with admin.app_context():
        ban_author(first["id"], make_moderator("mod@example.org"), days=None, match="client")
    assert post_comment(client, remote="10.0.0.7")["state"] == "rejected"
    assert post_comment(client, remote="10.0.0.8")["state"] == "published"
    with admin.app_context():
        # Lifting runs as one UPDATE statement (undo), not through a loaded row.
        db.session.execute(update(Ban).values(lifted_at=utcnow()))
        db.session.commit()
    assert post_comment(client, remote="10.0.0.7")["state"] == "published"


def test_a_webhook_endpoint_added_elsewhere_gets_the_next_post(answer_apps, site):
    web, admin = answer_apps(), answer_apps()
    client = web.test_client()
    post_comment(client)
    with admin.app_context():
        create_endpoint(get_site("news"), "https://hooks.example/in", ["comment.created"])
    second = post_comment(client)
    with admin.app_context():
        deliveries = db.session.scalars(select(WebhookDelivery.comment_id)).all()
    assert deliveries == [second["id"]]


def test_closing_the_article_elsewhere_reaches_the_next_post(answer_apps, site):
    web, admin = answer_apps(), answer_apps()
    client = web.test_client()
    post_comment(client)
    with admin.app_context():
        article = db.session.scalar(select(Article).where(Article.external_id == "a-1"))
        update_article(article.id, is_closed=True, premoderate=False)
    response = client.post(THREAD.format(article="a-1"),
                           json={"author_name": "Ann", "body": "One more thought."})
    assert response.status_code == 409
    assert response.get_json()["error"]["code"] == "article_closed"


def test_kept_bans_match_as_the_database_does(answer_app, site, monkeypatch):
    with answer_app.app_context():
        news = get_site("news")
        now = utcnow()
        db.session.add_all([
            Ban(site_id=news.id, client_hash="gone", expires_at=now - timedelta(minutes=1)),
            Ban(site_id=news.id, client_hash="until-tomorrow", expires_at=now + timedelta(days=1)),
            Ban(site_id=news.id, email_hash="mail"),
            Ban(site_id=news.id, client_hash="lifted", lifted_at=now),
        ])
        db.session.commit()
        cases = [("gone", None, False), ("until-tomorrow", None, True),
                 ("other", "mail", True), ("other", None, False), ("lifted", None, False)]
        for too_many in (False, True):  # kept, then asked of the database each time
            if too_many:
                monkeypatch.setattr(kept, "MAX_KEPT_BANS", 1)
                db.session.execute(update(Comment).values(body="x"))  # moves every generation
                db.session.commit()
            assert kept.active_bans(news) is None if too_many else kept.active_bans(news)
            for client_h, email_h, expected in cases:
                assert is_banned(news, email_h, client_h) is expected, (client_h, too_many)


def test_a_site_deleted_elsewhere_is_not_found_by_the_next_post(answer_apps, site):
    web, admin = answer_apps(), answer_apps()
    client = web.test_client()
    post_comment(client)
    post_comment(client)  # the site is kept now
    with admin.app_context():
        # Children first, each marked as noted so that only the site's own deletion moves
        # a generation (a plain bulk delete would move every generation).
        for table in reversed(db.metadata.sorted_tables):
            if table.name != "sites":
                db.session.execute(table.delete().execution_options(readers_noted=True))
        db.session.delete(get_site("news"))
        db.session.commit()
    response = client.post(THREAD.format(article="a-1"),
                           json={"author_name": "Ann", "body": "Still there?"})
    assert response.status_code == 404
    assert response.get_json()["error"]["code"] == "site_not_found"


def test_a_banned_word_added_elsewhere_reaches_the_next_post(answer_apps, site):
    from moderation.models import WordKind
    from moderation.policy.site_rules import add_words

    web, admin = answer_apps(), answer_apps()
    client = web.test_client()
    assert post_comment(client, body="The zoning board met again.")["state"] == "published"
    post_comment(client, body="The zoning board met again.")  # the word lists are kept now
    with admin.app_context():
        assert add_words("news", WordKind.banned, "zoning") == 1
    assert post_comment(client, body="The zoning board met again.")["state"] == "rejected"


def test_a_shadow_run_started_elsewhere_records_the_next_post(answer_apps, site):
    from moderation.learning import shadow
    from moderation.models import ShadowDecision

    web, admin = answer_apps(), answer_apps()
    client = web.test_client()
    post_comment(client)
    post_comment(client)  # "no shadow run" is kept now
    with admin.app_context():
        run = shadow.start("news", {"approve": {"toxicity": 0.01}}, None)
        run_id = run.id
    decided = post_comment(client)
    with web.app_context():
        recorded = db.session.scalars(select(ShadowDecision.comment_id)
                                      .where(ShadowDecision.shadow_id == run_id)).all()
        db.session.remove()
    assert recorded == [decided["id"]]


def test_a_site_model_switched_on_elsewhere_routes_the_next_post(answer_apps, site):
    from moderation.models import SiteModel

    web, admin = answer_apps(), answer_apps()
    client = web.test_client()
    assert post_comment(client)["state"] == "published"
    post_comment(client)  # "no site model" is kept now
    with admin.app_context():
        news = get_site("news")
        # Weights no prediction can use: a broken site model sends comments to review.
        db.session.add(SiteModel(site_id=news.id, version=1, weights={}, active=True))
        db.session.commit()
    assert post_comment(client)["state"] == "pending"
