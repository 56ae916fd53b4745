"""Admin pages for a site's readers: SSO, anonymous posting, webhooks, privacy requests."""

from __future__ import annotations

import json

from flask import Response, flash, redirect, render_template, url_for
from flask_login import current_user

from moderation.accounts import privacy
from moderation.accounts.secrets import live_secrets, revoke_secrets, rotate_secret
from moderation.auth import admin_required
from moderation.dashboard import bp
from moderation.dashboard.forms import use_form
from moderation.dashboard.reader_forms import PrivacyForm, ReaderSettingsForm, WebhookForm
from moderation.extensions import db
from moderation.models import ActorType
from moderation.models.webhook import EVENT_TYPES
from moderation.sites.lookup import get_site
from moderation.webhooks import endpoints


def _render(site_key: str, *, new_secret: str | None = None, secret_for: str | None = None,
            status: int = 200):
    """Render the readers page, with a just-made secret shown this once."""
    site = get_site(site_key)
    return render_template(
        "dashboard/readers.html", site=site, secrets=live_secrets(site),
        webhooks=endpoints.list_endpoints(site), deliveries=endpoints.recent_deliveries(site),
        event_types=EVENT_TYPES, new_secret=new_secret, secret_for=secret_for), status


@bp.get("/admin/sites/<site_key>/readers")
@admin_required
def readers(site_key: str):
    """Show a site's sign-in, reader settings and webhooks."""
    return _render(site_key)


@bp.post("/admin/sites/<site_key>/readers")
@admin_required
@use_form(ReaderSettingsForm())
def update_readers(site_key: str, form: dict):
    """Save anonymous posting, replay protection, the erasure choice and the nudge."""
    site = get_site(site_key)
    site.allow_anonymous = form["allow_anonymous"]
    site.sso_replay_protection = form["sso_replay_protection"]
    site.nudge_authors = form["nudge_authors"]
    site.erase_mode = form["erase_mode"]
    db.session.commit()
    flash("Reader settings saved.", "ok")
    return redirect(url_for("dashboard.readers", site_key=site_key), code=303)


@bp.post("/admin/sites/<site_key>/sso-secret")
@admin_required
def rotate_sso_secret(site_key: str):
    """Create a new SSO secret, shown once; the old one verifies until the overlap ends."""
    return _render(site_key, new_secret=rotate_secret(get_site(site_key)), secret_for="sso",
                   status=201)


@bp.post("/admin/sites/<site_key>/sso-secret/revoke")
@admin_required
def revoke_sso_secrets(site_key: str):
    """Stop every SSO secret of the site now."""
    revoke_secrets(get_site(site_key))
    flash("Every sign-in secret of this site is revoked.", "ok")
    return redirect(url_for("dashboard.readers", site_key=site_key), code=303)


@bp.post("/admin/sites/<site_key>/webhooks")
@admin_required
@use_form(WebhookForm())
def create_webhook(site_key: str, form: dict):
    """Register an endpoint and show its signing secret once."""
    endpoint, secret = endpoints.create_endpoint(get_site(site_key), form["url"], form["events"])
    return _render(site_key, new_secret=secret, secret_for=endpoint.url, status=201)


@bp.post("/admin/sites/<site_key>/webhooks/<id:endpoint_id>/rotate")
@admin_required
def rotate_webhook_secret(site_key: str, endpoint_id: int):
    """Give an endpoint a new secret; both sign during the overlap."""
    site = get_site(site_key)
    secret = endpoints.rotate_endpoint_secret(site, endpoint_id)
    url = endpoints.get_endpoint(site, endpoint_id).url
    return _render(site_key, new_secret=secret, secret_for=url, status=201)


@bp.post("/admin/sites/<site_key>/webhooks/<id:endpoint_id>/delete")
@admin_required
def delete_webhook(site_key: str, endpoint_id: int):
    """Remove an endpoint and its log."""
    endpoints.delete_endpoint(get_site(site_key), endpoint_id)
    flash("Webhook endpoint removed.", "ok")
    return redirect(url_for("dashboard.readers", site_key=site_key), code=303)


@bp.get("/admin/privacy")
@admin_required
def privacy_page():
    """Show the form for a reader's privacy request."""
    return render_template("dashboard/privacy.html")


@bp.post("/admin/privacy")
@admin_required
@use_form(PrivacyForm())
def privacy_request(form: dict):
    """Download a reader's data as JSON, or erase it once the box is ticked."""
    site = get_site(form["site"]) if form["site"] else None
    accounts, email_h = privacy.find_person(email=form["email"], site=site)
    if form["action"] == "export":
        data = privacy.export_person(accounts, email_h, site)
        return Response(json.dumps(data, indent=2), mimetype="application/json", headers={
            "Content-Disposition": 'attachment; filename="reader-data.json"'})
    if not form["confirm"]:
        flash("Tick the box to confirm the erasure; nothing was erased.", "error")
        return render_template("dashboard/privacy.html", email=form["email"]), 422
    counts = privacy.erase_person(accounts, email_h, site, actor=ActorType.moderator,
                                  moderator_id=current_user.id)
    flash(f"Erased {counts['comments']} comments, {counts['subscriptions']} subscriptions and "
          f"{counts['accounts']} accounts of that address.", "ok")
    return redirect(url_for("dashboard.privacy_page"), code=303)
