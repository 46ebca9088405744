"""The command line: ``proxytrain train`` (under torchrun or alone) and ``proxytrain eval``.

Errors that come from the input (a missing stream, a damaged file, a world size that does not
divide the batch) are one line on standard error and exit status 1; usage errors exit 2
(argparse's convention, as ``python -m`` tools do).
"""

from __future__ import annotations

import argparse
import json
import sys

import torch

from proxytrain import evaluation, run_directory, safetensors_io
from proxytrain.model import ProxyTransformer
from proxytrain.safetensors_io import SafetensorsError
from proxytrain.stream import StreamError, TrainingStream
from proxytrain.train import TrainingError, train


def _parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="proxytrain", description=__doc__.splitlines()[0])
    commands = parser.add_subparsers(dest="command", required=True)
    run = commands.add_parser(
        "train",
        help="train the run of an exported stream into a run directory",
        description="Train the run of a training stream (workbench export --format training-stream); "
        "launch with torchrun --nproc-per-node N for N processes (one per GPU, or CPU processes with gloo).",
    )
    run.add_argument("--stream", required=True, help="the export's --out: a prefix (or its .json), or a shard directory")
    run.add_argument("--out", required=True, help="the run directory to write")
    run.add_argument("--init", help="initial weights (default: the export's --save-initial-weights file, else fresh seeded weights)")
    run.add_argument("--device", choices=["auto", "cpu", "cuda"], default="auto")
    run.add_argument("--fsdp", action="store_true", help="shard the model with FSDP instead of replicating it (DDP)")
    precision = run.add_mutually_exclusive_group()
    precision.add_argument("--bf16", dest="bf16", action="store_true", default=None, help="bf16 autocast (default on CUDA)")
    precision.add_argument("--fp32", dest="bf16", action="store_false", help="float32 throughout (default on CPU)")
    run.add_argument("--resume", action="store_true", help="continue from --out's checkpoint.safetensors")
    run.add_argument("--checkpoint-every", type=int, help="steps between checkpoints (default: the run config's)")
    run.add_argument("--evaluation-batch", type=int, help="windows per evaluation forward pass (default: the batch)")
    run.add_argument("--max-steps", type=int, help="stop after this many steps (tests; the schedule is the run's)")
    score = commands.add_parser(
        "eval", help="raw-byte bits per byte of weights on a stream's evaluation documents, as workbench eval"
    )
    score.add_argument("--weights", required=True, help="a weights file (model.safetensors) or a run directory")
    score.add_argument("--stream", required=True, help="the export whose valid split is scored")
    score.add_argument("--batch", type=int, default=8, help="windows per forward pass")
    score.add_argument("--dtype", choices=["float32", "float64"], default="float64", help="the forward's precision")
    return parser


def evaluate_weights(weights_path: str, stream_path: str, batch: int = 8, dtype: torch.dtype = torch.float64) -> dict:
    """``workbench eval`` of a weights file on the stream's evaluation documents."""
    if not weights_path.endswith(".safetensors"):
        weights_path = weights_path.rstrip("/") + "/" + run_directory.MODEL
    stream = TrainingStream(stream_path)
    tensors, metadata = safetensors_io.read(weights_path)
    config = safetensors_io.check_format(weights_path, metadata, safetensors_io.WEIGHTS_FORMAT)
    model = ProxyTransformer(config)
    model.load_state_dict(tensors, strict=True)
    model.to(dtype).eval()
    return evaluation.evaluate(model, stream.evaluation_documents(), config["contextLength"], batch, "cpu", dtype)


def main(argv: list[str] | None = None) -> int:
    """Runs one command; returns the exit status (0, 1 for an input error, 2 for usage)."""
    arguments = _parser().parse_args(argv)
    try:
        if arguments.command == "train":
            for name in ("checkpoint_every", "evaluation_batch", "max_steps"):
                value = getattr(arguments, name)
                if value is not None and value < 1:
                    print(f"error: --{name.replace('_', '-')} must be at least 1, got {value}", file=sys.stderr)
                    return 2
            train(
                arguments.stream,
                arguments.out,
                arguments.init,
                arguments.device,
                arguments.fsdp,
                arguments.bf16,
                arguments.resume,
                arguments.checkpoint_every,
                arguments.evaluation_batch,
                arguments.max_steps,
            )
        else:
            dtype = torch.float64 if arguments.dtype == "float64" else torch.float32
            print(json.dumps(evaluate_weights(arguments.weights, arguments.stream, arguments.batch, dtype), indent=2, sort_keys=True))
    except (StreamError, SafetensorsError, TrainingError, OSError) as error:
        print(f"error: {error}", file=sys.stderr)
        return 1
    return 0
