"""Endpoints for a reader's own comment: its public state, edits and deletion."""

from __future__ import annotations

from flask import current_app, request

from moderation.api import bp
from moderation.api.boundary import check_keys, use_body
from moderation.api.engagement_schemas import EditIn
from moderation.api.responses import CommentState, EditedComment, Error
from moderation.clients import client_address
from moderation.errors import NotFound
from moderation.extensions import limiter
from moderation.models import CommentStatus
from moderation.openapi.registry import describe
from moderation.readers.edits import delete_comment, edit_comment
from moderation.readers.engagement import get_site_comment
from moderation.readers.threads import public_comment
from moderation.readers.tokens import check_token
from moderation.services.comments import PUBLIC_STATES
from moderation.sites.lookup import get_site

TOKEN_HEADER = "X-Edit-Token"
_TOKEN_PARAMETER = {"name": TOKEN_HEADER, "in": "header", "required": True,
                    "description": "The edit_token returned when the comment was posted.",
                    "schema": {"type": "string", "maxLength": 500}}


def _edit_limit() -> str:
    return current_app.config["EDIT_RATE_LIMIT"]


@bp.get("/sites/<site>/comments/<id:comment_id>/state")
@describe(tags=["comments"], responses={200: CommentState})
def comment_state(site: str, comment_id: int):
    """Return only the public state of a comment, for widgets waiting on a decision."""
    check_keys(site)
    comment = get_site_comment(get_site(site), comment_id, published=False)
    if comment.status is CommentStatus.deleted:
        # Gone for readers, like any other read of a deleted resource.
        raise NotFound("No such comment.", code="comment_not_found")
    state, message = PUBLIC_STATES[comment.status]
    response = {"id": comment.id, "state": state, "message": message}
    return response, 200, {"Cache-Control": "no-store"}


@bp.patch("/sites/<site>/comments/<id:comment_id>")
@limiter.shared_limit(_edit_limit, scope="edit-client", key_func=client_address)
@use_body(EditIn())
@describe(tags=["comments"], rate_limited=True, parameters=[_TOKEN_PARAMETER],
          responses={200: EditedComment, 403: Error, 409: Error})
def edit_own_comment(site: str, comment_id: int, data: dict):
    """Change the body of one's own comment within the edit window; it is moderated again."""
    check_keys(site)
    check_token(request.headers.get(TOKEN_HEADER), comment_id)
    comment = edit_comment(get_site(site), comment_id, data["body"])
    state, message = PUBLIC_STATES[comment.status]
    body = public_comment(comment)
    body.update({"state": state, "message": message})
    return body


@bp.delete("/sites/<site>/comments/<id:comment_id>")
@limiter.shared_limit(_edit_limit, scope="edit-client", key_func=client_address)
@describe(tags=["comments"], rate_limited=True, parameters=[_TOKEN_PARAMETER],
          responses={200: CommentState, 403: Error, 409: Error})
def delete_own_comment(site: str, comment_id: int):
    """Delete one's own comment within the edit window."""
    check_keys(site)
    check_token(request.headers.get(TOKEN_HEADER), comment_id)
    comment = delete_comment(get_site(site), comment_id)
    state, message = PUBLIC_STATES[comment.status]
    return {"id": comment.id, "state": state, "message": message}
