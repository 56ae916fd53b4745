"""Operator actions: creating sites and the demo content."""

from __future__ import annotations

from sqlalchemy import select

from moderation.errors import Conflict
from moderation.extensions import db
from moderation.models import Site
from moderation.services.comments import submit_comment
from moderation.sites.lookup import find_article

DEMO_SITE = "demo"
DEMO_ARTICLE = "city-council-approves-new-bike-lanes"
DEMO_COMMENTS = [
    ("Maria", "Finally! I cycle to work every day and this will make it so much safer."),
    ("Tom", "I worry about delivery vans, but overall this is a sensible plan."),
    ("Ines", "Does anyone know when construction starts on Main Street?"),
]
DEMO_TITLE = "City council approves new bike lanes"
DEMO_ARTICLE_PATH = "/demo/"
# (article key, headline, comments) for the demo listing page, the main article first.
DEMO_LISTING = [
    (DEMO_ARTICLE, DEMO_TITLE, DEMO_COMMENTS),
    ("library-extends-weekend-opening-hours", "Library extends weekend opening hours",
     [("Priya", "Great news for students during exam season."),
      ("Jon", "Sunday mornings at the library are the best.")]),
    ("local-bakery-wins-national-prize", "Local bakery wins national bread prize",
     [("Aiko", "Their rye loaf deserves every prize there is.")]),
    ("river-cleanup-volunteers-needed", "River clean-up needs volunteers this Saturday", []),
]


def create_site(key: str, *, name: str | None = None, origins: list[str] | None = None,
                premoderate: bool = False, auto_languages: list[str] | None = None) -> Site:
    """Create a site, refusing a key that is taken."""
    if db.session.scalar(select(Site).where(Site.key == key)):
        raise Conflict(f"A site with key '{key}' exists.", code="site_exists")
    site = Site(key=key, name=name or key, allowed_origins=origins or [],
                premoderate=premoderate, thresholds={}, auto_languages=auto_languages)
    db.session.add(site)
    db.session.commit()
    return site


def seed_demo() -> tuple[Site, int]:
    """Create the demo site and article with a few comments, run through the real pipeline."""
    site = db.session.scalar(select(Site).where(Site.key == DEMO_SITE))
    if site is None:
        site = create_site(DEMO_SITE, name="The Daily Demo",
                           origins=["http://127.0.0.1:5000", "http://localhost:5000"])
    # Running the quick start twice must not pile up copies of the demo comments.
    if find_article(site, DEMO_ARTICLE) is not None:
        return site, 0
    created = 0
    for article_key, title, comments in DEMO_LISTING:
        # Only the main article has a page; a relative address keeps the rails' links working
        # on whatever host and port the service runs.
        url = DEMO_ARTICLE_PATH if article_key == DEMO_ARTICLE else None
        for name, body in comments:
            submit_comment(
                site, article_key,
                {"author_name": name, "body": body, "article_title": title, "article_url": url},
                client_h="seed-demo",
            )
            created += 1
    return site, created
