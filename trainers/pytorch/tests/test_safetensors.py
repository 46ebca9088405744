"""The workbench's safetensors files: read, checked, and written byte for byte as NeuralEngine writes them."""

import pytest
import torch
from conftest import fixture

from proxytrain import safetensors_io


def test_rewriting_a_workbench_file_gives_the_same_bytes():
    path = fixture("stream.initial.safetensors")
    tensors, metadata = safetensors_io.read(path)
    with open(path, "rb") as file:
        original = file.read()
    metadata.pop("checksum")
    assert safetensors_io.serialize(tensors, metadata) == original


def test_a_flipped_bit_is_refused(tmp_path):
    with open(fixture("stream.initial.safetensors"), "rb") as file:
        image = bytearray(file.read())
    image[-5] ^= 0x10
    damaged = tmp_path / "damaged.safetensors"
    damaged.write_bytes(bytes(image))
    with pytest.raises(safetensors_io.SafetensorsError, match="checksum mismatch"):
        safetensors_io.read(str(damaged))


def test_written_files_read_back_and_carry_the_format(tmp_path):
    path = str(tmp_path / "w.safetensors")
    config = {"vocabularySize": 3, "width": 2}
    tensors = {"a.weight": torch.arange(6, dtype=torch.float32).view(3, 2), "b.weight": torch.ones(2)}
    safetensors_io.write(path, tensors, safetensors_io.weights_metadata(config))
    read, metadata = safetensors_io.read(path)
    assert safetensors_io.check_format(path, metadata, safetensors_io.WEIGHTS_FORMAT) == config
    assert all(torch.equal(read[name], tensors[name]) for name in tensors)
    with pytest.raises(safetensors_io.SafetensorsError, match="expected 'workbench.neuralengine.checkpoint'"):
        safetensors_io.check_format(path, metadata, safetensors_io.CHECKPOINT_FORMAT)
