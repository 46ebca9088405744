"""Reads a training stream exported by ``workbench export --format training-stream``.

The export is a JSON header and little-endian arrays shaped (steps, rows, T): step s trains on
``[s]`` of every array. A rank of a data-parallel run needs its rows of every global batch of B
rows; the rule is contiguous: rank R of N takes rows ``R*B/N ..< (R+1)*B/N`` (N must divide B).
Two layouts hold them:

- an unsharded export (``PREFIX.json``): every rank reads its rows from the same files;
- a sharded one (``--rank R --world-size N --out DIR``): rank R reads ``DIR/shard-R-of-N.*``,
  which hold exactly its rows. The world size must then be N. Rank 0's shard also holds the
  evaluation documents and the initial weights, which every rank reads.
"""

from __future__ import annotations

import json
import os

import torch

FORMAT = "workbench.training-stream/1"
_TYPES = {
    "uint8": (torch.uint8, 1, None),
    "uint16": (torch.int16, 2, 0xFFFF),
    "uint32": (torch.int32, 4, 0xFFFFFFFF),
    "int32": (torch.int32, 4, None),
    "float32": (torch.float32, 4, None),
}
# Header array names -> batch keys.
_KEYS = {
    "tokens": "tokens",
    "targets": "targets",
    "documentIDs": "document_ids",
    "weights": "weights",
    "extraTargets": "extra_targets",
    "extraWeights": "extra_weights",
    "targetViews": "target_views",
}


class StreamError(ValueError):
    """A stream that cannot be read as asked; the message names the file and what to do."""


def _load_header(path: str) -> dict:
    try:
        with open(path, encoding="utf-8") as file:
            header = json.load(file)
    except (OSError, ValueError) as error:
        raise StreamError(f"cannot read the training-stream header '{path}': {error}") from error
    if header.get("format") != FORMAT:
        raise StreamError(f"'{path}' has format '{header.get('format')}', not '{FORMAT}'; export the stream again")
    return header


def resolve(path: str, rank: int, world_size: int) -> tuple[str, str | None]:
    """The header this rank reads and rank 0's header (None when it is the same file), from a
    header file, an export prefix or a shard directory."""
    if os.path.isdir(path):
        mine = os.path.join(path, f"shard-{rank}-of-{world_size}.json")
        if not os.path.exists(mine):
            found = sorted(name for name in os.listdir(path) if name.startswith("shard-") and name.endswith(".json") and ".done" not in name)
            raise StreamError(
                f"'{path}' holds no {os.path.basename(mine)} (it holds {', '.join(found[:4]) or 'no shards'}); "
                f"run with as many processes as the export's --world-size, or export unsharded"
            )
        first = os.path.join(path, f"shard-0-of-{world_size}.json")
        return mine, (first if rank != 0 else None)
    header = path if path.endswith(".json") else path + ".json"
    if not os.path.exists(header):
        raise StreamError(f"no training stream at '{path}' ('{header}' does not exist); pass the --out of the export")
    return header, None


class TrainingStream:
    """One rank's view of an exported stream: ``batch(step)`` gives its rows of that step."""

    def __init__(self, path: str, rank: int = 0, world_size: int = 1):
        header_path, first_path = resolve(path, rank, world_size)
        self.header = _load_header(header_path)
        self.directory = os.path.dirname(os.path.abspath(header_path))
        rows = self.header["rows"]
        self.global_batch = rows["globalBatch"]
        self.steps = self.header["steps"]
        self.sequence_length = self.header["sequenceLength"]
        if self.global_batch % world_size:
            raise StreamError(
                f"world size {world_size} does not divide the batch of {self.global_batch} sequences in '{header_path}': "
                f"every rank must hold the same number of rows; use a world size that divides it"
            )
        self.rows_per_step = self.global_batch // world_size
        if rows["worldSize"] == 1:
            self.first_row = rank * self.rows_per_step  # this rank's rows of the whole batch
        elif rows["worldSize"] == world_size and rows["rank"] == rank:
            self.first_row = 0  # the shard holds exactly this rank's rows
        else:
            raise StreamError(
                f"'{header_path}' is rank {rows['rank']} of {rows['worldSize']}, not rank {rank} of {world_size}; "
                f"run with --nproc-per-node times nodes = {rows['worldSize']}"
            )
        self.file_rows = rows["rowsPerStep"]
        self.arrays = {}
        for array in self.header["arrays"]:
            dtype, size, mask = _TYPES[array["dtype"]]
            file = os.path.join(self.directory, array["file"])
            expected = self.steps * self.file_rows * self.sequence_length * size
            if not os.path.exists(file) or os.path.getsize(file) != expected:
                raise StreamError(f"'{file}' is missing or not {expected} bytes: the export is incomplete; export it again")
            self.arrays[_KEYS[array["name"]]] = (file, dtype, size, mask)
        self.first_header = _load_header(first_path) if first_path else self.header
        self.first_directory = os.path.dirname(os.path.abspath(first_path)) if first_path else self.directory

    @property
    def run_config(self) -> dict:
        """The workbench's ProxyRunConfig of the run (snake_case keys)."""
        return self.header["runConfig"]

    @property
    def model_config(self) -> dict:
        """The workbench's ModelConfig (camelCase keys), vocabulary size included."""
        return self.header["model"]

    def batch(self, step: int, device: torch.device | str = "cpu") -> dict[str, torch.Tensor]:
        """This rank's rows of step ``step``: ids as int64, weights as float32, (rows, T) each."""
        if not 0 <= step < self.steps:
            raise StreamError(f"step {step} is outside the exported 0..<{self.steps}; export more steps (--steps)")
        t = self.sequence_length
        batch = {}
        for key, (file, dtype, size, mask) in self.arrays.items():
            offset = ((step * self.file_rows) + self.first_row) * t * size
            with open(file, "rb") as handle:
                handle.seek(offset)
                data = bytearray(handle.read(self.rows_per_step * t * size))
            values = torch.frombuffer(data, dtype=dtype).view(self.rows_per_step, t)
            if dtype != torch.float32:
                values = values.to(torch.int64)
                if mask is not None:
                    values = values & mask
            batch[key] = values.to(device)
        return batch

    def initial_weights(self) -> str | None:
        """The path of the initial weights the export wrote (rank 0's), or None."""
        name = self.first_header.get("initialWeights")
        return os.path.join(self.first_directory, name) if name else None

    def evaluation_documents(self) -> list[bytes]:
        """The held-out documents (the valid split), in order, empty ones included."""
        evaluation = self.first_header.get("evaluation")
        if not evaluation:
            raise StreamError("the export holds no evaluation documents (rank 0 writes them); export rank 0 too")
        with open(os.path.join(self.first_directory, evaluation["indexFile"]), "rb") as file:
            index = file.read()
        offsets = [int.from_bytes(index[i : i + 8], "little") for i in range(0, len(index), 8)]
        with open(os.path.join(self.first_directory, evaluation["bytesFile"]), "rb") as file:
            data = file.read()
        if len(offsets) != evaluation["documents"] + 1 or offsets[-1] != len(data):
            raise StreamError("the evaluation files do not match their header: the export is incomplete; export it again")
        return [data[offsets[i] : offsets[i + 1]] for i in range(len(offsets) - 1)]

    def evaluation_sample_size(self) -> int:
        """How many of the first evaluation documents form the periodic sample."""
        return self.first_header["evaluation"]["sampleDocuments"]
