"""The model served by ONNX Runtime: exported once, then run without PyTorch in the process.

PyTorch spends about as long dispatching a small model's operators as computing them, so a
post's batch of one to eight short comments waits mostly on overhead; ONNX Runtime runs
the same graph two to three times as fast there (docs/BENCHMARKS.md). Exporting, writing
the int8 copy and timing the candidates take far more memory than serving, so they run
once in a child process (`runtime_probe.prepare`), which records its choice beside the
export; every later load reads that choice and loads only the tokenizer and the chosen
export.
"""

from __future__ import annotations

import fcntl
import hashlib
import json
import logging
import os
import re
import subprocess
import sys
import time
import warnings
from pathlib import Path

from moderation.scoring.files import atomic_write

log = logging.getLogger(__name__)

INPUT_NAMES = ("input_ids", "attention_mask", "token_type_ids")
# The trace's sample: two texts of different lengths, so the export sees padding and the
# attention mask is traced as data, not as a constant of one batch's shape.
TRACE_TEXTS = ("A short comment.",
               "A longer comment on the council's budget, with more words in it.")
OPSET = 17
# The export, the int8 copy and the probe: a minute on a slow 2-core machine.
PREPARE_TIMEOUT_SECONDS = 600



class OnnxUnavailable(Exception):
    """The model could not be exported or prepared for ONNX Runtime; PyTorch serves it."""


def runtime_available() -> bool:
    """Tell whether ONNX Runtime and the onnx package (its quantizer needs it) are installed."""
    try:
        import onnx  # noqa: F401
        import onnxruntime  # noqa: F401
    except ImportError:
        return False
    return True


def int8_path_of(onnx_path: Path) -> Path:
    """Return where the int8 copy of an export is kept."""
    return onnx_path.with_name(f"{onnx_path.stem}-int8.onnx")


def export_fp32(module, tokenizer, path: Path) -> None:
    """Export the fp32 torch module to path (batch and length dynamic), once."""
    if path.is_file():
        return
    import torch

    sample = tokenizer(list(TRACE_TEXTS), return_tensors="pt", padding=True)
    axes = {name: {0: "batch", 1: "tokens"} for name in INPUT_NAMES}
    axes["logits"] = {0: "batch"}

    def write(target: Path) -> None:
        with warnings.catch_warnings(), torch.no_grad():
            # The tracer warns about every Python branch it records; the tests check the
            # export's scores against the torch module's instead.
            warnings.simplefilter("ignore")
            torch.onnx.export(module, tuple(sample[name] for name in INPUT_NAMES), str(target),
                              input_names=list(INPUT_NAMES), output_names=["logits"],
                              dynamic_axes=axes, opset_version=OPSET, dynamo=False)

    atomic_write(path, write)


def fuse_bert(path: Path, config_dir: Path) -> bool:
    """Fuse a BERT export's GELU and layer norms in place (ONNX Runtime's own optimizer).

    The fused graph scores the same (no score moved by 0.0001 on the held-out rows) and
    ran a post-sized comment 1.5 times as fast in int8. Other architectures stay as
    exported; returns whether the graph was fused.
    """
    config = json.loads((Path(config_dir) / "config.json").read_text())
    if config.get("model_type") != "bert":
        return False
    from onnxruntime.transformers import optimizer

    root = logging.getLogger()
    before, root.disabled = root.disabled, True
    try:  # the optimizer logs each fusion it tries
        fused = optimizer.optimize_model(str(path), model_type="bert", opt_level=1,
                                         num_heads=int(config["num_attention_heads"]),
                                         hidden_size=int(config["hidden_size"]))
    finally:
        root.disabled = before
    atomic_write(path, lambda target: fused.save_model_to_file(str(target)))
    return True


def quantize_int8(fp32_path: Path, int8_path: Path, keep_fp32: tuple[str, ...]) -> None:
    """Write an int8 copy of the export; the torch Linear layers named in keep_fp32 stay fp32."""
    if int8_path.is_file():
        return
    import onnx
    from onnxruntime.quantization import QuantType, quantize_dynamic

    # The tracer names a Linear's MatMul after its module path, list indices kept with a
    # dot: bert.encoder.layer.0.output.dense -> /bert/encoder/layer.0/output/dense/MatMul.
    wanted = {"/" + re.sub(r"/(\d+)(?=/|$)", r".\1", name.replace(".", "/"))
              for name in keep_fp32}
    graph = onnx.load(str(fp32_path)).graph
    excluded = [node.name for node in graph.node
                if node.op_type == "MatMul" and node.name.rsplit("/", 1)[0] in wanted]
    if len(excluded) != len(keep_fp32):
        raise OnnxUnavailable(f"layers to keep in fp32 not found in the export: {keep_fp32}")

    def write(target: Path) -> None:
        root = logging.getLogger()
        before, root.disabled = root.disabled, True
        try:  # the quantizer logs advice about calibration data that dynamic int8 needs not
            # Fused operators have no shape inference; their outputs are fp32.
            quantize_dynamic(str(fp32_path), str(target), weight_type=QuantType.QInt8,
                             nodes_to_exclude=excluded,
                             extra_options={"DefaultTensorType": onnx.TensorProto.FLOAT})
        finally:
            root.disabled = before

    atomic_write(int8_path, write)


def session_threads(threads: int | None) -> int:
    """Return the threads a session uses: as many as torch would (OMP_NUM_THREADS first).

    ONNX Runtime's own default is a thread per core in every process, which would have
    gunicorn's workers spin-wait on each other's cores.
    """
    if threads:
        return threads
    configured = os.environ.get("OMP_NUM_THREADS", "")
    if configured.isdigit() and int(configured) > 0:
        return int(configured)
    return len(os.sched_getaffinity(0))


class OnnxModule:
    """One export loaded in an ONNX Runtime session: token arrays in, logits out."""

    def __init__(self, path: Path, threads: int | None) -> None:
        import onnxruntime

        options = onnxruntime.SessionOptions()
        options.intra_op_num_threads = session_threads(threads)
        options.inter_op_num_threads = 1
        options.log_severity_level = 3
        self.path = Path(path)
        self.session = onnxruntime.InferenceSession(str(path), options,
                                                    providers=["CPUExecutionProvider"])

    def run(self, encoded):
        """Return the logits (numpy) for a tokenizer's numpy output."""
        feed = {name: encoded[name].astype("int64", copy=False) for name in INPUT_NAMES}
        return self.session.run(["logits"], feed)[0]


class OnnxDetoxify:
    """What the scorer uses of a loaded Detoxify model, with the export in place of torch."""

    def __init__(self, choice: dict, threads: int | None) -> None:
        import transformers

        self.tokenizer = getattr(transformers, choice["tokenizer"]).from_pretrained(
            choice["config_dir"])
        self.class_names = list(choice["class_names"])
        self.model = OnnxModule(Path(choice["path"]), threads)


def cpu_signature() -> str:
    """Return a short hash of this CPU's model and instruction sets: a probe holds for it only."""
    try:
        text = Path("/proc/cpuinfo").read_text()
        fields = [line for line in text.splitlines()
                  if line.startswith(("model name", "flags", "Features", "CPU part"))]
        described = "\n".join(dict.fromkeys(fields))  # one line per kind, not per core
    except OSError:
        import platform

        described = f"{platform.machine()} {platform.processor()}"
    return hashlib.sha256(described.encode()).hexdigest()[:12]


def choice_path(request: dict) -> Path:
    """Return where the probe's choice for this request on this CPU is kept."""
    onnx_path = Path(request["onnx_path"])
    asked = json.dumps({key: request.get(key) for key in
                        ("quantize", "keep_fp32", "max_length", "threads", "runtime", "use")},
                       sort_keys=True)
    key = hashlib.sha256(f"{cpu_signature()} {session_threads(request['threads'])} {asked}"
                         .encode()).hexdigest()[:12]
    return onnx_path.with_name(f"{onnx_path.stem}-choice-{key}.json")


def prepared(request: dict) -> dict:
    """Return the runtime chosen for request on this CPU, preparing it in a child if needed."""
    path = choice_path(request)
    if not path.is_file():
        lock_path = Path(request["onnx_path"]).with_suffix(".lock")
        with open(lock_path, "a") as lock:
            # Workers that start together wait for one child rather than each run one.
            fcntl.flock(lock, fcntl.LOCK_EX)
            if not path.is_file():
                _prepare_in_child(request)
    choice = json.loads(path.read_text())
    if choice["runtime"] == "onnx" and not Path(choice["path"]).is_file():
        path.unlink(missing_ok=True)  # its export was deleted: prepare again next load
        raise OnnxUnavailable(f"{choice['path']} is gone")
    return choice


def _prepare_in_child(request: dict) -> None:
    started = time.monotonic()
    finished = subprocess.run(
        [sys.executable, "-m", "moderation.scoring.runtime_probe", json.dumps(request)],
        capture_output=True, text=True, timeout=PREPARE_TIMEOUT_SECONDS, check=False)
    if finished.returncode != 0:
        raise OnnxUnavailable(f"preparing the export failed: {finished.stderr[-800:]}")
    log.info("prepared %s for ONNX Runtime in %.1f s", request["onnx_path"],
             time.monotonic() - started)
