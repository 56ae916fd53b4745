"""axe-core (installed from npm under tests/browser/axe) run inside a Chromium page."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

AXE_PACKAGE = Path(__file__).resolve().parent / "browser" / "axe"
AXE = AXE_PACKAGE / "node_modules" / "axe-core" / "axe.min.js"
# Serious and critical violations fail a page; moderate and minor ones are advice.
BLOCKING = ("serious", "critical")


def axe_violations(page, *, include: str | None = None) -> list[dict]:
    """Return the serious and critical WCAG A/AA violations on the page (or one part of it)."""
    if not AXE.exists():
        if os.environ.get("CI"):
            pytest.fail(f"axe-core is missing at {AXE}; run npm ci --prefix tests/browser/axe")
        pytest.skip("axe-core is not installed (npm ci --prefix tests/browser/axe)")
    page.add_script_tag(path=str(AXE))
    results = page.evaluate(
        """async (include) => {
            const context = include ? { include: [include] } : document;
            const options = { runOnly: { type: "tag",
              values: ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa", "wcag22aa"] } };
            return (await axe.run(context, options)).violations;
        }""",
        include,
    )
    return [
        {"id": v["id"], "impact": v["impact"], "help": v["help"],
         "targets": [node["target"] for node in v["nodes"]][:5]}
        for v in results if v["impact"] in BLOCKING
    ]
