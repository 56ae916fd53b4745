"""Shared set-up for the dashboard walk-through in Chromium: a live app, accounts, screenshots."""

from __future__ import annotations

import os
from pathlib import Path

import pytest
from sqlalchemy import update

from moderation.extensions import db
from moderation.models import Comment, CommentStatus, Flag, FlagReason, Role
from moderation.sites.create import create_site
from tests.conftest import clean_database, make_app
from tests.factories import PASSWORD, make_comment, make_moderator
from tests.live_server import serve

PHONE = {"width": 390, "height": 844}
DESKTOP = {"width": 1280, "height": 900}
THREAT = "I know where you live"


def shot(page, tmp_path: Path, name: str, full_page: bool = True) -> Path:
    """Save a screenshot as a test artefact (MODERATION_TEST_ARTEFACTS, else tmp)."""
    folder = Path(os.environ.get("MODERATION_TEST_ARTEFACTS") or tmp_path)
    folder.mkdir(parents=True, exist_ok=True)
    path = folder / f"{name}.png"
    page.screenshot(path=path, full_page=full_page)
    return path


@pytest.fixture(scope="module")
def walk_server(database_url, tiny_models, tmp_path_factory):
    """One app served over real HTTP for the whole module."""
    # Every test logs in afresh from one address: lift the per-address login limit.
    app = make_app(database_url, tiny_models, tmp_path_factory.mktemp("walk"),
                   LOGIN_RATE_LIMIT="1000/minute")
    with serve(app) as base_url:
        yield app, base_url
    with app.app_context():
        db.session.remove()
        db.engine.dispose()


@pytest.fixture
def walk(walk_server):
    """A site with queue items of each kind and an admin; deleted after the test."""
    app, base_url = walk_server
    with app.app_context():
        create_site("news")
        make_moderator("admin@example.org", Role.admin)
        held = make_comment(body=f"{THREAT}, and I am coming round.", reason="suspect_word",
                            author="Harold", email_hash="e" * 64, age_minutes=30,
                            scores={"toxicity": 0.61, "severe_toxicity": 0.12, "obscene": 0.05,
                                    "threat": 0.74, "insult": 0.33, "identity_attack": 0.02})
        held.matched_word = THREAT
        make_comment(body="An earlier remark by the same author.", author="Harold",
                     email_hash="e" * 64, age_minutes=90)
        reported = make_comment(body="Buy cheap watches at my shop " + "x" * 60,
                                author="Seller", status=CommentStatus.published,
                                client_hash="s" * 64, age_minutes=20)
        reports = (("a", FlagReason.spam, "an advert"), ("b", FlagReason.spam, None),
                   ("c", FlagReason.off_topic, None))
        for reader, reason, note in reports:
            db.session.add(Flag(comment_id=reported.id, reader_hash=reader * 64, reason=reason,
                                note=note))
        # As readers' reports do: counted in SQL, without a version bump.
        db.session.execute(update(Comment).where(Comment.id == reported.id).values(flag_count=3))
        db.session.commit()
        ids = {"held": held.id, "reported": reported.id}
    yield app, base_url, ids
    clean_database(app)


def log_in(page, base_url, email: str = "admin@example.org"):
    page.goto(base_url + "/dashboard/")
    page.fill("#email", email)
    page.fill("#password", PASSWORD)
    page.keyboard.press("Enter")
    page.wait_for_url(base_url + "/dashboard/")


def _page(browser, **options):
    """Yield a page in a fresh context; axe-core is injected inline, past the page's CSP."""
    context = browser.new_context(bypass_csp=True, **options)
    yield context.new_page()
    context.close()


@pytest.fixture
def desktop(browser):
    """A desktop-sized page."""
    yield from _page(browser, viewport=DESKTOP)


@pytest.fixture
def phone(browser):
    """A phone-sized page (390 x 844, touch)."""
    yield from _page(browser, viewport=PHONE, is_mobile=True, has_touch=True)
