"""The review queue page and the moderators' actions on comments."""

from __future__ import annotations

from flask import current_app, flash, redirect, render_template, request, url_for
from flask_login import current_user
from sqlalchemy import select

from moderation.dashboard import bp
from moderation.dashboard.forms import (
    ActionForm,
    AuthorForm,
    BulkForm,
    QueueQuery,
    UndoForm,
    use_args,
    use_form,
)
from moderation.dashboard.redirects import safe_dashboard_path
from moderation.dashboard.wording import plural
from moderation.errors import ApiError, NotFound
from moderation.extensions import db
from moderation.models import Site
from moderation.models.types import utcnow
from moderation.scoring.base import LABELS
from moderation.services import actions, bans
from moderation.services.actions import REJECT_REASONS
from moderation.services.author_history import author_key
from moderation.services.bans import BAN_DAYS
from moderation.services.queue import REASONS, TABS, list_queue, tab_counts

# How a reader's report reason reads to a moderator.
FLAG_REASONS = {"abusive": "abusive", "spam": "spam", "off_topic": "off topic",
                "other": "other"}


@bp.get("/")
@use_args(QueueQuery())
def queue(args: dict):
    """Show one page of a queue tab with its filters."""
    filters = {k: args[k] for k in ("site", "article", "label", "reason", "author") if args[k]}
    page = list_queue(args["tab"], filters, sort=args["sort"], cursor=args["cursor"],
                      limit=current_app.config["DASHBOARD_PAGE_SIZE"])
    sites = db.session.scalars(select(Site.key).order_by(Site.key)).all()
    return render_template(
        "dashboard/queue.html", page=page, args=args, filters=filters, tabs=TABS,
        counts=tab_counts(filters), sites=sites, labels=LABELS, reasons=REASONS,
        reject_reasons=REJECT_REASONS, ban_days=BAN_DAYS, author_key=author_key, now=utcnow(),
        flag_reasons=FLAG_REASONS,
        blur_min=current_app.config["DASHBOARD_BLUR_MIN"],
    )


def _run(action: str, comment_id: int, form: dict) -> actions.Outcome:
    """Run one action as the current moderator."""
    if action not in actions.ACTIONS:
        raise NotFound(f"No action '{action}'.", code="not_found")
    moderator, version = current_user._get_current_object(), form["version"]
    if action == "reject":
        return actions.reject(comment_id, moderator, reason=form["reason"], note=form["note"],
                              version=version)
    if action == "ban":
        return bans.ban_author(comment_id, moderator, days=BAN_DAYS[form["days"]],
                                  match=form["match"], note=form["note"], version=version)
    return getattr(actions, action)(comment_id, moderator, version=version)


def _back(target: str | None) -> str:
    """Return the queue URL the form came from, never another site."""
    return safe_dashboard_path(target) or url_for("dashboard.queue")


@bp.post("/comments/<id:comment_id>/<action>")
@use_form(ActionForm())
def act(comment_id: int, action: str, form: dict):
    """Apply an action from a plain form post, then go back to the queue with a message."""
    try:
        outcome = _run(action, comment_id, form)
        flash(f"Comment {comment_id}: {outcome.message}", "ok")
    except ApiError as exc:
        if exc.status >= 500 or exc.status == 404:
            raise
        flash(exc.message, "error")
    return redirect(_back(form["back"]), code=303)


@bp.post("/api/comments/<id:comment_id>/<action>")
@use_form(ActionForm())
def act_json(comment_id: int, action: str, form: dict):
    """Apply an action for the keyboard script; errors use the JSON error shape."""
    outcome = _run(action, comment_id, form)
    return {"id": outcome.comment_id, "status": outcome.status.value,
            "version": outcome.version, "message": outcome.message}


@bp.post("/undo")
@use_form(UndoForm())
def undo_last(form: dict):
    """Undo the current moderator's latest decision from the toolbar, then go back."""
    try:
        outcome = actions.undo_last(current_user._get_current_object())
        flash(f"Comment {outcome.comment_id}: {outcome.message}", "ok")
    except ApiError as exc:
        if exc.status >= 500:
            raise
        flash(exc.message, "error")
    return redirect(_back(form["back"]), code=303)


@bp.post("/api/undo")
def undo_last_json():
    """Undo the current moderator's latest decision for the keyboard script."""
    outcome = actions.undo_last(current_user._get_current_object())
    return {"id": outcome.comment_id, "status": outcome.status.value,
            "version": outcome.version, "message": outcome.message}


@bp.post("/bulk")
@use_form(BulkForm())
def bulk(form: dict):
    """Approve or reject the selected comments; stale ones are skipped and named."""
    items = [tuple(int(part) for part in item.split(":")) for item in form["items"]]
    done, skipped = actions.bulk(items, form["action"], current_user._get_current_object(),
                                 reason=form["reason"])
    verb = "approved" if form["action"] == "approve" else "rejected"
    flash(f"{plural(done, 'comment')} {verb}.", "ok")
    for message in skipped:
        flash(message, "error")
    return redirect(_back(form["back"]), code=303)


@bp.post("/comments/<id:comment_id>/reject-author-pending")
@use_form(AuthorForm())
def reject_author_pending(comment_id: int, form: dict):
    """Reject every pending comment by this comment's author on its site."""
    count = bans.reject_pending_from_author(
        comment_id, current_user._get_current_object(), reason=form["reason"])
    flash(f"{plural(count, 'pending comment')} from this author rejected.", "ok")
    return redirect(_back(form["back"]), code=303)


@bp.app_template_filter("waited")
def waited(seconds: float) -> str:
    """Return a wait as '3 min', '5 h' or '2 d'."""
    if seconds < 3600:
        return f"{max(0, int(seconds // 60))} min"
    if seconds < 86400:
        return f"{int(seconds // 3600)} h"
    return f"{int(seconds // 86400)} d"


@bp.context_processor
def request_path():
    """Give templates the current path for 'back' links."""
    return {"current_path": request.full_path.rstrip("?")}
