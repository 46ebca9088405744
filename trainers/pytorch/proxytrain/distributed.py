"""Processes and devices: one process per device under ``torchrun``, or a single process.

``torchrun --nproc-per-node N`` sets ``RANK``, ``WORLD_SIZE`` and ``LOCAL_RANK``; each process
drives one GPU (NCCL) or, without GPUs, a share of the CPU (gloo). The model is replicated with
DistributedDataParallel, or sharded with FSDP (``fully_shard``, one unit per block) when it does
not fit one device; either way the ranks' gradients are averaged, so each rank normalizes its
loss by the global batch's weight sum times the world size (``train``).
"""

from __future__ import annotations

import os
from dataclasses import dataclass

import torch
import torch.distributed as dist


@dataclass
class Context:
    """Where this process runs: its rank, the world size and its device."""

    rank: int
    world_size: int
    local_rank: int
    device: torch.device

    @property
    def is_main(self) -> bool:
        """Whether this process writes the run's files and logs."""
        return self.rank == 0

    def sum(self, tensor: torch.Tensor) -> torch.Tensor:
        """``tensor`` summed over the ranks (itself in a single process)."""
        if self.world_size > 1:
            tensor = tensor.clone()
            dist.all_reduce(tensor, op=dist.ReduceOp.SUM)
        return tensor

    def barrier(self) -> None:
        """Waits for every rank."""
        if self.world_size > 1:
            dist.barrier()


def start(device: str = "auto") -> Context:
    """Joins the process group when launched by torchrun; picks the device (``auto``: this
    rank's GPU when CUDA is available, else the CPU)."""
    world_size = int(os.environ.get("WORLD_SIZE", "1"))
    rank = int(os.environ.get("RANK", "0"))
    local_rank = int(os.environ.get("LOCAL_RANK", "0"))
    use_cuda = torch.cuda.is_available() if device == "auto" else device == "cuda"
    if use_cuda and not torch.cuda.is_available():
        raise SystemExit("error: --device cuda but CUDA is not available (install a CUDA build of torch; trainers/pytorch/README.md)")
    chosen = torch.device("cuda", local_rank) if use_cuda else torch.device("cpu")
    if use_cuda:
        torch.cuda.set_device(chosen)
    if world_size > 1 and not dist.is_initialized():
        dist.init_process_group(backend="nccl" if use_cuda else "gloo")
    return Context(rank=rank, world_size=world_size, local_rank=local_rank, device=chosen)


def stop() -> None:
    """Leaves the process group."""
    if dist.is_initialized():
        dist.destroy_process_group()


def wrap(model: torch.nn.Module, context: Context, fsdp: bool) -> torch.nn.Module:
    """The model ready for data-parallel training on ``context.device``: as is in a single
    process, DDP-replicated, or FSDP-sharded (each block a unit, then the root)."""
    model.to(context.device)
    if context.world_size == 1:
        return model  # nothing to replicate or shard
    if fsdp:
        from torch.distributed.fsdp import fully_shard

        for block in model.blocks:
            fully_shard(block)
        fully_shard(model)
        return model
    from torch.nn.parallel import DistributedDataParallel

    device_ids = [context.device.index] if context.device.type == "cuda" else None
    return DistributedDataParallel(model, device_ids=device_ids)


def unwrap(model: torch.nn.Module) -> torch.nn.Module:
    """The module inside a DDP wrapper (an FSDP model is its own module)."""
    return getattr(model, "module", model)
