"""Logging in and out, and a moderator's own settings."""

from __future__ import annotations

from flask import current_app, flash, redirect, render_template, request, url_for
from flask_login import current_user

from moderation.auth import authenticate, end_session, start_session
from moderation.clients import client_address, hash_value
from moderation.dashboard import bp
from moderation.dashboard.accounts import set_blur
from moderation.dashboard.forms import LoginForm, SettingsForm, use_form
from moderation.extensions import limiter


def _login_limit() -> str:
    return current_app.config["LOGIN_RATE_LIMIT"]


def _login_email_key() -> str:
    # Keyed on the account too, so spreading guesses over many addresses does not help.
    email = (request.form.get("email") or "").strip().lower()
    return "login-email:" + hash_value(email, "login")


def _safe_next(target: str | None) -> str:
    """Return a same-site dashboard path to go to after login, never another host."""
    if target and target.startswith("/dashboard") and "//" not in target and "\\" not in target:
        return target
    return url_for("dashboard.queue")


@bp.get("/login")
def login():
    """Show the login form."""
    if current_user.is_authenticated:
        return redirect(url_for("dashboard.queue"))
    return render_template("dashboard/login.html", next=request.args.get("next", ""))


@bp.post("/login")
@limiter.limit(_login_limit, key_func=client_address, scope="login-client")
@limiter.limit(_login_limit, key_func=_login_email_key, scope="login-email")
@use_form(LoginForm())
def login_post(form: dict):
    """Check the password and start a session."""
    moderator = authenticate(form["email"], form["password"])
    if moderator is None:
        flash("That email and password do not match an active account.", "error")
        return render_template("dashboard/login.html", next=form["next"] or "",
                               email=form["email"]), 401
    start_session(moderator)
    return redirect(_safe_next(form["next"]), code=303)


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
