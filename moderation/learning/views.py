"""The admins' learning page: calibration with its plot, shadow runs, changes, the CSV."""

from __future__ import annotations

import io

from flask import Response, flash, redirect, render_template, url_for
from flask_login import current_user
from marshmallow import Schema, fields, validate

from moderation.auth import admin_required
from moderation.dashboard import bp
from moderation.dashboard.forms import Form, use_args, use_form
from moderation.errors import ApiError
from moderation.learning import adaptation, calibration, changes, shadow
from moderation.learning.calibration import Targets
from moderation.learning.charts import tradeoff_plot
from moderation.learning.decisions import load_decisions, write_csv
from moderation.sites.lookup import get_site


class TargetsQuery(Schema):
    """The site's targets, as shares between 0 and 1."""

    class Meta:
        unknown = "exclude"

    max_missed = fields.Float(load_default=0.02, validate=validate.Range(0, 1))
    max_review = fields.Float(load_default=0.15, validate=validate.Range(0, 1))


class TargetsForm(Form):
    """Apply a calibration, or start a shadow run of it, for these targets."""

    max_missed = fields.Float(load_default=0.02, validate=validate.Range(0, 1))
    max_review = fields.Float(load_default=0.15, validate=validate.Range(0, 1))


class EmptyForm(Form):
    """A button: only the CSRF token."""


def _back(site_key: str, **targets):
    return redirect(url_for("dashboard.learning", site_key=site_key, **targets), code=303)


@bp.get("/admin/sites/<site_key>/learning")
@admin_required
@use_args(TargetsQuery())
def learning(site_key: str, args: dict):
    """Show what the site's decisions say: proposal, plot, shadow run and change history."""
    site = get_site(site_key)
    targets = Targets(args["max_missed"], args["max_review"])
    result = changes.site_calibration(site_key, targets)
    plot = None
    if not result.refusal:
        plot = tradeoff_plot(result.curve, result.newer["current"], result.newer["proposed"],
                             targets)
    run = shadow.running(site.id)
    return render_template(
        "dashboard/learning.html", site=site, result=result, targets=targets, plot=plot,
        run=run, report=shadow.report(site, run) if run else None,
        history=changes.history(site), rails=calibration,
        site_models=adaptation.recent_models(site), adapt_min=adaptation.MIN_DECISIONS)


@bp.get("/admin/sites/<site_key>/decisions.csv")
@admin_required
def decisions_csv(site_key: str):
    """Download the site's labelled decisions as CSV."""
    buffer = io.StringIO()
    write_csv(load_decisions(get_site(site_key)), buffer)
    return Response(buffer.getvalue(), mimetype="text/csv", headers={
        "Content-Disposition": f"attachment; filename={site_key}-decisions.csv"})


def _flash_errors(action):
    """Run an action, turning a refusal into a message on the page."""
    try:
        return action()
    except ApiError as exc:
        flash(exc.message, "error")
        return None


@bp.post("/admin/sites/<site_key>/learning/apply")
@admin_required
@use_form(TargetsForm())
def learning_apply(site_key: str, form: dict):
    """Write the calibration's proposal to the site's thresholds, audited."""
    targets = Targets(form["max_missed"], form["max_review"])
    change = _flash_errors(lambda: changes.apply_calibration(site_key, targets, current_user))
    if change is not None:
        flash(f"Thresholds calibrated (change {change.id}); roll back at any time.", "ok")
    return _back(site_key, **form)


@bp.post("/admin/sites/<site_key>/learning/rollback")
@admin_required
@use_form(EmptyForm())
def learning_rollback(site_key: str, form: dict):
    """Restore the thresholds from before the latest applied change."""
    if _flash_errors(lambda: changes.rollback(site_key, current_user)) is not None:
        flash("Thresholds rolled back.", "ok")
    return _back(site_key)


@bp.post("/admin/sites/<site_key>/learning/shadow")
@admin_required
@use_form(TargetsForm())
def learning_shadow(site_key: str, form: dict):
    """Run the calibration's proposal in shadow beside the live thresholds."""
    result = changes.site_calibration(site_key, Targets(form["max_missed"], form["max_review"]),
                                      curve=False)
    if result.refusal:
        flash(result.refusal, "error")
    elif _flash_errors(lambda: shadow.start(site_key, result.proposed, current_user,
                                            note="calibration")) is not None:
        flash("Shadow run started: new comments get its decision recorded, never acted on.", "ok")
    return _back(site_key, **form)


@bp.post("/admin/sites/<site_key>/learning/shadow/<id:shadow_id>/<any(promote, discard):action>")
@admin_required
@use_form(EmptyForm())
def learning_shadow_end(site_key: str, shadow_id: int, action: str, form: dict):
    """Promote the shadow policy to the live thresholds, or discard it."""
    ended = _flash_errors(lambda: getattr(shadow, action)(site_key, shadow_id, current_user))
    if ended is not None:
        flash(f"Shadow policy {ended.status}.", "ok")
    return _back(site_key)


@bp.post("/admin/sites/<site_key>/learning/site-model")
@admin_required
@use_form(EmptyForm())
def learning_site_model(site_key: str, form: dict):
    """Train the site's own model; it is used only if it beats the bundled scores."""
    model = _flash_errors(lambda: adaptation.train(site_key, current_user))
    if model is not None:
        flash(f"Site model v{model.version} trained; "
              + ("it is in use." if model.active else "it does not beat the bundled scores."),
              "ok")
    return _back(site_key)


@bp.post("/admin/sites/<site_key>/learning/site-model/shadow")
@admin_required
@use_form(EmptyForm())
def learning_site_model_trial(site_key: str, form: dict):
    """Train the site's own model unused and run it in shadow beside the live policy."""
    model = _flash_errors(lambda: adaptation.train(site_key, current_user, activate=False))
    if model is not None and _flash_errors(
            lambda: shadow.start_model(site_key, model.version, current_user)) is not None:
        flash(f"Site model v{model.version} trained and running in shadow: new comments get "
              "its decision recorded, never acted on.", "ok")
    return _back(site_key)


@bp.post("/admin/sites/<site_key>/learning/site-model/<id:version>/shadow")
@admin_required
@use_form(EmptyForm())
def learning_site_model_shadow(site_key: str, version: int, form: dict):
    """Run one of the site's unused model versions in shadow beside the live policy."""
    if _flash_errors(lambda: shadow.start_model(site_key, version, current_user)) is not None:
        flash(f"Site model v{version} runs in shadow: new comments get its decision recorded, "
              "never acted on.", "ok")
    return _back(site_key)
