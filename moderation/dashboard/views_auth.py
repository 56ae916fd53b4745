"""Logging in and out, and a moderator's own settings."""

from __future__ import annotations

from flask import current_app, flash, make_response, redirect, render_template, request, url_for
from flask_login import current_user

from moderation.auth import authenticate, end_session, start_session
from moderation.clients import client_address
from moderation.dashboard import bp, lockout
from moderation.dashboard.accounts import set_blur
from moderation.dashboard.forms import LoginForm, SettingsForm, use_form
from moderation.dashboard.redirects import safe_dashboard_path
from moderation.extensions import limiter


def _login_limit() -> str:
    return current_app.config["LOGIN_RATE_LIMIT"]


def _safe_next(target: str | None) -> str:
    """Return a same-site dashboard path to go to after login, never another host."""
    return safe_dashboard_path(target) or url_for("dashboard.queue")


@bp.get("/login")
def login():
    """Show the login form."""
    if current_user.is_authenticated:
        return redirect(url_for("dashboard.queue"))
    return render_template("dashboard/login.html", next=request.args.get("next", ""))


@bp.post("/login")
@limiter.limit(_login_limit, key_func=client_address, scope="login-client")
@use_form(LoginForm())
def login_post(form: dict):
    """Check the password and start a session; an account under attack slows strangers only."""
    email, known = form["email"], lockout.is_known_device(form["email"])
    wait = 0 if known else lockout.seconds_to_wait(email)
    if wait:
        flash(f"Too many failed attempts on this account; try again in {wait} seconds.",
              "error")
        page = render_template("dashboard/login.html", next=form["next"] or "", email=email)
        return page, 429, {"Retry-After": str(wait)}
    moderator = authenticate(email, form["password"])
    if moderator is None:
        lockout.record_failure(email)
        flash("That email and password do not match an active account.", "error")
        return render_template("dashboard/login.html", next=form["next"] or "",
                               email=email), 401
    lockout.clear_failures(email)
    start_session(moderator)
    return lockout.remember_device(make_response(redirect(_safe_next(form["next"]), code=303)),
                                   email)


@bp.post("/logout")
def logout():
    """End the session, on the server too: a copy of the cookie no longer works."""
    end_session()
    return redirect(url_for("dashboard.login"), code=303)


@bp.post("/settings")
@use_form(SettingsForm())
def settings(form: dict):
    """Save the moderator's wellbeing setting."""
    set_blur(current_user, form["blur_severe"])
    flash("Severe items will be blurred." if form["blur_severe"] else "Blurring is off.", "ok")
    return redirect(url_for("dashboard.queue"), code=303)
