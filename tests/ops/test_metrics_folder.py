"""The flask CLI runs where PROMETHEUS_MULTIPROC_DIR names a folder that does not exist yet."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

from moderation.ops.metrics import MULTIPROC_ENV, ensure_multiprocess_folder

ROOT = Path(__file__).resolve().parents[2]


def test_cli_works_before_the_metrics_folder_exists(tmp_path):
    folder = tmp_path / "not-yet" / "metrics"
    env = {**os.environ, MULTIPROC_ENV: str(folder), "PYTHONPATH": str(ROOT),
           "MODERATION_DATABASE_URL": "sqlite:///" + str(tmp_path / "cli.sqlite")}
    result = subprocess.run([sys.executable, "-m", "flask", "--app", "wsgi", "moderation",
                             "--help"], cwd=ROOT, env=env, capture_output=True, text=True,
                            timeout=120)
    assert result.returncode == 0, result.stderr[-2000:]
    assert "coral-secret" in result.stdout and folder.is_dir()


def test_a_folder_that_cannot_be_made_is_replaced_by_a_private_one(monkeypatch, tmp_path):
    blocker = tmp_path / "a-file"
    blocker.write_text("not a folder")
    monkeypatch.setenv(MULTIPROC_ENV, str(blocker / "metrics"))
    folder = ensure_multiprocess_folder()
    assert folder != str(blocker / "metrics") and os.path.isdir(folder)
    assert os.environ[MULTIPROC_ENV] == folder
