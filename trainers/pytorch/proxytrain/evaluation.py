"""Raw-byte bits per byte of held-out documents, as ``workbench eval`` computes it.

A document is scored as ``bos <raw> b1 ... bn </raw>`` (ids 1, 12, 64 + b, 13) and only the byte
targets (token indices 2 ... n+1) count. Windows of up to T inputs (the model's context) start
every T/2 tokens; each scores only targets no earlier window scored, so every byte is scored
exactly once with at least T/2 tokens of context, or its whole prefix (the engine's
``EvaluationWindow``). bits per byte = sum of -ln p over byte targets / ln 2 / bytes.
"""

from __future__ import annotations

import math

import torch
import torch.nn.functional as F

BOS, RAW_OPEN, RAW_CLOSE, BYTE_OFFSET = 1, 12, 13, 64
FIRST_BYTE_INDEX = 2


def tokens_for(document: bytes) -> list[int]:
    """The token ids of a held-out document."""
    return [BOS, RAW_OPEN] + [BYTE_OFFSET + b for b in document] + [RAW_CLOSE]


def windows(byte_count: int, context: int, stride: int | None = None) -> list[tuple[int, int, int, int]]:
    """(start, length, first scored target, one past the last) of every window of a document."""
    if byte_count <= 0 or context <= 0:
        return []
    step = max(1, min(context, stride if stride is not None else max(1, context // 2)))
    token_count = byte_count + 3
    last_target = FIRST_BYTE_INDEX + byte_count - 1
    result = []
    scored_up_to = FIRST_BYTE_INDEX - 1
    start = 0
    while scored_up_to < last_target:
        length = min(context, token_count - 1 - start)
        last = min(start + length, last_target)
        if last > scored_up_to:
            result.append((start, length, scored_up_to + 1, last + 1))
            scored_up_to = last
        start += step
    return result


@torch.no_grad()
def evaluate(
    model: torch.nn.Module,
    documents: list[bytes],
    context: int,
    batch_size: int = 8,
    device: torch.device | str = "cpu",
    dtype: torch.dtype = torch.float32,
    rank: int = 0,
    world_size: int = 1,
    all_reduce=None,
) -> dict:
    """Scores ``documents``; returns the workbench's ``RawByteEvaluation`` fields.

    With several ranks each scores every ``world_size``-th window and ``all_reduce`` (a function
    summing a float64 tensor across ranks) adds the nats; every rank runs the same number of
    forward passes (sharded models need all ranks in each). ``dtype`` is the forward's: float64
    reproduces the engine's float32 evaluation to about 1e-7."""
    non_empty = [document for document in documents if document]
    jobs = []
    for document in non_empty:
        tokens = tokens_for(document)
        jobs += [(tokens, window) for window in windows(len(document), context)]
    mine = jobs[rank::world_size]
    passes = math.ceil(math.ceil(len(jobs) / world_size) / batch_size)
    total = torch.zeros((), dtype=torch.float64, device=device)
    for index in range(passes):
        rows = mine[index * batch_size : (index + 1) * batch_size]
        tokens = torch.zeros((max(1, len(rows)), context), dtype=torch.int64)
        targets = torch.zeros_like(tokens)
        weights = torch.zeros((tokens.shape[0], context), dtype=torch.float64)
        for row, (ids, (start, length, lower, upper)) in enumerate(rows):
            tokens[row, :length] = torch.tensor(ids[start : start + length])
            targets[row, :length] = torch.tensor(ids[start + 1 : start + length + 1])
            weights[row, lower - start - 1 : upper - start - 1] = 1
        tokens, targets, weights = tokens.to(device), targets.to(device), weights.to(device)
        with torch.autocast(device_type=torch.device(device).type, enabled=False):
            logits, _ = model(tokens)
        ce = F.cross_entropy(logits.to(dtype).reshape(-1, logits.shape[-1]), targets.reshape(-1), reduction="none")
        total += (ce.double() * weights.reshape(-1)).sum()
    if all_reduce is not None and world_size > 1:
        total = all_reduce(total)
    byte_count = sum(len(document) for document in non_empty)
    nats = float(total)
    return {
        "documents": len(non_empty),
        "bytes": byte_count,
        "total_nats": nats,
        "raw_bits_per_byte": nats / math.log(2) / byte_count if byte_count else 0.0,
        "windows": len(jobs),
    }
