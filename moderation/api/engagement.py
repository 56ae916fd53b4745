"""Endpoints for likes, reader reports and the most-discussed articles of a site."""

from __future__ import annotations

from flask import current_app

from moderation.accounts.session import current_reader, reader_key
from moderation.api import bp
from moderation.api.boundary import check_keys, use_body, use_query
from moderation.api.caching import cached_json
from moderation.api.engagement_schemas import FlagIn, MostDiscussedQuery
from moderation.api.responses import Error, Likes, MostDiscussed, Reported
from moderation.clients import client_address
from moderation.extensions import limiter
from moderation.openapi.registry import describe
from moderation.readers import engagement
from moderation.readers.most_discussed import most_discussed
from moderation.sites.lookup import get_site


def _like_limit() -> str:
    return current_app.config["LIKE_RATE_LIMIT"]


def _flag_limit() -> str:
    return current_app.config["FLAG_RATE_LIMIT"]


@bp.post("/sites/<site>/comments/<id:comment_id>/like")
@limiter.shared_limit(_like_limit, scope="like-client", key_func=client_address)
@describe(tags=["engagement"], rate_limited=True, responses={200: Likes})
def like_comment(site: str, comment_id: int):
    """Like a published comment once per reader; return its like count."""
    check_keys(site)
    site_obj = get_site(site)
    return engagement.like_comment(site_obj, comment_id, reader_key(current_reader(site_obj)))


@bp.delete("/sites/<site>/comments/<id:comment_id>/like")
@limiter.shared_limit(_like_limit, scope="like-client", key_func=client_address)
@describe(tags=["engagement"], rate_limited=True, responses={200: Likes})
def unlike_comment(site: str, comment_id: int):
    """Withdraw this reader's like; return the like count."""
    check_keys(site)
    site_obj = get_site(site)
    return engagement.unlike_comment(site_obj, comment_id, reader_key(current_reader(site_obj)))


@bp.post("/sites/<site>/comments/<id:comment_id>/flags")
@limiter.limit(_flag_limit, key_func=client_address, scope="flag-client")
@use_body(FlagIn())
@describe(tags=["engagement"], rate_limited=True, responses={201: Reported, 409: Error})
def flag_comment(site: str, comment_id: int, data: dict):
    """Report a published comment to the site's moderators."""
    check_keys(site)
    site_obj = get_site(site)
    result = engagement.flag_comment(site_obj, comment_id, reader_key(current_reader(site_obj)),
                                     data["reason"], data["note"])
    result["message"] = "Thank you; the moderators will look at this comment."
    return result, 201


@bp.get("/sites/<site>/most-discussed")
@use_query(MostDiscussedQuery())
@describe(tags=["engagement"], responses={
    200: MostDiscussed, 304: "Not modified: the client's copy (If-None-Match) is current.",
})
def get_most_discussed(site: str, query: dict):
    """Return the articles with the most published comments in the last hours."""
    check_keys(site)
    articles = most_discussed(get_site(site), hours=query["hours"], limit=query["limit"])
    return cached_json({"hours": query["hours"], "articles": articles},
                       cache_control_key="MOST_DISCUSSED_CACHE_CONTROL")
