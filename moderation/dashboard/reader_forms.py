"""Marshmallow schemas for the dashboard's reader pages: SSO, webhooks, privacy requests."""

from __future__ import annotations

from marshmallow import ValidationError, fields, validate

from moderation.dashboard.forms import Form
from moderation.models.webhook import EVENT_TYPES


class ReaderSettingsForm(Form):
    """A site's reader switches; unchecked boxes are absent, so they default to off."""

    allow_anonymous = fields.Boolean(load_default=False)
    sso_replay_protection = fields.Boolean(load_default=False)
    nudge_authors = fields.Boolean(load_default=False)
    erase_mode = fields.String(required=True, validate=validate.OneOf(["anonymise", "remove"]))


def _http_url(value: str) -> None:
    if not value.startswith(("https://", "http://")) or " " in value:
        raise ValidationError("Give an http(s) URL, like https://news.example/hooks/comments.")


class WebhookForm(Form):
    """A new endpoint and the events it hears."""

    url = fields.String(required=True, validate=[validate.Length(min=8, max=2000), _http_url])
    events = fields.List(fields.String(validate=validate.OneOf(EVENT_TYPES)), required=True,
                         validate=validate.Length(min=1))


class PrivacyForm(Form):
    """An admin's privacy request for one address."""

    email = fields.Email(required=True, validate=validate.Length(max=320))
    site = fields.String(load_default=None, validate=validate.Length(max=64))
    action = fields.String(required=True, validate=validate.OneOf(["export", "erase"]))
    confirm = fields.Boolean(load_default=False)
