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


MIXED = [" ".join(["word", "you", "stupid", "fine", "thanks"][i % 5] for i in range(n))
         for n in (40, 1, 12, 3, 33, 7, 2, 25, 9, 18, 5, 30)]


@pytest.mark.parametrize("runtime", ["torch", "onnx"])
def test_texts_cut_into_calls_by_length_score_as_alone(tiny_models, tmp_path, monkeypatch,
                                                       runtime):
    # fp32 scores do not depend on padding or neighbours: a mixed batch cut into calls of
    # similar length must give each text its own score, in the order it was asked.
    if runtime == "onnx":
        scorer = _prepare_preferring(tiny_models, "varied", tmp_path, monkeypatch,
                                     ("onnx", "fp32"), batch_size=4)
    else:
        checkpoint, config_dir = tiny_models["varied"]
        scorer = DetoxifyScorer(checkpoint=checkpoint, config_dir=config_dir, batch_size=4,
                                runtime="torch")
    together = scorer.score(MIXED)
    assert scorer.runtime == runtime
    alone = [scorer.score([text])[0] for text in MIXED]
    assert len({round(score["toxicity"], 2) for score in alone}) > 6  # the texts differ
    for joint, single in zip(together, alone, strict=True):
        for label in LABELS:
            assert joint[label] == pytest.approx(single[label], abs=1e-4)


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



TEXTS = ["thanks", "the game is good and the council should listen", "you are stupid",
         "i hate this article, it is the worst thing i read all week"]
KEEP = ("bert.encoder.layer.0.output.dense",)


def _prepare_preferring(tiny_models, model, tmp_path, monkeypatch, fastest, **options):
    """Prepare the export here (not in a child) with `fastest` winning the runtime probe."""
    from moderation.scoring import runtime_probe

    monkeypatch.setattr(runtime_probe, "_time_candidate",
                        lambda candidate, runs, use: 0.001 if candidate == fastest else 1.0)
    checkpoint, config_dir = tiny_models[model]
    scorer = DetoxifyScorer(checkpoint=checkpoint, config_dir=config_dir,
                            onnx_path=tmp_path / "tiny.onnx", **options)
    runtime_probe.prepare(scorer._onnx_request())
    return scorer


def test_onnx_runtime_scores_as_torch_does(tiny_models, tmp_path, monkeypatch):
    checkpoint, config_dir = tiny_models["middling"]
    torch_scores = DetoxifyScorer(checkpoint=checkpoint, config_dir=config_dir).score(TEXTS)
    scorer = _prepare_preferring(tiny_models, "middling", tmp_path, monkeypatch,
                                 ("onnx", "fp32"))
    # One batch of texts of different lengths: padding must be read as the torch model does.
    onnx_scores = scorer.score(TEXTS)
    assert (scorer.runtime, scorer.precision) == ("onnx", "fp32")
    # ONNX Runtime's BERT fusions ran: the scores below are those of the fused graph.
    import onnx

    kinds = {node.op_type for node in onnx.load(str(tmp_path / "tiny.onnx")).graph.node}
    assert "SkipLayerNormalization" in kinds
    for ours, theirs in zip(onnx_scores, torch_scores, strict=True):
        assert ours.keys() == theirs.keys()
        for label in LABELS:
            assert ours[label] == pytest.approx(theirs[label], abs=1e-4)


def test_onnx_int8_keeps_the_named_layer_in_fp32(tiny_models, tmp_path, monkeypatch):
    import onnx

    checkpoint, config_dir = tiny_models["middling"]
    torch_scores = DetoxifyScorer(checkpoint=checkpoint, config_dir=config_dir).score(TEXTS)
    scorer = _prepare_preferring(tiny_models, "middling", tmp_path, monkeypatch,
                                 ("onnx", "int8"), quantize="auto", keep_fp32=KEEP)
    scores = scorer.score(TEXTS)
    assert (scorer.runtime, scorer.precision) == ("onnx", "int8")
    nodes = {node.name: node.op_type
             for node in onnx.load(str(tmp_path / "tiny-int8.onnx")).graph.node}
    assert nodes["/bert/encoder/layer.0/output/dense/MatMul"] == "MatMul"
    quantized = [name for name, kind in nodes.items() if kind == "MatMulInteger"]
    assert any("layer.0/intermediate/dense" in name for name in quantized)
    for ours, theirs in zip(scores, torch_scores, strict=True):
        assert ours["toxicity"] == pytest.approx(theirs["toxicity"], abs=0.05)


def test_int8_must_win_by_the_margin(tiny_models, tmp_path, monkeypatch):
    from moderation.scoring import runtime_probe

    # int8 5% faster than fp32 is a tie: fp32's exact scores are kept.
    timings = {("onnx", "fp32"): 1.0, ("onnx", "int8"): 0.95, ("torch", "fp32"): 2.0}
    monkeypatch.setattr(runtime_probe, "_time_candidate",
                        lambda candidate, runs, use: timings[candidate])
    checkpoint, config_dir = tiny_models["benign"]
    scorer = DetoxifyScorer(checkpoint=checkpoint, config_dir=config_dir, quantize="auto",
                            keep_fp32=KEEP, onnx_path=tmp_path / "m.onnx")
    choice = runtime_probe.prepare(scorer._onnx_request())
    assert (choice["runtime"], choice["precision"]) == ("onnx", "fp32")
    assert choice["ms_per_comment"] == {"onnx fp32": 1000.0, "onnx int8": 950.0,
                                        "torch fp32": 2000.0}


def test_torch_serves_where_it_is_faster_or_the_export_fails(tiny_models, tmp_path, monkeypatch):
    from moderation.scoring import onnx_runtime

    faster = _prepare_preferring(tiny_models, "middling", tmp_path, monkeypatch,
                                 ("torch", "fp32"), quantize="auto", keep_fp32=KEEP)
    faster.score(TEXTS)
    assert faster.runtime == "torch"

    def refuse(request):
        raise onnx_runtime.OnnxUnavailable("this torch cannot export")

    checkpoint, config_dir = tiny_models["middling"]
    monkeypatch.setattr(onnx_runtime, "_prepare_in_child", refuse)
    fallback = DetoxifyScorer(checkpoint=checkpoint, config_dir=config_dir,
                              onnx_path=tmp_path / "other.onnx")
    assert len(fallback.score(TEXTS)) == len(TEXTS)
    assert fallback.runtime == "torch"


def test_a_load_prepares_in_a_child_once_and_then_reads_its_choice(tiny_models, tmp_path):
    checkpoint, config_dir = tiny_models["middling"]
    torch_scores = DetoxifyScorer(checkpoint=checkpoint, config_dir=config_dir).score(TEXTS)
    first = DetoxifyScorer(checkpoint=checkpoint, config_dir=config_dir, quantize="auto",
                           keep_fp32=KEEP, onnx_path=tmp_path / "m.onnx")
    scores = first.score(TEXTS)  # the real probe, in a child process: either may win here
    choices = list(tmp_path.glob("m-choice-*.json"))
    assert len(choices) == 1 and (tmp_path / "m.onnx").is_file()
    tolerance = 1e-4 if first.precision == "fp32" else 0.05
    for ours, theirs in zip(scores, torch_scores, strict=True):
        assert ours["toxicity"] == pytest.approx(theirs["toxicity"], abs=tolerance)
    written = choices[0].stat().st_mtime_ns
    again = DetoxifyScorer(checkpoint=checkpoint, config_dir=config_dir, quantize="auto",
                           keep_fp32=KEEP, onnx_path=tmp_path / "m.onnx")
    again.score(["hello"])
    assert (again.runtime, again.precision) == (first.runtime, first.precision)
    assert choices[0].stat().st_mtime_ns == written


def test_unknown_runtime_is_refused(tiny_models):
    checkpoint, config_dir = tiny_models["benign"]
    with pytest.raises(ValueError, match="runtime"):
        DetoxifyScorer(checkpoint=checkpoint, config_dir=config_dir, runtime="gpu")


def test_batch_processes_time_batches_and_let_torch_int8_compete(tiny_models, tmp_path,
                                                                 monkeypatch):
    from moderation.scoring import onnx_runtime, runtime_probe

    seen = []

    def timing(candidate, runs, use):
        seen.append((candidate, use))
        return {("onnx", "fp32"): 1.0, ("onnx", "int8"): 0.6, ("torch", "fp32"): 1.2,
                ("torch", "int8"): 0.4}[candidate]

    monkeypatch.setattr(runtime_probe, "_time_candidate", timing)
    checkpoint, config_dir = tiny_models["middling"]
    scorer = DetoxifyScorer(checkpoint=checkpoint, config_dir=config_dir, quantize="auto",
                            keep_fp32=KEEP, onnx_path=tmp_path / "m.onnx", use="batches")
    choice = runtime_probe.prepare(scorer._onnx_request())
    assert {candidate for candidate, _ in seen} == {("onnx", "fp32"), ("onnx", "int8"),
                                                    ("torch", "fp32"), ("torch", "int8")}
    assert {use for _, use in seen} == {"batches"}
    assert (choice["runtime"], choice["precision"]) == ("torch", "int8")
    # The serving process loads torch at the chosen precision, without a probe of its own.
    scores = scorer.score(TEXTS)
    assert (scorer.runtime, scorer.precision) == ("torch", "int8")
    assert len(scores) == len(TEXTS)
    # A web process of the same model keeps its own choice, made for posts.
    posts = DetoxifyScorer(checkpoint=checkpoint, config_dir=config_dir, quantize="auto",
                           keep_fp32=KEEP, onnx_path=tmp_path / "m.onnx")
    assert onnx_runtime.choice_path(posts._onnx_request()) != onnx_runtime.choice_path(
        scorer._onnx_request())
    seen.clear()
    assert runtime_probe.prepare(posts._onnx_request())["runtime"] == "onnx"
    assert ("torch", "int8") not in {candidate for candidate, _ in seen}
