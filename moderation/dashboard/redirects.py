"""Where a dashboard form may send the browser next: only back into the dashboard."""

from __future__ import annotations

import re

# A dashboard path and query in printable ASCII (what browsers send, percent-encoded): no
# spaces, CR or LF (which would split the Location header), no "//" or "\" (another host).
_DASHBOARD_PATH = re.compile(r"^/dashboard(?:[/?][!-~]*)?$")


def safe_dashboard_path(target: str | None) -> str | None:
    """Return target if it is a same-site dashboard path, else None."""
    if not target or len(target) > 2000 or not _DASHBOARD_PATH.match(target):
        return None
    if "//" in target or "\\" in target:
        return None
    return target
