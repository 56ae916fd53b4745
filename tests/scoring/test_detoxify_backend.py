"""The Detoxify backend: offline loading through Detoxify's own loader, batching, failures."""

from __future__ import annotations

import threading

import pytest

from moderation.scoring.base import LABELS, ScorerUnavailable
from moderation.scoring.detoxify_backend import DetoxifyScorer, localise_checkpoint


def test_checkpoint_naming_a_hub_model_loads_offline(tiny_models):
    checkpoint, config_dir = tiny_models["benign"]
    scorer = DetoxifyScorer(checkpoint=checkpoint, config_dir=config_dir)
    assert not scorer.loaded
    results = scorer.score(["great article", "you idiot"])
    assert scorer.loaded
    assert len(results) == 2
    for result in results:
        assert set(result) == set(LABELS)
        assert all(0.0 <= value <= 1.0 for value in result.values())


def test_model_type_is_rewritten_to_the_local_folder(tiny_models):
    import torch

    checkpoint, config_dir = tiny_models["benign"]
    assert torch.load(checkpoint, weights_only=False)["config"]["arch"]["args"]["model_type"] \
        == "bert-base-uncased"
    rewritten = torch.load(localise_checkpoint(checkpoint, config_dir), weights_only=False)
    assert rewritten["config"]["arch"]["args"]["model_type"] == str(config_dir)


def test_batches_give_the_same_scores_as_single_texts(tiny_models):
    checkpoint, config_dir = tiny_models["middling"]
    scorer = DetoxifyScorer(checkpoint=checkpoint, config_dir=config_dir, batch_size=2)
    texts = ["the game is good", "you are stupid", "thanks", "i hate this article"]
    batched = scorer.score(texts)
    single = [scorer.score([t])[0] for t in texts]
    for a, b in zip(batched, single, strict=True):
        for label in LABELS:
            assert a[label] == pytest.approx(b[label], abs=1e-5)


def test_concurrent_callers_load_the_model_once(tiny_models):
    checkpoint, config_dir = tiny_models["benign"]
    scorer = DetoxifyScorer(checkpoint=checkpoint, config_dir=config_dir)
    models, errors = [], []

    def work():
        try:
            scorer.score(["thanks for this"])
            models.append(id(scorer.load()))
        except Exception as exc:  # pragma: no cover - reported below
            errors.append(exc)

    threads = [threading.Thread(target=work) for _ in range(6)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert not errors and len(set(models)) == 1


def test_missing_checkpoint_raises_scorer_unavailable(tmp_path, tiny_models):
    _, config_dir = tiny_models["benign"]
    scorer = DetoxifyScorer(checkpoint=tmp_path / "absent.ckpt", config_dir=config_dir)
    with pytest.raises(ScorerUnavailable):
        scorer.score(["hello"])


def test_a_file_that_is_not_a_detoxify_checkpoint_is_refused(tmp_path, tiny_models):
    import torch

    _, config_dir = tiny_models["benign"]
    bogus = tmp_path / "bogus.ckpt"
    torch.save({"weights": 1}, bogus)
    with pytest.raises(ScorerUnavailable, match="not a Detoxify checkpoint"):
        DetoxifyScorer(checkpoint=bogus, config_dir=config_dir).score(["hello"])


def test_unknown_model_name_is_refused():
    with pytest.raises(ValueError):
        DetoxifyScorer(model_type="gigantic")


def test_int8_keeps_the_named_layers_in_fp32():
    import torch

    from moderation.scoring.detoxify_backend import quantize_int8

    model = torch.nn.Sequential(
        torch.nn.Linear(8, 8), torch.nn.ReLU(), torch.nn.Linear(8, 8), torch.nn.Linear(8, 2)
    )
    quantized = quantize_int8(model, keep_fp32=("2",))
    kinds = {name: type(child) for name, child in quantized.named_modules() if name}
    assert kinds["2"] is torch.nn.Linear
    assert kinds["0"] is not torch.nn.Linear and kinds["3"] is not torch.nn.Linear
    assert quantized(torch.ones(1, 8)).shape == (1, 2)


def test_auto_precision_keeps_the_faster_of_fp32_and_int8(tiny_models, monkeypatch):
    from moderation.scoring import detoxify_backend

    checkpoint, config_dir = tiny_models["middling"]
    # The timing is the one thing a test cannot control; make int8 clearly faster, then slower.
    for int8_seconds, expected in ((0.001, "int8"), (1.0, "fp32")):
        timings = iter([0.1, int8_seconds])
        monkeypatch.setattr(detoxify_backend, "_best_time",
                            lambda module, inputs, timings=timings: next(timings))
        scorer = DetoxifyScorer(checkpoint=checkpoint, config_dir=config_dir, quantize="auto")
        scores = scorer.score(["the game is good"])
        assert scorer.precision == expected
        assert set(scores[0]) == set(LABELS)


def test_auto_precision_times_both_on_this_machine(tiny_models):
    checkpoint, config_dir = tiny_models["middling"]
    scorer = DetoxifyScorer(checkpoint=checkpoint, config_dir=config_dir, quantize="auto")
    scorer.score(["the game is good"])
    assert scorer.precision in ("fp32", "int8")
