"""Published comment counts for many articles in one call."""

from __future__ import annotations

from flask import request

from moderation.api import bp
from moderation.api.boundary import check_keys, use_body
from moderation.api.caching import cached_json, public_answer
from moderation.api.responses import Counts, Error
from moderation.api.schemas import NOTE_PATTERN, CountsIn
from moderation.extensions import limiter
from moderation.openapi.registry import describe
from moderation.ratelimits import unlimited
from moderation.readers.generations import site_name
from moderation.readers.threads import count_published

_counts_in = CountsIn()


@bp.get("/sites/<site>/counts")
@unlimited(limiter)
@public_answer(lambda site: (site_name(site),))
@describe(tags=["counts"], responses={
    200: Counts, 304: "Not modified: the client's copy (If-None-Match) is current.", 422: Error,
}, parameters=[
    # ?articles=a,b (comma-separated) is accepted too, for older embeds.
    {"name": "article", "in": "query", "required": True, "explode": True,
     "description": "An article id; repeat for each article (at most 500).",
     "schema": {"type": "array", "minItems": 1, "maxItems": 500,
                "items": {"type": "string", "minLength": 1, "maxLength": 200,
                          "pattern": NOTE_PATTERN}}},
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
@unlimited(limiter)
@public_answer(lambda site: (site_name(site),))
@use_body(_counts_in)
@describe(tags=["counts"], responses={200: Counts})
def post_counts(site: str, data: dict):
    """Return counts for the articles listed in the body."""
    check_keys(site)
    return {"counts": count_published(site, data["articles"])}
