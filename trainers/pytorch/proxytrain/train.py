"""The training loop: the workbench's ``ProxyTrainingRun`` on PyTorch, fed by an exported stream.

Per step s: this rank's rows of the exported batch s; the forward (bf16 autocast on GPU); the
loss sum weight x cross-entropy over both heads, divided by the *global* batch's weight sum (and
multiplied by the world size, since data-parallel gradients are averaged over ranks); backward;
clipping; the learning rate of step s; AdamW. Periodic evaluations, curve points and checkpoints
follow the run's config, as the workbench's trainer does; at the end the whole valid split is
evaluated and the run directory completed (``run_directory``).
"""

from __future__ import annotations

import contextlib
import json
import math
import os
import time

import torch
from torch.distributed.checkpoint.state_dict import (
    StateDictOptions,
    get_model_state_dict,
    get_optimizer_state_dict,
    set_model_state_dict,
    set_optimizer_state_dict,
)

from proxytrain import distributed, evaluation, optim, run_directory
from proxytrain.model import ProxyTransformer, weighted_loss_sums
from proxytrain.stream import TrainingStream

_FULL = StateDictOptions(full_state_dict=True, cpu_offload=True)


class TrainingError(RuntimeError):
    """A run that cannot go on (the loss diverged); the message says what to do."""


def _log(context: distributed.Context, message: str) -> None:
    if context.is_main:
        print(message, flush=True)


def _gather(model, optimizer) -> dict:
    """The full weights and AdamW state on rank 0's CPU (empty on the other ranks); every rank
    must call it (FSDP gathers the shards)."""
    weights = get_model_state_dict(model, options=_FULL)
    state = get_optimizer_state_dict(model, optimizer, options=_FULL).get("state", {})
    step = int(next(iter(state.values()))["step"]) if state else 0
    return {
        "weights": weights,
        "m": {name: state[name]["exp_avg"] for name in weights} if state else {},
        "v": {name: state[name]["exp_avg_sq"] for name in weights} if state else {},
        "step": step,
    }


def _restore(model, optimizer, state: dict) -> None:
    """Loads a checkpoint's weights and AdamW state (read by every rank) into a (possibly
    wrapped) model."""
    full = StateDictOptions(full_state_dict=True)
    set_model_state_dict(model, state["weights"], options=full)
    groups = get_optimizer_state_dict(model, optimizer, options=full)["param_groups"]
    moments = {
        name: {"step": torch.tensor(float(state["step"])), "exp_avg": state["m"][name], "exp_avg_sq": state["v"][name]}
        for name in state["weights"]
    }
    set_optimizer_state_dict(model, optimizer, {"state": moments, "param_groups": groups}, options=full)


def _initial_weights(stream: TrainingStream, init: str | None, context) -> dict | None:
    path = init or stream.initial_weights()
    if path is None:
        _log(context, "no initial weights in the stream (export with --save-initial-weights): fresh weights, seeded")
        return None
    _log(context, f"initial weights: {path}")
    return run_directory.load_weights(path, stream.model_config)


def train(
    stream_path: str,
    out: str,
    init: str | None = None,
    device: str = "auto",
    fsdp: bool = False,
    bf16: bool | None = None,
    resume: bool = False,
    checkpoint_every: int | None = None,
    evaluation_batch: int | None = None,
    max_steps: int | None = None,
) -> dict | None:
    """Trains the stream's run into ``out``; returns the result (rank 0) or None (other ranks)."""
    context = distributed.start(device)
    try:
        return _train(context, stream_path, out, init, fsdp, bf16, resume, checkpoint_every, evaluation_batch, max_steps)
    finally:
        distributed.stop()


def _train(context, stream_path, out, init, fsdp, bf16, resume, checkpoint_every, evaluation_batch, max_steps):
    stream = TrainingStream(stream_path, context.rank, context.world_size)
    header, config = stream.header, stream.run_config
    steps = stream.steps if max_steps is None else min(stream.steps, max_steps)
    checkpoint_every = checkpoint_every or config["checkpoint_every"]
    evaluate_every = config["evaluate_every"]
    evaluation_batch = evaluation_batch or config["batch"]
    use_bf16 = context.device.type == "cuda" if bf16 is None else bf16
    if context.is_main:
        os.makedirs(out, exist_ok=True)
        run_directory.write_json(os.path.join(out, "config.json"), config)

    model = ProxyTransformer(stream.model_config)
    checkpoint_path = os.path.join(out, run_directory.CHECKPOINT)
    state, curve = None, []
    if resume:
        state, curve = run_directory.load_checkpoint(checkpoint_path, header)
        _log(context, f"resuming {out} at step {state['step']}")
    else:
        weights = _initial_weights(stream, init, context)
        if weights is None:
            model.initialize(config["seed"])
        else:
            model.load_state_dict(weights, strict=True)
    model = distributed.wrap(model, context, fsdp)
    optimizer = optim.build_optimizer(model, header["optimizer"]["adamw"], fused=context.device.type == "cuda")
    if state is not None:
        _restore(model, optimizer, state)
    documents = stream.evaluation_documents()
    sample = documents[: stream.evaluation_sample_size()]
    context_length = stream.model_config["contextLength"]
    parallelism = "fsdp" if fsdp and context.world_size > 1 else ("ddp" if context.world_size > 1 else "single process")
    trainer = (
        f"pytorch {torch.__version__}, {context.world_size} x {context.device.type}, {parallelism}, "
        f"{'bf16 autocast' if use_bf16 else 'fp32'}"
    )

    def evaluate(docs):
        return evaluation.evaluate(
            model, docs, context_length, evaluation_batch, context.device, torch.float32, context.rank, context.world_size, context.sum
        )

    flops_per_step = header["flopsPerStep"]
    tokens_per_step = config["batch"] * config["context"]
    max_norm = header["optimizer"]["maxGradientNorm"]
    schedule = header["optimizer"]["schedule"]
    step = state["step"] if state else 0
    elapsed_before = curve[-1]["wall_seconds"] if curve else 0.0
    losses_path = os.path.join(out, "losses.json")
    losses = []
    if resume and os.path.exists(losses_path):
        with open(losses_path, encoding="utf-8") as file:
            losses = [entry for entry in json.load(file) if entry["step"] <= step]
    if step == 0 and not curve and evaluate_every > 0:
        point = evaluate(sample)
        curve.append(run_directory.curve_point(0, 0.0, 0, bits_per_byte=point["raw_bits_per_byte"]))
    start = time.perf_counter()
    step_seconds = 0.0
    steps_here = 0
    window = {"loss": 0.0, "steps": 0, "raw": 0.0, "raw_steps": 0, "compressed": 0.0, "compressed_steps": 0}
    autocast = torch.autocast("cuda", dtype=torch.bfloat16) if use_bf16 else contextlib.nullcontext()
    model.train()
    while step < steps:
        batch = stream.batch(step, context.device)
        began = time.perf_counter()
        rate = optim.learning_rate(schedule, step)
        optim.set_learning_rate(optimizer, rate)
        with autocast:
            logits, logits2 = model(batch["tokens"], batch["document_ids"])
        total, weight, ce = weighted_loss_sums(logits, logits2, batch)
        weight_total = context.sum(weight.detach())
        loss = total * context.world_size / weight_total
        optimizer.zero_grad(set_to_none=True)
        loss.backward()
        norm = optim.clip_gradients(model, max_norm)
        step_loss = float(context.sum(total.detach()) / weight_total)
        if not (math.isfinite(step_loss) and math.isfinite(norm)):
            raise TrainingError(
                f"the loss diverged at step {step} (loss {step_loss}, gradient norm {norm}); the last good checkpoint is kept in {out}"
            )
        optimizer.step()
        if context.device.type == "cuda":
            torch.cuda.synchronize()
        step_seconds += time.perf_counter() - began
        steps_here += 1
        step += 1
        losses.append({"step": step, "loss": step_loss, "learning_rate": rate, "gradient_norm": norm})
        # The loss split by the target's view, main head only (the workbench's lossByView).
        scored = batch["weights"] > 0
        views = torch.stack(
            [
                torch.stack([(ce.detach() * (scored & (batch["target_views"] == view))).sum(), (scored & (batch["target_views"] == view)).sum()])
                for view in (1, 2)
            ]
        ).double()
        views = context.sum(views)
        window["loss"] += step_loss
        window["steps"] += 1
        for key, (total_view, count) in zip(("raw", "compressed"), views.tolist()):
            if count > 0:
                window[key] += total_view / count
                window[key + "_steps"] += 1
        evaluate_now = evaluate_every > 0 and step % evaluate_every == 0 and step < stream.steps
        if evaluate_now or step % checkpoint_every == 0 or step == steps:
            bits = evaluate(sample)["raw_bits_per_byte"] if evaluate_now else None
            curve.append(
                run_directory.curve_point(
                    step,
                    step * flops_per_step,
                    step * tokens_per_step,
                    window["loss"] / max(1, window["steps"]),
                    window["raw"] / window["raw_steps"] if window["raw_steps"] else None,
                    window["compressed"] / window["compressed_steps"] if window["compressed_steps"] else None,
                    bits,
                    elapsed_before + time.perf_counter() - start,
                )
            )
            _log(context, f"step {step}/{stream.steps}  loss {window['loss'] / max(1, window['steps']):.4f}  lr {rate:.3g}")
            window = dict.fromkeys(window, 0.0)
            gathered = _gather(model, optimizer)
            if context.is_main:
                run_directory.save_checkpoint(checkpoint_path, gathered, header, curve)
                run_directory.write_json(os.path.join(out, "curve.json"), curve)
                run_directory.write_json(losses_path, losses)
            context.barrier()
    model.eval()
    final = evaluate(documents)
    _log(context, f"final evaluation: {final['raw_bits_per_byte']:.4f} raw bits per byte over {final['bytes']} bytes")
    if curve and curve[-1]["step"] == step:
        curve[-1]["raw_bits_per_byte"] = final["raw_bits_per_byte"]
    weights = get_model_state_dict(model, options=_FULL)
    if not context.is_main:
        return None
    tokens_per_second = tokens_per_step * steps_here / step_seconds if step_seconds > 0 else 0.0
    record = run_directory.result(header, final, curve, tokens_per_second, trainer)
    run_directory.save_model(os.path.join(out, run_directory.MODEL), weights, stream.model_config, config)
    run_directory.write_json(os.path.join(out, "curve.json"), curve)
    run_directory.write_json(losses_path, losses)
    run_directory.write_json(os.path.join(out, "result.json"), record)
    return record
