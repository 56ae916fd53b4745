"""Averaging training runs: the mean of each weight, and a clear refusal of unlike runs."""

from __future__ import annotations

import json

import pytest
import torch
from safetensors.torch import load_file, save_file

from moderation.training.averaging import AveragingError, average_runs


def write_run(path, weights: dict, model_id: str = "run") -> None:
    path.mkdir()
    save_file(weights, str(path / "trained.safetensors"))
    (path / "metadata.json").write_text(json.dumps({"model_id": model_id, "max_length": 96}))


def test_the_average_is_the_mean_of_each_weight_in_its_own_precision(tmp_path):
    ids = torch.tensor([0, 1, 2])
    write_run(tmp_path / "a", {"w": torch.tensor([1.0, 2.0], dtype=torch.float16), "ids": ids})
    write_run(tmp_path / "b", {"w": torch.tensor([3.0, 6.0], dtype=torch.float16), "ids": ids})
    assert average_runs([tmp_path / "a", tmp_path / "b"], tmp_path / "out", model_id="m2") == 2
    averaged = load_file(str(tmp_path / "out" / "trained.safetensors"))
    assert averaged["w"].dtype == torch.float16
    assert averaged["w"].tolist() == [2.0, 4.0]
    assert averaged["ids"].tolist() == [0, 1, 2]
    metadata = json.loads((tmp_path / "out" / "metadata.json").read_text())
    assert metadata["model_id"] == "m2" and metadata["averaged_runs"] == 2
    assert metadata["max_length"] == 96


def test_runs_of_different_shapes_are_refused(tmp_path):
    write_run(tmp_path / "a", {"w": torch.zeros(2)})
    write_run(tmp_path / "b", {"w": torch.zeros(3)})
    with pytest.raises(AveragingError, match="differ in tensor w"):
        average_runs([tmp_path / "a", tmp_path / "b"], tmp_path / "out")
    assert not (tmp_path / "out" / "trained.safetensors").exists()


def test_the_command_reports_a_missing_run_clearly(tmp_path):
    from click.testing import CliRunner

    from moderation import create_app

    write_run(tmp_path / "a", {"w": torch.zeros(2)})
    (tmp_path / "empty").mkdir()
    app = create_app({"ENV_NAME": "testing", "SECRET_KEY": "t",
                      "INSTANCE_PATH": str(tmp_path / "instance")})
    result = CliRunner().invoke(app.cli, ["moderation", "average-runs", str(tmp_path / "a"),
                                          str(tmp_path / "empty"), "--out", str(tmp_path / "o")])
    assert result.exit_code != 0
    assert "no trained.safetensors in" in result.output
