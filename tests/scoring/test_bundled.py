"""The bundled checkpoint assembles offline and loads through Detoxify's own loader."""

import pytest

from moderation.scoring.base import LABELS
from moderation.scoring.bundled import (
    BUNDLED_MODEL_ID,
    WEIGHTS_DIR,
    bundled_metadata,
    ensure_bundled_checkpoint,
)

pytestmark = pytest.mark.model


def test_shipped_weights_fit_the_size_budget():
    """The trained encoder and every per-language model together stay under 25 MB."""
    total = sum(path.stat().st_size for path in WEIGHTS_DIR.rglob("*") if path.is_file())
    assert total <= 25_000_000


def test_checkpoint_has_the_detoxify_layout(bundled_scorer, bundled_cache):
    import torch

    checkpoint, config_dir = ensure_bundled_checkpoint(bundled_cache)
    loaded = torch.load(checkpoint, map_location="cpu", weights_only=False)
    args = loaded["config"]["arch"]["args"]
    assert args["model_name"] == "BertForSequenceClassification"
    assert args["num_classes"] == len(LABELS)
    assert args["model_type"] == str(config_dir)
    assert loaded["config"]["dataset"]["args"]["classes"] == list(LABELS)
    assert "bert.embeddings.word_embeddings.weight" in loaded["state_dict"]
    assert (config_dir / "vocab.txt").is_file() and (config_dir / "config.json").is_file()


def test_scores_have_six_labels_between_zero_and_one(bundled_scorer):
    scores = bundled_scorer.score(["Thanks for the article.", "You are a worthless idiot."])
    assert len(scores) == 2
    for row in scores:
        assert set(row) == set(LABELS)
        assert all(0.0 <= value <= 1.0 for value in row.values())


def test_abusive_comment_scores_above_benign_one(bundled_scorer):
    abusive, benign = bundled_scorer.score(
        [
            "Shut up, you stupid moron, nobody wants your garbage opinions.",
            "Thanks for the clear explanation of the new budget.",
        ]
    )
    assert abusive["toxicity"] > benign["toxicity"] + 0.3


def test_second_call_reuses_the_cached_checkpoint(bundled_scorer, bundled_cache):
    first, _ = ensure_bundled_checkpoint(bundled_cache)
    modified = first.stat().st_mtime_ns
    second, _ = ensure_bundled_checkpoint(bundled_cache)
    assert second == first
    assert second.stat().st_mtime_ns == modified
    assert [p.name for p in bundled_cache.iterdir() if p.suffix == ".ckpt"] == [first.name]


def test_changed_weights_get_a_new_checkpoint(bundled_cache, tmp_path):
    import shutil

    weights = tmp_path / "weights"
    shutil.copytree(WEIGHTS_DIR, weights)
    metadata = weights / "metadata.json"
    metadata.write_text(metadata.read_text().replace(BUNDLED_MODEL_ID, BUNDLED_MODEL_ID + "-x", 1))
    original, _ = ensure_bundled_checkpoint(bundled_cache)
    changed, _ = ensure_bundled_checkpoint(bundled_cache, weights)
    assert changed != original


def test_metadata_names_labels_languages_and_thresholds():
    metadata = bundled_metadata()
    assert metadata["labels"] == list(LABELS)
    assert metadata["languages"] == ["en"]
    for bound in ("approve", "reject"):
        assert set(metadata["thresholds"][bound]) == set(LABELS)
    for label in LABELS:
        assert metadata["thresholds"]["approve"][label] <= metadata["thresholds"]["reject"][label]
    assert isinstance(metadata["int8_recommended"], bool)


def test_length_sorted_batches_keep_input_order(bundled_scorer):
    texts = [
        "A long and thoughtful comment about the council budget and the school repairs plan.",
        "You idiot.",
        "Thanks!",
    ]
    together = bundled_scorer.score(texts)
    one_by_one = [bundled_scorer.score([text])[0] for text in texts]
    # int8 dynamic quantization scales activations per batch, so batch neighbours
    # move a score by a few hundredths; a mix-up of rows would move it far more.
    for joint, single in zip(together, one_by_one, strict=True):
        assert abs(joint["toxicity"] - single["toxicity"]) < 0.05
    assert max(range(3), key=lambda i: together[i]["toxicity"]) == 1


def test_building_a_checkpoint_prunes_stale_assemblies_only(tmp_path):
    import os
    import time

    from moderation.scoring.bundled import STALE_AFTER_SECONDS, prune_stale_assemblies

    old = time.time() - STALE_AFTER_SECONDS - 60
    stale_checkpoint = tmp_path / "bundled-minilm-v0-aaaa.ckpt"
    stale_config = tmp_path / "bundled-minilm-v0-aaaa-hf"
    half_written = tmp_path / ".bundled-minilm-v0-bbbb.ckpt.x1y2"
    recent = tmp_path / "bundled-minilm-v0-cccc.ckpt"  # a previous release may still open it
    stale_export = tmp_path / "bundled-minilm-v0-aaaa-int8.onnx"
    current = tmp_path / "bundled-minilm-v1-dddd.ckpt"
    # The current assembly's exports share its stem; a half-written one of it may go.
    current_exports = [tmp_path / "bundled-minilm-v1-dddd.onnx",
                       tmp_path / "bundled-minilm-v1-dddd-int8.onnx"]
    current_half = tmp_path / ".bundled-minilm-v1-dddd.onnx.z9"
    unrelated = tmp_path / "moderation.sqlite"
    stale_config.mkdir()
    (stale_config / "config.json").write_text("{}")
    old_files = (stale_checkpoint, half_written, stale_export, current, *current_exports,
                 current_half, unrelated)
    for path in (*old_files, recent):
        path.write_bytes(b"x")
    for path in (*old_files, stale_config):
        os.utime(path, (old, old))

    removed = prune_stale_assemblies(tmp_path, keep=(current.stem,))

    assert sorted(removed) == sorted(
        p.name for p in (stale_checkpoint, stale_config, half_written, stale_export, current_half))
    assert sorted(p.name for p in tmp_path.iterdir()) == sorted(
        p.name for p in (recent, current, *current_exports, unrelated)
    )
