"""Published comment counts for many articles in one call."""

from __future__ import annotations

from flask import request

from moderation.api import bp
from moderation.api.boundary import check_keys, use_body
from moderation.api.caching import cached_json
from moderation.api.responses import Counts, Error
from moderation.api.schemas import CountsIn
from moderation.openapi.registry import describe
from moderation.readers.threads import count_published

_counts_in = CountsIn()


@bp.get("/sites/<site>/counts")
@describe(tags=["counts"], responses={
    200: Counts, 304: "Not modified: the client's copy (If-None-Match) is current.", 422: Error,
}, parameters=[
    {"name": "article", "in": "query", "explode": True, "description": "An article id; repeat.",
     "schema": {"type": "array", "items": {"type": "string", "minLength": 1, "maxLength": 200},
                "maxItems": 500}},
    {"name": "articles", "in": "query", "description": "Article ids, comma-separated.",
     "schema": {"type": "string"}},
])
def get_counts(site: str):
    """Return counts for ?article=a&article=b (or ?articles=a,b)."""
    check_keys(site)
    ids = request.args.getlist("article")
    for joined in request.args.getlist("articles"):
        ids.extend(part for part in joined.split(",") if part)
    data = _counts_in.load({"articles": ids})
    # The ETag is the counts themselves: it moves the moment a decision changes one.
    return cached_json({"counts": count_published(site, data["articles"])})


@bp.post("/sites/<site>/counts")
@use_body(_counts_in)
@describe(tags=["counts"], responses={200: Counts})
def post_counts(site: str, data: dict):
    """Return counts for the articles listed in the body."""
    check_keys(site)
    return {"counts": count_published(site, data["articles"])}
