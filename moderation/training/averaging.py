"""Average the weights of several training runs of the bundled model into one.

Runs of the same recipe start from the same encoder and see nearly the same data, so their
weights stay close enough that their average scores like one model; it evens out what
each run's order and seed give one category and take from another.
"""

from __future__ import annotations

import json
from pathlib import Path

WEIGHTS_FILE = "trained.safetensors"
METADATA_FILE = "metadata.json"


class AveragingError(ValueError):
    """The runs cannot be averaged (missing files, or weights of different shapes)."""


def average_runs(run_dirs: list[Path], out_dir: Path, *, model_id: str | None = None) -> int:
    """Write the mean of the runs' weights, and the first run's metadata, to out_dir.

    Returns the number of tensors averaged. Thresholds in the metadata belong to the first
    run: recalibrate them (bench/evaluate_bundled.py --write) before shipping.
    """
    import torch
    from safetensors.torch import load_file, save_file

    if len(run_dirs) < 2:
        raise AveragingError("give at least two training runs to average")
    missing = [str(d) for d in run_dirs if not (Path(d) / WEIGHTS_FILE).is_file()]
    if missing:
        raise AveragingError(f"no {WEIGHTS_FILE} in: {', '.join(missing)}")
    runs = [load_file(str(Path(d) / WEIGHTS_FILE)) for d in run_dirs]
    first = runs[0]
    averaged = {}
    for name, tensor in first.items():
        others = [run.get(name) for run in runs[1:]]
        if any(o is None or o.shape != tensor.shape for o in others):
            raise AveragingError(f"the runs differ in tensor {name}: not runs of one recipe")
        if tensor.is_floating_point():
            total = sum(o.float() for o in others) + tensor.float()
            averaged[name] = (total / len(runs)).to(tensor.dtype)
        elif all(torch.equal(tensor, o) for o in others):
            averaged[name] = tensor
        else:
            raise AveragingError(f"the runs differ in integer tensor {name}")
    if any(set(run) != set(first) for run in runs[1:]):
        raise AveragingError("the runs hold different tensors: not runs of one recipe")
    out_dir = Path(out_dir)
    out_dir.mkdir(parents=True, exist_ok=True)
    metadata_path = Path(run_dirs[0]) / METADATA_FILE
    if metadata_path.is_file():
        metadata = json.loads(metadata_path.read_text())
        if model_id:
            metadata["model_id"] = model_id
        metadata["averaged_runs"] = len(runs)
        (out_dir / METADATA_FILE).write_text(json.dumps(metadata, indent=2) + "\n")
    tag = {"model_id": model_id} if model_id else None
    save_file(averaged, str(out_dir / WEIGHTS_FILE), metadata=tag)
    return len(averaged)

