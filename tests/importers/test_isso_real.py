"""An Isso database written by a real Isso installed from PyPI, then imported.

Slow (it installs Isso into its own throwaway virtualenv): runs with MODERATION_RUN_SLOW=1.
ISSO_VENV=/path/to/venv reuses a virtualenv that already has Isso.
"""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

from moderation.models import CommentStatus
from tests.importers.conftest import comments_by_source

pytestmark = [pytest.mark.slow, pytest.mark.usefixtures("site")]

WRITE_WITH_ISSO = """
import sys
from isso import config
from isso.db import SQLite3

db = SQLite3(sys.argv[1], config.load(config.default_file()))
uri = "/2019/01/hello-world/"
db.threads.new(uri, "Hello, World")
db.threads.new("/empty/", "Nobody came")
first = db.comments.add(uri, {"text": "First **comment**", "author": "Ann",
                              "email": "ann@example.org", "mode": 1,
                              "remote_addr": "192.0.2.0", "created": 1547500000.25})
db.comments.add(uri, {"text": "A reply", "parent": first["id"], "mode": 1,
                      "remote_addr": "192.0.2.0", "created": 1547500100.0})
db.comments.add(uri, {"text": "Waiting in the queue", "author": "Bo", "mode": 2,
                      "remote_addr": "2001:db8::", "created": 1547500200.0})
gone = db.comments.add(uri, {"text": "Soon deleted", "author": "Cy", "mode": 1,
                             "remote_addr": "192.0.2.0", "created": 1547500300.0})
db.comments.add(uri, {"text": "Reply to a deleted one", "parent": gone["id"], "mode": 1,
                      "remote_addr": "192.0.2.0", "created": 1547500400.0})
db.comments.delete(gone["id"])  # it has a reply: Isso keeps it with mode 4
"""


@pytest.fixture(scope="module")
def isso_python(tmp_path_factory) -> Path:
    if os.environ.get("ISSO_VENV"):
        return Path(os.environ["ISSO_VENV"]) / "bin" / "python"
    venv = tmp_path_factory.mktemp("isso-venv")
    subprocess.run([sys.executable, "-m", "venv", str(venv)], check=True)
    installed = subprocess.run([str(venv / "bin" / "pip"), "install", "--quiet", "isso"],
                               capture_output=True, text=True)
    if installed.returncode != 0:
        pytest.skip(f"Isso could not be installed from PyPI here: {installed.stderr[-500:]}")
    return venv / "bin" / "python"


def test_a_database_written_by_isso_imports(app, tmp_path, isso_python, run_import):
    path = tmp_path / "comments.db"
    subprocess.run([str(isso_python), "-c", WRITE_WITH_ISSO, str(path)], check=True)
    result = run_import("isso", str(path), "--site", "news")
    assert result.exit_code == 0, result.output
    assert "imported 5 comments" in result.output
    c = comments_by_source(app, "isso")
    assert c["1"].body == "First **comment**" and c["1"].author_email is None
    assert c["1"].email_hash  # the address is kept only as the keyed hash
    assert c["2"].parent_id == c["1"].id
    assert c["3"].status is CommentStatus.pending_review
    assert c["4"].status is CommentStatus.deleted and c["5"].parent_id == c["4"].id
    assert c["1"].article.external_id == "2019/01/hello-world"
