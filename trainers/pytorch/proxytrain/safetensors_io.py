"""The workbench's safetensors files: read and written byte-compatibly with NeuralEngine.

A safetensors file is an 8-byte little-endian header length, a JSON header (tensor name ->
dtype, shape, byte offsets, plus a ``__metadata__`` map of strings) and the raw little-endian
data. The workbench adds to ``__metadata__``:

- ``format``: ``workbench.neuralengine.weights`` or ``workbench.neuralengine.checkpoint``;
- ``format_version``: ``2``;
- ``config``: the model config as JSON (camelCase keys, as ``ModelConfig`` encodes it);
- ``checksum``: ``crc32:xxxxxxxx``, the CRC-32 (zlib's) of the whole file with those 8 hex
  digits read as ASCII ``0``s. The workbench refuses a version-2 file without it, so every file
  written here carries it.

Checkpoints hold the weights under their names, AdamW's moments under ``optimizer.m.`` and
``optimizer.v.``, and ``adamw``, ``schedule``, ``optimizer_step``, ``max_gradient_norm`` (the
float32 bit pattern as a decimal integer) and ``rng_state`` in the metadata, plus caller keys
under ``user.``.
"""

from __future__ import annotations

import json
import os
import struct
import sys
import zlib

import torch

WEIGHTS_FORMAT = "workbench.neuralengine.weights"
CHECKPOINT_FORMAT = "workbench.neuralengine.checkpoint"
FORMAT_VERSION = 2
_MARKER = b'"checksum":"crc32:'
_DTYPES = {"F32": (torch.float32, 4), "F64": (torch.float64, 8), "I32": (torch.int32, 4), "I64": (torch.int64, 8)}

if sys.byteorder != "little":  # pragma: no cover - every supported platform is little-endian
    raise ImportError("proxytrain reads and writes little-endian files and needs a little-endian machine")


class SafetensorsError(ValueError):
    """A file that is not a readable workbench safetensors file; the message names it."""


def serialize(tensors: dict[str, torch.Tensor], metadata: dict[str, str]) -> bytes:
    """Returns the image of a safetensors file: float32 tensors in the given order, the
    metadata (keys sorted, as the workbench writes them) and the whole-file checksum."""
    meta = dict(metadata)
    meta["checksum"] = "crc32:00000000"
    header: dict[str, object] = {"__metadata__": {key: meta[key] for key in sorted(meta)}}
    flat = []
    offset = 0
    for name, tensor in tensors.items():
        values = tensor.detach().to(device="cpu", dtype=torch.float32).contiguous().reshape(-1)
        header[name] = {"dtype": "F32", "shape": list(tensor.shape), "data_offsets": [offset, offset + 4 * values.numel()]}
        flat.append(values)
        offset += 4 * values.numel()
    text = json.dumps(header, separators=(",", ":"), ensure_ascii=False).encode("utf-8")
    text += b" " * (-len(text) % 8)
    image = bytearray(8 + len(text) + offset)
    image[0:8] = struct.pack("<Q", len(text))
    image[8 : 8 + len(text)] = text
    position = 8 + len(text)
    for values in flat:
        if values.numel():
            torch.frombuffer(image, dtype=torch.float32, count=values.numel(), offset=position).copy_(values)
        position += 4 * values.numel()
    digits = 8 + text.index(_MARKER) + len(_MARKER)
    image[digits : digits + 8] = b"%08x" % zlib.crc32(image)
    return bytes(image)


def write(path: str, tensors: dict[str, torch.Tensor], metadata: dict[str, str]) -> None:
    """Writes a file atomically: a temporary sibling, flushed, then renamed over ``path``."""
    image = serialize(tensors, metadata)
    temporary = os.path.join(os.path.dirname(os.path.abspath(path)), f".{os.path.basename(path)}.tmp-{os.getpid()}")
    try:
        with open(temporary, "wb") as file:
            file.write(image)
            file.flush()
            os.fsync(file.fileno())
        os.replace(temporary, path)
    except OSError as error:
        if os.path.exists(temporary):
            os.unlink(temporary)
        raise SafetensorsError(f"cannot write '{path}': {error.strerror}; the previous file, if any, is unchanged") from error


def read(path: str) -> tuple[dict[str, torch.Tensor], dict[str, str]]:
    """Reads every tensor and the metadata of a file, verifying its checksum when it has one.

    Raises ``SafetensorsError`` naming the file for a damaged or foreign file."""
    try:
        with open(path, "rb") as file:
            image = file.read()
    except OSError as error:
        raise SafetensorsError(f"cannot read '{path}': {error.strerror}") from error
    if len(image) < 8:
        raise SafetensorsError(f"'{path}' has {len(image)} bytes, fewer than the 8-byte header length")
    (length,) = struct.unpack("<Q", image[:8])
    if length > len(image) - 8:
        raise SafetensorsError(f"'{path}': header length {length} does not fit in a {len(image)}-byte file")
    text = image[8 : 8 + length]
    try:
        header = json.loads(text)
    except ValueError as error:
        raise SafetensorsError(f"'{path}': the header is not JSON ({error})") from error
    marker = text.find(_MARKER)
    if marker >= 0:
        digits = 8 + marker + len(_MARKER)
        stored = image[digits : digits + 8].decode("ascii", "replace")
        zeroed = bytearray(image)
        zeroed[digits : digits + 8] = b"0" * 8
        if "%08x" % zlib.crc32(zeroed) != stored.lower():
            raise SafetensorsError(f"'{path}': checksum mismatch (stored crc32:{stored}): the file is damaged")
    metadata = {str(key): str(value) for key, value in header.pop("__metadata__", {}).items()}
    start = 8 + length
    tensors = {}
    for name, entry in header.items():
        dtype, size = _DTYPES.get(entry.get("dtype"), (None, 0))
        if dtype is None:
            raise SafetensorsError(f"'{path}': tensor '{name}' has dtype {entry.get('dtype')}, which this reader does not read")
        lower, upper = entry["data_offsets"]
        count = (upper - lower) // size
        values = torch.frombuffer(bytearray(image[start + lower : start + upper]), dtype=dtype, count=count) if count else torch.empty(0, dtype=dtype)
        tensors[name] = values.reshape(entry["shape"])
    return tensors, metadata


def check_format(path: str, metadata: dict[str, str], expected: str) -> dict:
    """Checks a file's format name and version; returns its model config (a dict)."""
    found = metadata.get("format", "<none>")
    if found != expected:
        raise SafetensorsError(f"'{path}' has format '{found}', expected '{expected}'")
    version = metadata.get("format_version", "")
    if version not in {"1", "2"}:
        raise SafetensorsError(f"'{path}' has format_version '{version}'; this reader reads 1 and 2")
    if version == "2" and "checksum" not in metadata:
        raise SafetensorsError(f"'{path}': format_version 2 files carry a checksum but this one has none: it is damaged")
    try:
        return json.loads(metadata["config"])
    except (KeyError, ValueError) as error:
        raise SafetensorsError(f"'{path}': __metadata__ lacks a readable 'config'") from error


def config_json(config: dict) -> str:
    """A model config as the workbench writes it: compact JSON with sorted keys."""
    return json.dumps(config, sort_keys=True, separators=(",", ":"))


def weights_metadata(config: dict, extra: dict[str, str] | None = None) -> dict[str, str]:
    """The metadata of a weights file (``model.safetensors``, ``initial.safetensors``)."""
    meta = dict(extra or {})
    meta.update(format=WEIGHTS_FORMAT, format_version=str(FORMAT_VERSION), config=config_json(config))
    return meta


def float_bits(value: float) -> int:
    """The bit pattern of ``value`` as a float32, as the workbench stores ``max_gradient_norm``."""
    return struct.unpack("<I", struct.pack("<f", value))[0]


def bits_float(bits: int) -> float:
    """The float32 whose bit pattern is ``bits``."""
    return struct.unpack("<f", struct.pack("<I", bits))[0]
