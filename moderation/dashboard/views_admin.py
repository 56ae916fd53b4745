"""Admin pages: sites and their word lists, articles, and moderator accounts."""

from __future__ import annotations

from flask import flash, redirect, render_template, request, url_for
from flask_login import current_user
from sqlalchemy import select

from moderation.auth import admin_required
from moderation.dashboard import accounts, bp
from moderation.dashboard.forms import (
    ArticleForm,
    ModeratorForm,
    ModeratorUpdateForm,
    NewSiteForm,
    PreviewForm,
    SiteForm,
    WordsForm,
    use_form,
)
from moderation.dashboard.refusals import NO_FORMS, PageForms, Posted
from moderation.errors import Conflict, NotFound
from moderation.extensions import db
from moderation.models import Article, Moderator, Role, Site
from moderation.policy import site_rules
from moderation.scoring.base import LABELS
from moderation.scoring.ngrams import scored_languages
from moderation.sites import create, settings
from moderation.sites import thresholds as site_thresholds
from moderation.sites.lookup import get_site


def _sites_page(forms: PageForms = NO_FORMS, status: int = 200):
    """Render the site list and the new-site form."""
    rows = db.session.scalars(select(Site).order_by(Site.key)).all()
    return render_template("dashboard/sites.html", sites=rows, forms=forms), status


def _site_page(site_key: str, forms: PageForms = NO_FORMS, status: int = 200,
               preview: dict | None = None):
    """Render a site's settings, word lists and latest articles, each with its form."""
    site_obj = get_site(site_key)
    articles = db.session.scalars(
        select(Article).where(Article.site_id == site_obj.id)
        .order_by(Article.created_at.desc()).limit(50)
    ).all()
    return render_template("dashboard/site.html", site=site_obj, articles=articles,
                           words=site_rules.list_words(site_obj), labels=LABELS,
                           own=site_obj.thresholds or {}, preview=preview,
                           effective=site_thresholds.effective(site_obj.thresholds),
                           inherited=site_thresholds.effective(None),
                           scored_languages=sorted(scored_languages()), forms=forms), status


def _moderators_page(forms: PageForms = NO_FORMS, status: int = 200):
    """Render the accounts, each with its form, and the new-account form."""
    rows = db.session.scalars(select(Moderator).order_by(Moderator.email)).all()
    return render_template("dashboard/moderators.html", moderators=rows, roles=list(Role),
                           forms=forms), status


def _article_site_key(article_id: int) -> str:
    """Return the key of the site an article belongs to, or raise a 404."""
    article = db.session.get(Article, article_id)
    if article is None:
        raise NotFound("No such article.", code="article_not_found")
    return db.session.scalar(select(Site.key).where(Site.id == article.site_id))


@bp.get("/admin/sites")
@admin_required
def sites():
    """List the sites."""
    return _sites_page()


@bp.post("/admin/sites")
@admin_required
@use_form(NewSiteForm(), refused=lambda posted: _sites_page(PageForms("new-site", posted), 422))
def create_site(form: dict):
    """Create a site, then open its settings; a taken key comes back on the form."""
    try:
        created = create.create_site(form["key"], name=form["name"])
    except Conflict as exc:
        posted = Posted.field_error(request.form.to_dict(), "key", exc.message)
        return _sites_page(PageForms("new-site", posted), exc.status)
    flash(f"Site {created.key} created.", "ok")
    return redirect(url_for("dashboard.site", site_key=created.key), code=303)


@bp.get("/admin/sites/<site_key>")
@admin_required
def site(site_key: str):
    """Show a site's settings, word lists and latest articles."""
    return _site_page(site_key)


@bp.post("/admin/sites/<site_key>")
@admin_required
@use_form(SiteForm(), refused=lambda posted, site_key: _site_page(
    site_key, PageForms("settings", posted), 422))
def update_site(site_key: str, form: dict):
    """Save a site's settings."""
    settings.update_site(site_key, form, current_user._get_current_object())
    flash("Site settings saved.", "ok")
    return redirect(url_for("dashboard.site", site_key=site_key), code=303)


@bp.post("/admin/sites/<site_key>/thresholds/preview")
@admin_required
@use_form(PreviewForm(), refused=lambda posted, site_key: _site_page(
    site_key, PageForms("settings", posted), 422))
def preview_thresholds(site_key: str, form: dict):
    """Show how the site's recent comments would route under the thresholds typed in."""
    counts = site_thresholds.preview(get_site(site_key), form)
    if request.is_json:
        return counts
    posted = Posted(request.form.to_dict(), {})
    return _site_page(site_key, PageForms("settings", posted), preview=counts)


@bp.post("/admin/sites/<site_key>/words")
@admin_required
@use_form(WordsForm(), refused=lambda posted, site_key: _site_page(
    site_key, PageForms(f"words-{posted.values.get('kind')}", posted), 422))
def add_words(site_key: str, form: dict):
    """Add words to the site's banned or suspect list."""
    added = site_rules.add_words(site_key, form["kind"], form["words"])
    flash(f"{added} {form['kind'].value} words added.", "ok")
    return redirect(url_for("dashboard.site", site_key=site_key), code=303)


@bp.post("/admin/sites/<site_key>/words/<id:word_id>/delete")
@admin_required
def remove_word(site_key: str, word_id: int):
    """Remove a word from the site's lists."""
    site_rules.remove_word(site_key, word_id)
    flash("Word removed.", "ok")
    return redirect(url_for("dashboard.site", site_key=site_key), code=303)


@bp.post("/admin/articles/<id:article_id>")
@admin_required
@use_form(ArticleForm(), refused=lambda posted, article_id: _site_page(
    _article_site_key(article_id), PageForms(f"article-{article_id}", posted), 422))
def update_article(article_id: int, form: dict):
    """Close or pre-moderate one article."""
    article = settings.update_article(article_id, **form)
    flash(f"Article {article.external_id} saved.", "ok")
    site_key = db.session.scalar(select(Site.key).where(Site.id == article.site_id))
    return redirect(url_for("dashboard.site", site_key=site_key), code=303)


@bp.get("/admin/moderators")
@admin_required
def moderators():
    """List the accounts."""
    return _moderators_page()


@bp.post("/admin/moderators")
@admin_required
@use_form(ModeratorForm(), refused=lambda posted: _moderators_page(
    PageForms("new-moderator", posted), 422))
def create_moderator(form: dict):
    """Create an account; an email that has one comes back on the form."""
    try:
        created = accounts.create_moderator(form["email"], form["password"], form["role"])
    except Conflict as exc:
        posted = Posted.field_error(request.form.to_dict(), "email", exc.message)
        return _moderators_page(PageForms("new-moderator", posted), exc.status)
    flash(f"Account {created.email} created.", "ok")
    return redirect(url_for("dashboard.moderators"), code=303)


@bp.post("/admin/moderators/<id:moderator_id>")
@admin_required
@use_form(ModeratorUpdateForm(), refused=lambda posted, moderator_id: _moderators_page(
    PageForms(f"moderator-{moderator_id}", posted), 422))
def update_moderator(moderator_id: int, form: dict):
    """Change an account's role or switch it off; locking oneself out comes back on the form."""
    try:
        accounts.update_moderator(moderator_id, role=form["role"], active=form["active"],
                                   acting_id=current_user.id)
    except Conflict as exc:
        posted = Posted.field_error(request.form.to_dict(), "role", exc.message)
        return _moderators_page(PageForms(f"moderator-{moderator_id}", posted), exc.status)
    flash("Account saved.", "ok")
    return redirect(url_for("dashboard.moderators"), code=303)
