"""Marshmallow schemas for the dashboard's forms, query strings and AJAX bodies."""

from __future__ import annotations

import functools

from flask import current_app, request
from marshmallow import EXCLUDE, RAISE, Schema, ValidationError, fields, pre_load, validate

from moderation.api.boundary import json_object
from moderation.dashboard.refusals import Posted
from moderation.dashboard.threshold_forms import ThresholdsMixin
from moderation.errors import ApiError
from moderation.models import Role, WordKind
from moderation.perspective.api_keys import check_quota
from moderation.scoring.base import LABELS
from moderation.scoring.ngrams import scored_languages
from moderation.services.actions import REJECT_REASONS
from moderation.services.bans import BAN_DAYS
from moderation.services.queue import REASONS, TABS

MAX_ID = 2**63 - 1
# Fields posted as several values of one name (checkboxes, bulk selections).
LIST_FIELDS = ("items", "events")


class Form(Schema):
    """A posted form: the CSRF token is checked by Flask-WTF and dropped here."""

    class Meta:
        unknown = RAISE

    @pre_load
    def drop_token(self, data, **kwargs):
        """Remove the CSRF token and blank optional fields before loading."""
        return {k: v for k, v in data.items() if k != "csrf_token" and v != ""}


class LoginForm(Form):
    """Email and password."""

    email = fields.String(required=True, validate=validate.Length(min=3, max=320))
    password = fields.String(required=True, validate=validate.Length(min=1, max=500))
    next = fields.String(load_default=None)


class QueueQuery(Schema):
    """The queue's tab, filters, sort and page position."""

    class Meta:
        unknown = EXCLUDE

    tab = fields.String(load_default="pending", validate=validate.OneOf(list(TABS)))
    site = fields.String(load_default=None, validate=validate.Length(max=64))
    article = fields.String(load_default=None, validate=validate.Length(max=200))
    label = fields.String(load_default=None, validate=validate.OneOf(LABELS))
    reason = fields.String(load_default=None, validate=validate.OneOf(REASONS))
    author = fields.String(load_default=None, validate=validate.Length(max=320))
    sort = fields.String(load_default="age", validate=validate.OneOf(["age", "risk"]))
    cursor = fields.String(load_default=None, validate=validate.Length(max=500))

    @pre_load
    def blanks_are_absent(self, data, **kwargs):
        """Treat empty filter boxes as no filter."""
        return {k: v for k, v in data.items() if v != ""}


class ActionForm(Form):
    """One decision on one comment, carrying the version the moderator saw."""

    version = fields.Integer(required=True, validate=validate.Range(min=1))
    reason = fields.String(load_default="abusive", validate=validate.OneOf(list(REJECT_REASONS)))
    note = fields.String(load_default=None, validate=validate.Length(max=1000))
    days = fields.String(load_default="forever", validate=validate.OneOf(list(BAN_DAYS)))
    match = fields.String(load_default="both",
                          validate=validate.OneOf(["account", "email", "client", "both"]))
    back = fields.String(load_default=None)


class UndoForm(Form):
    """Undo the moderator's latest decision; only where to go back to."""

    back = fields.String(load_default=None)


class BulkForm(Form):
    """Several comments, each as 'id:version', and what to do with them."""

    items = fields.List(fields.String(validate=validate.Regexp(r"^[1-9][0-9]{0,18}:[1-9][0-9]*$")),
                        required=True, validate=validate.Length(min=1, max=200))
    action = fields.String(required=True, validate=validate.OneOf(["approve", "reject"]))
    reason = fields.String(load_default="abusive", validate=validate.OneOf(list(REJECT_REASONS)))
    back = fields.String(load_default=None)


class AuthorForm(Form):
    """Reject everything pending from the author of a comment."""

    reason = fields.String(load_default="abusive", validate=validate.OneOf(list(REJECT_REASONS)))
    back = fields.String(load_default=None)


class WordsForm(Form):
    """Words to add to one of a site's lists."""

    kind = fields.Enum(WordKind, by_value=True, required=True)
    words = fields.String(required=True, validate=validate.Length(min=1, max=20000))


class PreviewForm(ThresholdsMixin, Form):
    """Proposed thresholds to preview; the rest of the settings form is ignored."""

    class Meta:
        unknown = EXCLUDE


class NewSiteForm(Form):
    """A new site's key and display name."""

    key = fields.String(required=True, validate=validate.Regexp(
        r"^[A-Za-z0-9][A-Za-z0-9._-]{0,63}$", error="Use letters, digits, dots, dashes."))
    name = fields.String(load_default=None, validate=validate.Length(max=200))


class SiteForm(ThresholdsMixin, Form):
    """A site's editable settings; unchecked boxes are absent, so they default to off."""

    name = fields.String(required=True, validate=validate.Length(min=1, max=200))
    allowed_origins = fields.Method(deserialize="split_origins", load_default=list)
    premoderate = fields.Boolean(load_default=False)
    language_check = fields.Boolean(load_default=False)
    auto_languages = fields.Method(deserialize="split_languages", load_default=list)
    flag_threshold = fields.Integer(load_default=3, validate=validate.Range(min=1, max=1000))

    def split_languages(self, value: str) -> list[str]:
        """Return the comma-separated language codes, each one a shipped model scores."""
        codes = [code.strip().lower() for code in value.split(",") if code.strip()]
        unknown = sorted(set(codes) - scored_languages())
        if unknown:
            raise ValidationError(f"No shipped model scores {', '.join(unknown)}; choose from "
                                  f"{', '.join(sorted(scored_languages())) or 'none'}.")
        return sorted(set(codes))

    def split_origins(self, value: str) -> list[str]:
        """Return one origin per line, each an http(s) scheme and host."""
        origins = [line.strip().rstrip("/") for line in value.splitlines() if line.strip()]
        for origin in origins:
            if not origin.startswith(("http://", "https://")) or " " in origin:
                raise ValidationError(f"{origin!r} is not an origin like https://news.example")
        return origins


class ArticleForm(Form):
    """An article's switches."""

    is_closed = fields.Boolean(load_default=False)
    premoderate = fields.Boolean(load_default=False)


def valid_quota(value: str) -> None:
    """Refuse a quota that Flask-Limiter cannot read."""
    try:
        check_quota(value)
    except ApiError as exc:
        raise ValidationError(exc.message) from exc


class ApiKeyForm(Form):
    """A new key for the Perspective-compatible endpoint."""

    name = fields.String(load_default=None, validate=validate.Length(max=200))
    quota = fields.String(load_default="1/second",
                          validate=[validate.Length(min=3, max=50), valid_quota])


class ModeratorForm(Form):
    """A new account."""

    email = fields.Email(required=True, validate=validate.Length(max=320))
    password = fields.String(required=True, validate=validate.Length(min=10, max=500))
    role = fields.Enum(Role, by_value=True, load_default=Role.moderator)


class ModeratorUpdateForm(Form):
    """An account's role and whether it may log in."""

    role = fields.Enum(Role, by_value=True, required=True)
    active = fields.Boolean(load_default=False)


class SettingsForm(Form):
    """A moderator's own preferences."""

    blur_severe = fields.Boolean(load_default=False)


class StatsQuery(Schema):
    """Which site and how many days of statistics."""

    class Meta:
        unknown = EXCLUDE

    site = fields.String(load_default=None, validate=validate.Length(max=64))
    days = fields.Integer(load_default=lambda: current_app.config["STATS_DAYS"],
                          validate=validate.Range(min=1, max=366))

    @pre_load
    def blanks_are_absent(self, data, **kwargs):
        """Treat an empty site box as all sites."""
        return {k: v for k, v in data.items() if v != ""}


def use_form(schema: Schema, refused=None):
    """Load the posted form (or JSON body from the keyboard script) and pass it as ``form``.

    With ``refused``, an invalid HTML form is not an error page: ``refused(posted, **kwargs)``
    renders the form again with what was typed and a message on each invalid field.
    """

    def decorator(view):
        @functools.wraps(view)
        def wrapper(*args, **kwargs):
            if request.is_json:
                raw = json_object()
            else:
                raw = {k: (request.form.getlist(k) if k in LIST_FIELDS else request.form[k])
                       for k in request.form}
            try:
                form = schema.load(raw)
            except ValidationError as exc:
                if refused is None or request.is_json:
                    raise
                return refused(Posted(raw, exc.normalized_messages()), *args, **kwargs)
            return view(*args, form=form, **kwargs)

        return wrapper

    return decorator


def use_args(schema: Schema):
    """Load the query string and pass it as ``args``."""

    def decorator(view):
        @functools.wraps(view)
        def wrapper(*args, **kwargs):
            return view(*args, args=schema.load(request.args.to_dict()), **kwargs)

        return wrapper

    return decorator
