"""Looking up sites and articles, and creating an article on its first comment."""

from __future__ import annotations

from sqlalchemy import select
from sqlalchemy.exc import IntegrityError

from moderation.errors import NotFound
from moderation.extensions import db
from moderation.models import Article, Site


def get_site(key: str) -> Site:
    """Return the site with this key or raise NotFound."""
    site = db.session.scalar(select(Site).where(Site.key == key))
    if site is None:
        raise NotFound(f"No site '{key}'.", code="site_not_found")
    return site


def find_article(site: Site, external_id: str) -> Article | None:
    """Return the site's article with this external id, if it exists."""
    return db.session.scalar(
        select(Article).where(Article.site_id == site.id, Article.external_id == external_id)
    )


def get_article(site: Site, external_id: str) -> Article:
    """Return the site's article or raise NotFound."""
    article = find_article(site, external_id)
    if article is None:
        raise NotFound(f"No article '{external_id}' on this site.", code="article_not_found")
    return article


def complete_article(article: Article, *, url: str | None = None,
                     title: str | None = None) -> Article:
    """Fill in the article's address and title where the site had not given them yet."""
    if url and not article.url:
        article.url = url
    if title and not article.title:
        article.title = title
    return article


def get_or_create_article(site: Site, external_id: str, *, url: str | None = None,
                          title: str | None = None) -> Article:
    """Return the article, creating it inside a savepoint so concurrent first posts agree."""
    article = find_article(site, external_id)
    if article is not None:
        return complete_article(article, url=url, title=title)
    try:
        with db.session.begin_nested():
            article = Article(site_id=site.id, external_id=external_id, url=url, title=title)
            db.session.add(article)
    except IntegrityError:
        article = find_article(site, external_id)
    return article
