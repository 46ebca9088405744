"""Two processes under torchrun on the CPU (gloo): DDP reading the sharded export, FSDP reading
the unsharded one; both take the workbench trainer's steps."""

import os
import socket
import subprocess
import sys

import pytest
from conftest import ROOT, fixture, load_json, relative


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def _torchrun(out: str, stream: str, *options: str) -> None:
    command = [
        sys.executable, "-m", "torch.distributed.run", "--nproc-per-node", "2", "--master-addr", "127.0.0.1",
        "--master-port", str(_free_port()), "-m", "proxytrain", "train", "--stream", stream, "--out", out,
        "--init", fixture("stream.initial.safetensors"), "--device", "cpu", "--checkpoint-every", "25", *options,
    ]
    environment = dict(os.environ, PYTHONPATH=ROOT, OMP_NUM_THREADS="1")
    finished = subprocess.run(command, cwd=ROOT, env=environment, capture_output=True, text=True, timeout=600)
    assert finished.returncode == 0, finished.stderr[-4000:]


@pytest.mark.parametrize("parallelism, stream", [("ddp", "shards"), ("fsdp", "stream")])
def test_two_processes_take_the_workbench_trainer_s_steps(tmp_path, swift_losses, parallelism, stream):
    out = str(tmp_path / parallelism)
    _torchrun(out, fixture(stream), *(["--fsdp"] if parallelism == "fsdp" else []))
    losses = [entry["loss"] for entry in load_json(out, "losses.json")]
    table = ", ".join(f"step {s}: {losses[s - 1]:.6f} (workbench {swift_losses[s - 1]:.6f})" for s in (1, 10, 25, 50))
    print(f"torchrun 2 x cpu {parallelism}: {table}")
    assert len(losses) == 50
    assert max(relative(mine, theirs) for mine, theirs in zip(losses, swift_losses)) < 1e-4
    result = load_json(out, "result.json")
    assert result["trainer"].endswith(f"2 x cpu, {parallelism}, fp32")
