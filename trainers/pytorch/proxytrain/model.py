"""The NeuralEngine architecture in PyTorch (see the workbench's ``ModelConfig``).

A decoder-only transformer: token embedding ``wte`` (V, C) and no learned positions; ``layers``
pre-norm blocks ``x += proj(attn(rmsnorm(x)))`` and ``x += mlp.proj(gelu(mlp.fc(rmsnorm(x))))``;
RMSNorm with a gain and no bias; no biases anywhere; GELU with the tanh approximation; a final
RMSNorm, an untied head (V, C) and, with ``extraHead``, a second head ``head2`` predicting the
token after next. Positions are rotary (RoPE, "rotate half": dimension i pairs with i + hs/2, angle
pos * base^(-2i/hs), tables computed in float64 and rounded to float32) and count from the start
of each packed document; attention is causal and limited to the position's document. Parameter
names are the workbench's safetensors names, so ``state_dict()`` loads and saves its files as is.
"""

from __future__ import annotations

import math

import torch
import torch.nn.functional as F
from torch import nn


def document_starts(document_ids: torch.Tensor) -> torch.Tensor:
    """(B, T) int64: the first position of each position's document, the start of its run of
    equal ids (an id that reappears after another starts a new document, as in the workbench)."""
    positions = torch.arange(document_ids.shape[1], device=document_ids.device).expand_as(document_ids)
    new = torch.ones_like(document_ids, dtype=torch.bool)
    new[:, 1:] = document_ids[:, 1:] != document_ids[:, :-1]
    return torch.where(new, positions, torch.zeros_like(positions)).cummax(dim=1).values


def attention_mask(starts: torch.Tensor) -> torch.Tensor:
    """(B, 1, T, T) bool, True where query i may attend to key j: j <= i within i's document."""
    t = starts.shape[1]
    keys = torch.arange(t, device=starts.device)
    queries = keys[:, None]
    return ((keys[None, :] <= queries)[None] & (keys[None, None, :] >= starts[:, :, None]))[:, None]


class RMSNorm(nn.Module):
    """x / sqrt(mean(x^2) + eps) * weight."""

    def __init__(self, width: int, eps: float):
        super().__init__()
        self.eps = eps
        self.weight = nn.Parameter(torch.ones(width))

    def forward(self, x: torch.Tensor) -> torch.Tensor:
        return x * torch.rsqrt(x.pow(2).mean(-1, keepdim=True) + self.eps) * self.weight


class RotaryTables:
    """cos and sin (positions, hs/2) computed in float64 and rounded to float32, as the engine's.

    Plain tensors, not module buffers: they are a function of the config, never saved, and so
    not synchronized or sharded by DDP and FSDP; each device gets its own copy on first use."""

    def __init__(self, head_size: int, base: float, positions: int):
        self.head_size, self.base = head_size, base
        self._tables: dict[torch.device, tuple[torch.Tensor, torch.Tensor]] = {}
        self._extend(positions)

    def _extend(self, positions: int) -> None:
        half = self.head_size // 2
        inverse = self.base ** (-2.0 * torch.arange(half, dtype=torch.float64) / self.head_size)
        angles = torch.arange(positions, dtype=torch.float64)[:, None] * inverse
        self.positions = positions
        self._tables = {torch.device("cpu"): (angles.cos().float(), angles.sin().float())}

    def __call__(self, positions: torch.Tensor, dtype: torch.dtype) -> tuple[torch.Tensor, torch.Tensor]:
        """cos and sin at ``positions`` (B, T), all below T, as (B, 1, T, hs/2) in ``dtype``."""
        if positions.shape[1] > self.positions:
            self._extend(positions.shape[1])
        if positions.device not in self._tables:
            cos, sin = self._tables[torch.device("cpu")]
            self._tables[positions.device] = (cos.to(positions.device), sin.to(positions.device))
        cos, sin = self._tables[positions.device]
        return cos[positions][:, None].to(dtype), sin[positions][:, None].to(dtype)


def rotate(x: torch.Tensor, cos: torch.Tensor, sin: torch.Tensor) -> torch.Tensor:
    """RoPE on (B, NH, T, hs): each pair (i, i + hs/2) rotated by its position's angle."""
    half = x.shape[-1] // 2
    first, second = x[..., :half], x[..., half:]
    return torch.cat([first * cos - second * sin, second * cos + first * sin], dim=-1)


class Attention(nn.Module):
    """Multi-head attention; qkv (3C, C) holds all queries, then all keys, then all values."""

    def __init__(self, width: int, heads: int):
        super().__init__()
        self.heads = heads
        self.qkv = nn.Linear(width, 3 * width, bias=False)
        self.proj = nn.Linear(width, width, bias=False)

    def forward(self, x, cos, sin, mask):
        b, t, c = x.shape
        q, k, v = (part.view(b, t, self.heads, c // self.heads).transpose(1, 2) for part in self.qkv(x).split(c, dim=-1))
        q, k = rotate(q, cos, sin), rotate(k, cos, sin)
        y = F.scaled_dot_product_attention(q, k, v, attn_mask=mask)
        return self.proj(y.transpose(1, 2).reshape(b, t, c))


class MLP(nn.Module):
    """fc (H, C), tanh-GELU, proj (C, H)."""

    def __init__(self, width: int, hidden: int):
        super().__init__()
        self.fc = nn.Linear(width, hidden, bias=False)
        self.proj = nn.Linear(hidden, width, bias=False)

    def forward(self, x):
        return self.proj(F.gelu(self.fc(x), approximate="tanh"))


class Block(nn.Module):
    """One pre-norm transformer block."""

    def __init__(self, config: dict):
        super().__init__()
        width = config["width"]
        self.norm1 = RMSNorm(width, config["normEpsilon"])
        self.attn = Attention(width, config["heads"])
        self.norm2 = RMSNorm(width, config["normEpsilon"])
        self.mlp = MLP(width, width * config["mlpMultiplier"])

    def forward(self, x, cos, sin, mask):
        x = x + self.attn(self.norm1(x), cos, sin, mask)
        return x + self.mlp(self.norm2(x))


class ProxyTransformer(nn.Module):
    """The whole model; ``config`` is the workbench's ModelConfig as a dict (camelCase keys)."""

    def __init__(self, config: dict):
        super().__init__()
        self.config = dict(config)
        width, vocabulary = config["width"], config["vocabularySize"]
        self.wte = nn.Embedding(vocabulary, width)
        self.blocks = nn.ModuleList(Block(config) for _ in range(config["layers"]))
        self.norm_f = RMSNorm(width, config["normEpsilon"])
        self.head = nn.Linear(width, vocabulary, bias=False)
        self.head2 = nn.Linear(width, vocabulary, bias=False) if config.get("extraHead") else None
        self.rotary = RotaryTables(width // config["heads"], float(config["ropeBase"]), config["contextLength"])

    def forward(self, tokens: torch.Tensor, document_ids: torch.Tensor | None = None):
        """Logits of the head and of the extra head (None without one), (B, T, V) each.

        ``document_ids`` (B, T) packs documents: each position sees only its own document, and
        its RoPE position counts from the document's start; None is plain causal attention."""
        if document_ids is None:
            document_ids = torch.zeros_like(tokens)
        starts = document_starts(document_ids)
        positions = torch.arange(tokens.shape[1], device=tokens.device)[None] - starts
        x = self.wte(tokens)
        cos, sin = self.rotary(positions, x.dtype)
        mask = attention_mask(starts)
        for block in self.blocks:
            x = block(x, cos, sin, mask)
        x = self.norm_f(x)
        return self.head(x), (self.head2(x) if self.head2 is not None else None)

    @torch.no_grad()
    def initialize(self, seed: int) -> None:
        """Fresh weights with the workbench's distribution (GPT-2 style): normal(0, 0.02) for the
        embedding and matrices, 0.02 / sqrt(2 layers) for the residual output projections, gains
        1. The values differ from the workbench's (another generator): to start from the very
        same weights, load ``initial.safetensors`` (``--save-initial-weights``)."""
        generator = torch.Generator().manual_seed(seed)
        residual = 0.02 / math.sqrt(2 * self.config["layers"])
        for name, parameter in self.named_parameters():
            if parameter.ndim == 1:
                parameter.fill_(1.0)
                continue
            std = residual if name.endswith("attn.proj.weight") or name.endswith("mlp.proj.weight") else 0.02
            parameter.copy_(torch.randn(parameter.shape, generator=generator) * std)


def parameter_count(config: dict) -> int:
    """Every parameter, as the workbench counts them (``ModelConfig.parameterCount``)."""
    c, v, h = config["width"], config["vocabularySize"], config["width"] * config["mlpMultiplier"]
    per_layer = 2 * c + 4 * c * c + 2 * c * h
    return v * c + config["layers"] * per_layer + c + v * c * (2 if config.get("extraHead") else 1)


def weighted_loss_sums(logits, logits2, batch: dict) -> tuple[torch.Tensor, torch.Tensor, torch.Tensor]:
    """Sums of weight x cross-entropy (main head plus extra head), their weight sum, and the
    per-position main-head cross-entropy (B, T). The loss is the first divided by the second,
    over the global batch: the workbench's normalization (``TrainingBatch``)."""
    vocabulary = logits.shape[-1]
    ce = F.cross_entropy(logits.float().reshape(-1, vocabulary), batch["targets"].reshape(-1), reduction="none")
    ce = ce.view_as(batch["weights"])
    total = (batch["weights"] * ce).sum()
    weight = batch["weights"].sum()
    if logits2 is not None and "extra_targets" in batch:
        ce2 = F.cross_entropy(logits2.float().reshape(-1, vocabulary), batch["extra_targets"].reshape(-1), reduction="none")
        total = total + (batch["extra_weights"] * ce2.view_as(batch["extra_weights"])).sum()
        weight = weight + batch["extra_weights"].sum()
    return total, weight, ce
