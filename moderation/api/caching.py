"""HTTP caching for public reads: ETags that change with every reader-visible change."""

from __future__ import annotations

import hashlib
import json

from flask import Response, current_app, jsonify, request


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
