"""Endpoints for reading and posting comments on an article."""

from __future__ import annotations

from flask import current_app, request

from moderation.accounts.session import current_reader
from moderation.api import bp
from moderation.api.boundary import check_keys, use_body, use_query
from moderation.api.caching import cached_json, etag_of, not_modified, public_answer
from moderation.api.responses import Error, NudgedDraft, PostedComment, Thread
from moderation.api.schemas import AnonymousCommentIn, CommentIn, ThreadQuery
from moderation.clients import client_address, client_hash
from moderation.extensions import limiter
from moderation.openapi.registry import describe
from moderation.ratelimits import unlimited
from moderation.readers.generations import article_name, site_name
from moderation.readers.nudges import MESSAGE as NUDGE_MESSAGE
from moderation.readers.nudges import Nudged
from moderation.readers.threads import list_thread, public_comment, thread_version
from moderation.readers.tokens import issue_token
from moderation.services.comments import PUBLIC_STATES, submit_comment
from moderation.sites.kept import site_for_post


def _comment_link(operation: str, with_token: bool = False) -> dict:
    parameters = {"site": "$request.path.site", "comment_id": "$response.body#/id"}
    if with_token:
        parameters["header.X-Edit-Token"] = "$response.body#/edit_token"
    return {"operationId": operation, "parameters": parameters}


# What a client does next with a comment it posted: the operations its id (and token) open.
COMMENT_LINKS = {
    "reply": {"operationId": "api.create_comment",
              "parameters": {"site": "$request.path.site", "article": "$request.path.article"},
              "requestBody": {"author_name": "Bo", "body": "A reply.",
                              "parent_id": "$response.body#/id"}},
    "state": _comment_link("api.comment_state"),
    "like": _comment_link("api.like_comment"),
    "unlike": _comment_link("api.unlike_comment"),
    "flag": _comment_link("api.flag_comment"),
    "edit": _comment_link("api.edit_own_comment", with_token=True),
    "delete": _comment_link("api.delete_own_comment", with_token=True),
}


def _client_limit() -> str:
    return current_app.config["COMMENT_RATE_LIMIT_CLIENT"]


def _site_limit() -> str:
    return current_app.config["COMMENT_RATE_LIMIT_SITE"]


def _site_key() -> str:
    return "site:" + (request.view_args or {}).get("site", "")


@bp.post("/sites/<site>/articles/<path:article>/comments")
@limiter.limit(_client_limit, key_func=client_address, scope="comment-client")
@limiter.limit(_site_limit, key_func=_site_key, scope="comment-site")
@use_body(CommentIn(), documented=AnonymousCommentIn())
@describe(tags=["comments"], rate_limited=True, responses={
    200: NudgedDraft, 201: PostedComment, 202: PostedComment, 403: Error, 409: Error,
}, links={201: COMMENT_LINKS, 202: COMMENT_LINKS})
def create_comment(site: str, article: str, data: dict):
    """Post a comment; it comes back published, pending or rejected (or, asked, a nudge)."""
    check_keys(site, article)
    site_obj = site_for_post(site)
    reader = current_reader(site_obj)
    comment = submit_comment(site_obj, article, data, client_h=client_hash(), reader=reader)
    if isinstance(comment, Nudged):
        return {"state": "nudge", "message": NUDGE_MESSAGE, "nudge_token": comment.token,
                "nudge_seconds": comment.seconds}, 200
    state, message = PUBLIC_STATES[comment.status]
    body = public_comment(comment)
    body.update({"state": state, "message": message})
    # Lets the author edit or delete the comment for a few minutes without an account.
    body["edit_token"] = issue_token(comment.id)
    body["edit_seconds"] = current_app.config["READER_EDIT_SECONDS"]
    status = 202 if comment.reason == "awaiting_score" else 201
    return body, status


@bp.get("/sites/<site>/articles/<path:article>/comments")
@unlimited(limiter)
@public_answer(lambda site, article: (site_name(site), article_name(site, article)))
@use_query(ThreadQuery())
@describe(tags=["comments"], responses={
    200: Thread, 304: "Not modified: the client's copy (If-None-Match) is current.", 400: Error,
})
def list_comments(site: str, article: str, query: dict):
    """Return a page of the article's published comments, replies nested."""
    check_keys(site, article)
    site_id, version = thread_version(site, article)
    config = current_app.config
    limit = min(query["limit"] or config["THREAD_PAGE_SIZE"], config["THREAD_PAGE_SIZE_MAX"])
    # The revision moves on every reader-visible change, so the page needs no rebuild
    # to answer a client that already holds it.
    # The creation time tells a recreated article (SQLite reuses ids) from the old one.
    etag_version = ((version.id, version.created_at, version.revision, version.is_closed)
                    if version else None)
    etag = etag_of("thread", site_id, article, etag_version, query["sort"], query["cursor"],
                   limit)
    unchanged = not_modified(etag)
    if unchanged is not None:
        return unchanged
    thread = list_thread(version, sort=query["sort"], cursor=query["cursor"], limit=limit)
    return cached_json(thread, etag)
