"""Endpoints for a site's signed-in readers: sign in with the site's token, their own data."""

from __future__ import annotations

from flask import current_app
from marshmallow import RAISE, Schema, fields, validate

from moderation.accounts import privacy
from moderation.accounts.session import current_reader, issue_reader_token
from moderation.accounts.sso import sign_in
from moderation.api import bp
from moderation.api.boundary import check_keys, use_body
from moderation.api.responses import Error
from moderation.clients import client_address
from moderation.errors import ApiError
from moderation.extensions import limiter
from moderation.openapi.registry import describe
from moderation.sites.lookup import get_site

NO_STORE = {"Cache-Control": "no-store"}
# The reader token from /sso, sent as "Authorization: Bearer <token>".
READER = [{"readerToken": []}]


class AccountOut(Schema):
    """A signed-in reader as the service knows them."""

    id = fields.String(required=True)
    username = fields.String(allow_none=True)
    email_known = fields.Boolean(required=True)


class MyAccount(Schema):
    """The signed-in reader's account."""

    reader = fields.Nested(AccountOut, required=True)


class SignedIn(MyAccount):
    """A reader token for the reader the site's token named."""

    reader_token = fields.String(required=True)
    expires_in = fields.Integer(required=True)


class Erased(Schema):
    """What erasing a reader removed, and what became of their comments."""

    erased = fields.Dict(keys=fields.String(), values=fields.Integer(), required=True)
    comments = fields.String(required=True)


class SsoIn(Schema):
    """The JWT the site signed for its reader."""

    class Meta:
        unknown = RAISE

    token = fields.String(required=True, validate=validate.Length(min=1, max=8192))


def _sso_limit() -> str:
    return current_app.config["SSO_RATE_LIMIT"]


def _signed_in(site_key: str):
    check_keys(site_key)
    site = get_site(site_key)
    reader = current_reader(site)
    if reader is None:
        raise ApiError("Sign in on the site first.", status=401, code="sign_in_required")
    return site, reader


def _account(reader) -> dict:
    return {"id": reader.external_id, "username": reader.username,
            "email_known": reader.email_encrypted is not None}


@bp.post("/sites/<site>/sso")
@limiter.limit(_sso_limit, key_func=client_address, scope="sso-client")
@use_body(SsoIn())
@describe(tags=["readers"], rate_limited=True, responses={
    200: SignedIn, 401: Error})
def sso_sign_in(site: str, data: dict):
    """Exchange the site's signed token for a reader token of this service."""
    check_keys(site)
    reader = sign_in(get_site(site), data["token"])
    return {"reader": _account(reader), "reader_token": issue_reader_token(reader),
            "expires_in": current_app.config["READER_SESSION_SECONDS"]}, 200, NO_STORE


@bp.get("/sites/<site>/me")
@describe(tags=["readers"], security=READER, responses={200: MyAccount, 401: Error})
def my_account(site: str):
    """Return the signed-in reader's account."""
    _site, reader = _signed_in(site)
    return {"reader": _account(reader)}, 200, NO_STORE


@bp.get("/sites/<site>/me/export")
@describe(tags=["readers"], security=READER, responses={
    200: "Everything kept about the reader on this site (JSON attachment).",
    401: Error})
def export_my_data(site: str):
    """Download everything kept about the signed-in reader on this site, as JSON."""
    site_obj, reader = _signed_in(site)
    data = privacy.export_person([reader], reader.email_hash, site_obj)
    headers = {**NO_STORE,
               "Content-Disposition": f'attachment; filename="comments-{site_obj.key}.json"'}
    return data, 200, headers


@bp.delete("/sites/<site>/me")
@describe(tags=["readers"], security=READER, responses={200: Erased, 401: Error})
def erase_my_account(site: str):
    """Erase the signed-in reader: account, subscriptions, address; comments as the site says."""
    site_obj, reader = _signed_in(site)
    counts = privacy.erase_person([reader], reader.email_hash, site_obj)
    return {"erased": counts, "comments": site_obj.erase_mode}, 200, NO_STORE
