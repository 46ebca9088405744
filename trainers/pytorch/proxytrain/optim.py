"""AdamW, the learning-rate schedule and gradient clipping, as the workbench's ``TrainingSession``.

Per step: gradients of the weighted mean loss; their global L2 norm clipped to
``maxGradientNorm`` (``clip_grad_norm_``: coefficient max / (norm + 1e-6) when below 1); the
learning rate of the step from the schedule (linear warm-up to the peak, then a cosine to the
minimum at ``totalSteps``); then AdamW (PyTorch's semantics, which the engine reproduces) with
decoupled weight decay on the embedding and every matrix, not on the norm gains.
"""

from __future__ import annotations

import math
import struct

import torch


def _f32(value: float) -> float:
    """``value`` rounded to float32, as the engine computes the schedule."""
    return struct.unpack("<f", struct.pack("<f", value))[0]


def learning_rate(schedule: dict, step: int) -> float:
    """The rate of 0-based ``step`` under the engine's ``LearningRateSchedule`` (JSON keys
    ``maxLearningRate``, ``minLearningRate``, ``warmupSteps``, ``totalSteps``), with its float32
    rounding."""
    peak, floor = _f32(schedule["maxLearningRate"]), _f32(schedule["minLearningRate"])
    warmup, total = schedule["warmupSteps"], schedule["totalSteps"]
    if step < warmup:
        return _f32(_f32(peak * _f32(step + 1)) / _f32(warmup))
    progress = min(1.0, (step - warmup) / max(1, total - warmup))
    cosine = 0.5 * (1 + math.cos(math.pi * progress))
    return _f32(floor + _f32(_f32(cosine) * _f32(peak - floor)))


def decays(parameter: torch.Tensor) -> bool:
    """Whether weight decay applies: the embedding and matrices yes, norm gains (1-D) no."""
    return parameter.ndim >= 2


def build_optimizer(model: torch.nn.Module, adamw: dict, fused: bool = False) -> torch.optim.AdamW:
    """AdamW over ``model``'s parameters with the engine's hyperparameters (JSON keys ``beta1``,
    ``beta2``, ``epsilon``, ``weightDecay``); the rate is set per step by ``set_learning_rate``."""
    decayed, plain = [], []
    for parameter in model.parameters():
        (decayed if decays(parameter) else plain).append(parameter)
    groups = [{"params": decayed, "weight_decay": adamw["weightDecay"]}, {"params": plain, "weight_decay": 0.0}]
    options = {"fused": True} if fused else {}
    return torch.optim.AdamW(groups, lr=0.0, betas=(adamw["beta1"], adamw["beta2"]), eps=adamw["epsilon"], **options)


def set_learning_rate(optimizer: torch.optim.Optimizer, rate: float) -> None:
    """Sets every group's rate for the coming step."""
    for group in optimizer.param_groups:
        group["lr"] = rate


def clip_gradients(model: torch.nn.Module, max_norm: float) -> float:
    """Clips the global gradient norm to ``max_norm``; returns the norm before clipping. Works on
    plain, DDP and FSDP models (FSDP's sharded norm is reduced across ranks)."""
    norm = torch.nn.utils.clip_grad_norm_(model.parameters(), max_norm)
    if hasattr(norm, "full_tensor"):  # a DTensor under FSDP
        norm = norm.full_tensor()
    return float(norm)
