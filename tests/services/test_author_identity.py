"""Author history and bans key on the reader account when there is one, not the office network."""

from __future__ import annotations

from sqlalchemy import select

from moderation.extensions import db
from moderation.models import Ban, Comment, ReaderAccount, Site
from moderation.services.author_history import author_histories, author_key
from moderation.services.bans import ban_author
from tests.factories import make_comment, make_moderator

OFFICE = "o" * 64


def _signed_in(author: str, external_id: str, **kwargs) -> Comment:
    site = db.session.query(Site).filter_by(key="news").one()
    account = db.session.scalar(select(ReaderAccount).where(
        ReaderAccount.external_id == external_id))
    if account is None:
        account = ReaderAccount(site_id=site.id, external_id=external_id, username=author)
        db.session.add(account)
        db.session.flush()
    comment = make_comment(author=author, client_hash=OFFICE, **kwargs)
    comment.reader_id = account.id
    db.session.commit()
    return comment


def test_readers_on_one_network_keep_their_own_histories(app, site):
    with app.app_context():
        bob = _signed_in("Bob", "u-bob")
        _signed_in("Bob", "u-bob")
        cat = _signed_in("Cat", "u-cat")
        history = author_histories([bob, cat])
        assert author_key(bob) != author_key(cat)
        assert history[author_key(bob)]["pending_review"] == 2
        assert history[author_key(cat)]["pending_review"] == 1
        assert history[author_key(cat)]["matched_on"] == "account"


def test_anonymous_history_is_still_by_email_then_device(app, site):
    with app.app_context():
        by_email = make_comment(email_hash="e" * 64)
        by_device = make_comment(client_hash="d" * 64)
        history = author_histories([by_email, by_device])
        assert history["e" * 64]["matched_on"] == "email"
        assert history["d" * 64]["matched_on"] == "device"


def test_ban_of_a_signed_in_author_holds_their_account(app, site):
    with app.app_context():
        moderator = make_moderator("m@example.org")
        comment = _signed_in("Bob", "u-bob")
        ban_author(comment.id, moderator, days=None, match="account")
        ban = db.session.scalar(select(Ban))
        assert ban.reader_id == comment.reader_id
        assert ban.client_hash is None and ban.email_hash is None
