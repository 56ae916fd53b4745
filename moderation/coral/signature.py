"""Coral's request signature: X-Coral-Signature: sha256=<hex HMAC-SHA256 of the raw body>."""

from __future__ import annotations

import hashlib
import hmac

SCHEME = "sha256="
# Coral sends one signature per live secret; a rotation has two. More is not Coral.
MAX_SIGNATURES = 8


def sign(secret: str, body: bytes) -> str:
    """Return the header value Coral would send for this body and secret."""
    return SCHEME + hmac.new(secret.encode("utf-8"), body, hashlib.sha256).hexdigest()


def signatures_in(header: str | None) -> list[str]:
    """Return the hex digests of a header's sha256 signatures (other schemes are skipped)."""
    if not header or len(header) > 1024:
        return []
    found = []
    for part in header.split(",")[:MAX_SIGNATURES]:
        part = part.strip()
        if part.startswith(SCHEME):
            found.append(part[len(SCHEME):].lower())
    return found


def is_signed(body: bytes, header: str | None, secrets: list[str]) -> bool:
    """Tell whether any signature in the header matches the body under any of the secrets."""
    given = signatures_in(header)
    matched = False
    for secret in secrets:
        expected = hmac.new(secret.encode("utf-8"), body, hashlib.sha256).hexdigest()
        for digest in given:
            # Every pair is compared, in constant time, so timing tells nothing.
            matched |= hmac.compare_digest(expected.encode(), digest.encode("ascii", "replace"))
    return matched
