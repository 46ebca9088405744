"""The files of a run directory, in the layout of ``workbench train``.

``config.json`` (the workbench's ProxyRunConfig), ``checkpoint.safetensors`` (weights, AdamW's
moments and step, the curve so far), ``curve.json``, ``losses.json`` (every step's loss, learning
rate and gradient norm: this trainer's addition), and at the end ``model.safetensors`` and
``result.json`` (schema ``workbench.train/1``). ``workbench eval --checkpoint DIR`` scores the
model and ``workbench report results.json --add-run DIR`` adds the run to a comparison's report.
Every file is written atomically (a temporary sibling, then a rename).
"""

from __future__ import annotations

import json
import os

import torch

from proxytrain import safetensors_io

CHECKPOINT = "checkpoint.safetensors"
MODEL = "model.safetensors"
RESULT_SCHEMA = "workbench.train/1"


def write_json(path: str, value) -> None:
    """Pretty, key-sorted JSON, written atomically."""
    temporary = os.path.join(os.path.dirname(os.path.abspath(path)), f".{os.path.basename(path)}.tmp-{os.getpid()}")
    with open(temporary, "w", encoding="utf-8") as file:
        json.dump(value, file, indent=2, sort_keys=True)
        file.write("\n")
        file.flush()
        os.fsync(file.fileno())
    os.replace(temporary, path)


def compact(value) -> str:
    """JSON as the workbench writes it into safetensors metadata (compact, sorted keys)."""
    return json.dumps(value, sort_keys=True, separators=(",", ":"))


def save_model(path: str, weights: dict[str, torch.Tensor], model_config: dict, run_config: dict) -> None:
    """Writes the weights file the workbench loads (``Parameters.load``)."""
    metadata = safetensors_io.weights_metadata(model_config, {"proxy.config": compact(run_config)})
    safetensors_io.write(path, weights, metadata)


def load_weights(path: str, model_config: dict) -> dict[str, torch.Tensor]:
    """The tensors of a weights file, checked against the run's model."""
    tensors, metadata = safetensors_io.read(path)
    found = safetensors_io.check_format(path, metadata, safetensors_io.WEIGHTS_FORMAT)
    if found != model_config:
        raise safetensors_io.SafetensorsError(f"'{path}' holds another model ({found}) than the stream's ({model_config})")
    return tensors


def save_checkpoint(path: str, state: dict, header: dict, curve: list[dict]) -> None:
    """Writes a checkpoint in the engine's format (``Checkpoint``): ``state`` holds ``weights``,
    ``m`` and ``v`` (name -> tensor) and ``step`` (updates taken)."""
    tensors = dict(state["weights"])
    tensors.update({"optimizer.m." + name: value for name, value in state["m"].items()})
    tensors.update({"optimizer.v." + name: value for name, value in state["v"].items()})
    optimizer = header["optimizer"]
    metadata = {
        "format": safetensors_io.CHECKPOINT_FORMAT,
        "format_version": str(safetensors_io.FORMAT_VERSION),
        "config": safetensors_io.config_json(header["model"]),
        "adamw": compact(optimizer["adamw"]),
        "schedule": compact(optimizer["schedule"]),
        "optimizer_step": str(state["step"]),
        "max_gradient_norm": str(safetensors_io.float_bits(optimizer["maxGradientNorm"])),
        "rng_state": "",
        "user.proxy.config": compact(header["runConfig"]),
        "user.proxy.curve": compact(curve),
        "user.trainer": "trainers/pytorch",
    }
    safetensors_io.write(path, tensors, metadata)


def load_checkpoint(path: str, header: dict) -> tuple[dict, list[dict]]:
    """A checkpoint written by ``save_checkpoint`` for this stream's run: the state and the curve."""
    tensors, metadata = safetensors_io.read(path)
    found = safetensors_io.check_format(path, metadata, safetensors_io.CHECKPOINT_FORMAT)
    if found != header["model"] or json.loads(metadata.get("user.proxy.config", "null")) != header["runConfig"]:
        raise safetensors_io.SafetensorsError(
            f"'{path}' belongs to another run than this stream's; resume with the same stream, or start in another --out"
        )
    state = {"weights": {}, "m": {}, "v": {}, "step": int(metadata["optimizer_step"])}
    for name, value in tensors.items():
        if name.startswith("optimizer.m."):
            state["m"][name[len("optimizer.m.") :]] = value
        elif name.startswith("optimizer.v."):
            state["v"][name[len("optimizer.v.") :]] = value
        else:
            state["weights"][name] = value
    return state, json.loads(metadata.get("user.proxy.curve", "[]"))


def curve_point(step, flops, tokens, train_loss=None, raw_loss=None, compressed_loss=None, bits_per_byte=None, wall=0.0) -> dict:
    """One point of ``curve.json`` (``CurvePoint``); absent measurements are left out."""
    point = {"step": step, "flops": flops, "tokens": tokens, "wall_seconds": wall}
    for key, value in (
        ("train_loss", train_loss),
        ("raw_loss", raw_loss),
        ("compressed_loss", compressed_loss),
        ("raw_bits_per_byte", bits_per_byte),
    ):
        if value is not None:
            point[key] = value
    return point


def result(header: dict, evaluation: dict, curve: list[dict], tokens_per_second: float, trainer: str) -> dict:
    """``result.json`` (``ProxyRunResult``), from the stream's header and what the run measured."""
    draws = header["draws"]
    compressor = header.get("compressor")
    record = {
        "schema": RESULT_SCHEMA,
        "config": header["runConfig"],
        "vocabulary_size": header["model"]["vocabularySize"],
        "parameters": header["parameters"],
        "flops_per_step": header["flopsPerStep"],
        "flops_formula": header["flopsFormula"],
        "evaluation": evaluation,
        "curve": curve,
        "draw_counts": {"raw": draws["raw"], "compressed": draws["compressed"], "both": draws["both"]},
        "tokens_per_second": tokens_per_second,
        "trainer": trainer,
    }
    if compressor:
        symbols = draws["compressedSymbols"]
        record["compressor"] = {
            "spec": compressor["spec"],
            "alphabet_size": compressor["alphabetSize"],
            "train_bytes_per_symbol": draws["compressedRawBytes"] / symbols if symbols else None,
        }
    return record
