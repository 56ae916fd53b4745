"""The author panel: an author's other comments, decisions and reports, from a queue item."""

from __future__ import annotations

from flask import render_template, request

from moderation.dashboard import bp
from moderation.errors import NotFound
from moderation.extensions import db
from moderation.models import Comment
from moderation.services.author_history import author_key
from moderation.services.author_profile import author_profile


@bp.get("/comments/<id:comment_id>/author")
def author(comment_id: int):
    """Show the author of a comment: a page, or with ?panel=1 the side panel's contents."""
    comment = db.session.get(Comment, comment_id)
    if comment is None:
        raise NotFound(f"No comment {comment_id}.", code="comment_not_found")
    profile = author_profile(comment)
    template = "dashboard/_author.html" if request.args.get("panel") else "dashboard/author.html"
    return render_template(template, profile=profile, key=author_key(comment))
