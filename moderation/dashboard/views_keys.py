"""Admin pages for a site's keys to the Perspective-compatible endpoint."""

from __future__ import annotations

from flask import flash, redirect, render_template, url_for

from moderation.auth import admin_required
from moderation.dashboard import bp
from moderation.dashboard.forms import ApiKeyForm, use_form
from moderation.dashboard.refusals import NO_FORMS, PageForms
from moderation.perspective import api_keys
from moderation.sites.lookup import get_site


def _render(site_key: str, new_key: str | None = None, status: int = 200,
            forms: PageForms = NO_FORMS):
    """Render the keys page, with a just-created raw key shown this once."""
    site = get_site(site_key)
    return render_template("dashboard/keys.html", site=site, new_key=new_key,
                           keys=api_keys.list_api_keys(site_key), forms=forms), status


@bp.get("/admin/sites/<site_key>/keys")
@admin_required
def keys(site_key: str):
    """List a site's API keys."""
    return _render(site_key)


@bp.post("/admin/sites/<site_key>/keys")
@admin_required
@use_form(ApiKeyForm(), refused=lambda posted, site_key: _render(
    site_key, status=422, forms=PageForms("new-key", posted)))
def create_key(site_key: str, form: dict):
    """Create a key and show it once; only its hash is kept."""
    _, raw = api_keys.create_api_key(site_key, quota=form["quota"], name=form["name"])
    return _render(site_key, new_key=raw, status=201)


@bp.post("/admin/sites/<site_key>/keys/<id:key_id>/revoke")
@admin_required
def revoke_key(site_key: str, key_id: int):
    """Revoke a key; its next request gets 403."""
    revoked = api_keys.revoke_site_key(site_key, key_id)
    flash(f"Key {revoked.prefix}… revoked.", "ok")
    return redirect(url_for("dashboard.keys", site_key=site_key), code=303)
