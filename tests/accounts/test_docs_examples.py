"""The token examples in docs/READERS.md sign tokens the service accepts, as printed."""

from __future__ import annotations

import re
import shutil
import subprocess
import types
from pathlib import Path

import pytest

from tests.accounts.conftest import sign_in

GUIDE = Path(__file__).resolve().parents[2] / "docs" / "READERS.md"


def example(language: str) -> str:
    """Return the guide's code block that follows the heading for this language."""
    text = GUIDE.read_text()
    heading = {"python": "### Signing the token in Python",
               "javascript": "### Signing the token in JavaScript"}[language]
    block = re.search(re.escape(heading) + r".*?```" + language + r"\n(.*?)```", text, re.S)
    assert block, f"no {language} example under {heading!r}"
    return block.group(1)


def test_python_example_signs_a_token_the_service_accepts(client, sso_secret, monkeypatch):
    code = example("python")
    assert len(code.splitlines()) <= 25
    monkeypatch.setenv("COMMENTS_SSO_SECRET", sso_secret)
    namespace: dict = {}
    exec(compile(code, "READERS.md", "exec"), namespace)  # the guide's own example
    user = types.SimpleNamespace(id=7, email="ann@example.org", display_name="Ann")
    response = sign_in(client, namespace["comments_token"](user))
    assert response.status_code == 200, response.get_json()
    assert response.get_json()["reader"]["username"] == "Ann"


@pytest.mark.skipif(shutil.which("node") is None, reason="Node is not installed")
def test_javascript_example_signs_a_token_the_service_accepts(client, sso_secret, tmp_path):
    code = example("javascript")
    assert len(code.splitlines()) <= 25
    (tmp_path / "sso-token.js").write_text(code)
    script = ('console.log(require("./sso-token.js").commentsToken('
              '{id: 7, email: "ann@example.org", displayName: "Ann"}))')
    token = subprocess.run(["node", "-e", script], cwd=tmp_path, check=True, text=True,
                           capture_output=True, timeout=30,
                           env={"COMMENTS_SSO_SECRET": sso_secret, "PATH": "/usr/bin:/bin"}
                           ).stdout.strip()
    response = sign_in(client, token)
    assert response.status_code == 200, response.get_json()
