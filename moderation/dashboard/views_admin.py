"""Admin pages: sites and their word lists, articles, and moderator accounts."""

from __future__ import annotations

import json

from flask import flash, redirect, render_template, url_for
from flask_login import current_user
from sqlalchemy import select

from moderation.auth import admin_required
from moderation.dashboard import bp
from moderation.dashboard.forms import (
    ArticleForm,
    ModeratorForm,
    ModeratorUpdateForm,
    NewSiteForm,
    SiteForm,
    WordsForm,
    use_form,
)
from moderation.extensions import db
from moderation.models import Article, Moderator, Role, Site
from moderation.services import admin, wordlists
from moderation.services.sites import get_site


@bp.get("/admin/sites")
@admin_required
def sites():
    """List the sites."""
    rows = db.session.scalars(select(Site).order_by(Site.key)).all()
    return render_template("dashboard/sites.html", sites=rows)


@bp.post("/admin/sites")
@admin_required
@use_form(NewSiteForm())
def create_site(form: dict):
    """Create a site, then open its settings."""
    created = admin.create_site(form["key"], name=form["name"])
    flash(f"Site {created.key} created.", "ok")
    return redirect(url_for("dashboard.site", site_key=created.key), code=303)


@bp.get("/admin/sites/<site_key>")
@admin_required
def site(site_key: str):
    """Show a site's settings, word lists and latest articles."""
    site_obj = get_site(site_key)
    articles = db.session.scalars(
        select(Article).where(Article.site_id == site_obj.id)
        .order_by(Article.created_at.desc()).limit(50)
    ).all()
    thresholds = {side: json.dumps((site_obj.thresholds or {}).get(side) or {})
                  for side in ("approve", "reject")}
    return render_template("dashboard/site.html", site=site_obj, articles=articles,
                           words=wordlists.list_words(site_obj), thresholds=thresholds)


@bp.post("/admin/sites/<site_key>")
@admin_required
@use_form(SiteForm())
def update_site(site_key: str, form: dict):
    """Save a site's settings."""
    wordlists.update_site(site_key, form)
    flash("Site settings saved.", "ok")
    return redirect(url_for("dashboard.site", site_key=site_key), code=303)


@bp.post("/admin/sites/<site_key>/words")
@admin_required
@use_form(WordsForm())
def add_words(site_key: str, form: dict):
    """Add words to the site's banned or suspect list."""
    added = wordlists.add_words(site_key, form["kind"], form["words"])
    flash(f"{added} {form['kind'].value} words added.", "ok")
    return redirect(url_for("dashboard.site", site_key=site_key), code=303)


@bp.post("/admin/sites/<site_key>/words/<id:word_id>/delete")
@admin_required
def remove_word(site_key: str, word_id: int):
    """Remove a word from the site's lists."""
    wordlists.remove_word(site_key, word_id)
    flash("Word removed.", "ok")
    return redirect(url_for("dashboard.site", site_key=site_key), code=303)


@bp.post("/admin/articles/<id:article_id>")
@admin_required
@use_form(ArticleForm())
def update_article(article_id: int, form: dict):
    """Close or pre-moderate one article."""
    article = wordlists.update_article(article_id, **form)
    flash(f"Article {article.external_id} saved.", "ok")
    site_key = db.session.scalar(select(Site.key).where(Site.id == article.site_id))
    return redirect(url_for("dashboard.site", site_key=site_key), code=303)


@bp.get("/admin/moderators")
@admin_required
def moderators():
    """List the accounts."""
    rows = db.session.scalars(select(Moderator).order_by(Moderator.email)).all()
    return render_template("dashboard/moderators.html", moderators=rows, roles=list(Role))


@bp.post("/admin/moderators")
@admin_required
@use_form(ModeratorForm())
def create_moderator(form: dict):
    """Create an account."""
    created = wordlists.create_moderator(form["email"], form["password"], form["role"])
    flash(f"Account {created.email} created.", "ok")
    return redirect(url_for("dashboard.moderators"), code=303)


@bp.post("/admin/moderators/<id:moderator_id>")
@admin_required
@use_form(ModeratorUpdateForm())
def update_moderator(moderator_id: int, form: dict):
    """Change an account's role or switch it off."""
    wordlists.update_moderator(moderator_id, role=form["role"], active=form["active"],
                               acting_id=current_user.id)
    flash("Account saved.", "ok")
    return redirect(url_for("dashboard.moderators"), code=303)
