"""The step-by-step match: from the same initial weights and the same exported stream, PyTorch
on the CPU in fp32 takes the workbench trainer's 50 steps to within 1e-4 relative, and its run
directory is one the workbench reads."""

import torch
from conftest import fixture, load_json, relative

from proxytrain import run_directory, safetensors_io
from proxytrain.train import train


def test_fifty_steps_match_the_workbench_trainer(tmp_path, swift_losses):
    out = str(tmp_path / "run")
    result = train(fixture("stream"), out, device="cpu", bf16=False, checkpoint_every=25)
    losses = [entry["loss"] for entry in load_json(out, "losses.json")]
    worst = max(relative(mine, theirs) for mine, theirs in zip(losses, swift_losses))
    print(f"50-step loss match: max relative difference {worst:.3g}")
    assert len(losses) == 50 and worst < 1e-4
    swift = load_json("run", "result.json")
    assert relative(result["evaluation"]["raw_bits_per_byte"], swift["evaluation"]["raw_bits_per_byte"]) < 1e-4
    # The run directory: what `workbench eval` and `report` read.
    assert result["schema"] == "workbench.train/1" and result["config"] == swift["config"]
    assert result["draw_counts"] == swift["draw_counts"] and result["flops_per_step"] == swift["flops_per_step"]
    assert result["compressor"]["spec"] == swift["compressor"]["spec"]
    assert [point["step"] for point in load_json(out, "curve.json")] == [25, 50]
    tensors, metadata = safetensors_io.read(out + "/model.safetensors")
    assert safetensors_io.check_format(out, metadata, safetensors_io.WEIGHTS_FORMAT) == load_json("stream.json")["model"]
    state, curve = run_directory.load_checkpoint(out + "/checkpoint.safetensors", load_json("stream.json"))
    assert state["step"] == 50 and len(curve) == 2 and set(state["m"]) == set(tensors)


def test_a_resumed_run_continues_exactly(tmp_path, swift_losses):
    out = str(tmp_path / "run")
    train(fixture("stream"), out, device="cpu", bf16=False, checkpoint_every=5, max_steps=10)
    train(fixture("stream"), out, device="cpu", bf16=False, checkpoint_every=5, resume=True, max_steps=15)
    losses = [entry["loss"] for entry in load_json(out, "losses.json")]
    assert len(losses) == 15
    assert max(relative(mine, theirs) for mine, theirs in zip(losses, swift_losses)) < 1e-4
