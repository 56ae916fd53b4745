"""HTTP caching for public reads: ETags that change with every reader-visible change."""

from __future__ import annotations

import functools
import hashlib
import json
from collections.abc import Callable

from flask import Response, current_app, jsonify, request

from moderation.readers.answers import Answer, Lookup
from moderation.readers.front import KEPT


def etag_of(*parts) -> str:
    """Return a short opaque ETag for the given parts."""
    raw = json.dumps(parts, sort_keys=True, default=str, separators=(",", ":"))
    return hashlib.sha256(raw.encode()).hexdigest()[:32]


def not_modified(etag: str) -> Response | None:
    """Return a 304 when the client already holds this version, else None."""
    if request.if_none_match.contains_weak(etag):
        return _with_cache_headers(Response(status=304), etag)
    return None


def cached_json(body: dict, etag: str | None = None,
                cache_control_key: str = "PUBLIC_CACHE_CONTROL") -> Response:
    """Return a JSON response with an ETag (of the body unless given) and Cache-Control."""
    response = jsonify(body)
    etag = etag or etag_of(body)
    if request.if_none_match.contains_weak(etag):
        response = Response(status=304)
    return _with_cache_headers(response, etag, cache_control_key)


def _with_cache_headers(response: Response, etag: str,
                        cache_control_key: str = "PUBLIC_CACHE_CONTROL") -> Response:
    """Set the validator and the caching policy on a response."""
    response.set_etag(etag)
    response.headers["Cache-Control"] = current_app.config[cache_control_key]
    response.vary.add("Origin")
    return response


def public_answer(names_of: Callable[..., tuple[str, ...]]):
    """Serve a public read from the answer cache while its generations stand still.

    The key is the raw request (path arguments, query string and body), so a hit skips
    validation too; only 200 answers are kept, and names_of(**path arguments) says which
    generations the answer depends on (see moderation/readers/generations.py).
    """

    def decorator(view):
        @functools.wraps(view)
        def wrapper(**kwargs):
            body = (request.content_type, request.get_data()) if request.method == "POST" else ()
            key = (request.endpoint, *kwargs.values(), request.query_string, *body)
            lookup = Lookup(key, names_of(**kwargs))
            if lookup.hit is not None:
                _front_may_keep(lookup.hit.names, lookup.hit.generations)
                return _replay(lookup.hit)
            response = current_app.make_response(view(**kwargs))
            if response.status_code == 200 and not response.is_streamed:
                lookup.keep(response.get_etag()[0] or "", response.get_data())
                if lookup.generations is not None:
                    _front_may_keep(lookup.names, lookup.generations)
            return response

        return wrapper

    return decorator


def _front_may_keep(names: tuple[str, ...], generations: tuple) -> None:
    """Tell the front cache which generations this request's final answer stands on."""
    request.environ[KEPT] = (names, generations, request.endpoint)


def _replay(answer: Answer) -> Response:
    """Return a kept answer as a response, or a 304 when the client holds it already."""
    if answer.etag and request.if_none_match.contains_weak(answer.etag):
        return _with_cache_headers(Response(status=304), answer.etag)
    response = Response(answer.body, mimetype="application/json")
    if not answer.etag:
        return response
    return _with_cache_headers(response, answer.etag)
