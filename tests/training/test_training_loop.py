"""train_model runs on a slice, writes loadable weights and repeats itself for a seed."""

import json

import pytest

from moderation.scoring.base import LABELS

pytestmark = pytest.mark.model


@pytest.fixture(scope="module")
def two_runs(data_dir, tmp_path_factory):
    """Train twice with one seed and once with another, a few steps each."""
    from moderation.training import loop

    # The three runs read the same files: load them once (four seconds a load), through the
    # real loader; nothing in training changes an example it was given.
    examples = loop.load_all(data_dir)
    runs = {}
    with pytest.MonkeyPatch.context() as patch:
        patch.setattr(loop, "load_all", lambda _: examples)
        for name, seed in (("a", 5), ("b", 5), ("c", 6)):
            out = tmp_path_factory.mktemp(f"run-{name}")
            metrics = loop.train_model(data_dir, out, seed=seed, limit=48, max_steps=2,
                                       progress=False)
            runs[name] = (out, metrics)
    return runs


def test_training_writes_weights_metadata_and_metrics(two_runs):
    out, metrics = two_runs["a"]
    assert metrics["steps"] == 2
    assert metrics["summary"]["steps"] == 2 and "auc_tweets" in metrics["summary"]
    assert json.loads((out / "metrics.json").read_text()) == metrics
    metadata = json.loads((out / "metadata.json").read_text())
    assert set(metadata["thresholds"]["approve"]) == set(LABELS)
    assert (out / "trained.safetensors").stat().st_size > 0


def test_trained_weights_load_through_detoxify(two_runs, tmp_path):
    from moderation.scoring.bundled import ensure_bundled_checkpoint
    from moderation.scoring.detoxify_backend import DetoxifyScorer

    out, _ = two_runs["a"]
    checkpoint, config_dir = ensure_bundled_checkpoint(tmp_path, out)
    scores = DetoxifyScorer(checkpoint=checkpoint, config_dir=config_dir).score(["hello there"])
    assert set(scores[0]) == set(LABELS)


def test_same_seed_gives_same_weights_and_other_seed_does_not(two_runs):
    from moderation.scoring.bundled import load_weights

    a, b, c = (load_weights(two_runs[name][0]) for name in "abc")
    assert a.keys() == b.keys()
    assert all((a[key] == b[key]).all() for key in a)
    assert any((a[key] != c[key]).any() for key in a)


def test_split_forward_matches_the_whole_model():
    """The cached lower/upper split must compute what the shipped model computes."""
    import torch

    from moderation.scoring.encoder import build_classifier, load_tokenizer
    from moderation.training.split_encoder import forward_lower, forward_upper

    model, tokenizer = build_classifier(), load_tokenizer()
    inputs = tokenizer(
        ["a short one", "a somewhat longer comment here"], return_tensors="pt", padding=True
    )
    with torch.inference_mode():
        whole = model(**inputs).logits
        hidden = forward_lower(model, inputs["input_ids"], inputs["attention_mask"])
        split = forward_upper(model, hidden, inputs["attention_mask"])
    assert torch.allclose(whole, split, atol=1e-5)
