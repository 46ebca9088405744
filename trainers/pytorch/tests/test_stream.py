"""The exported stream: shapes, dtypes, masks and weights as the workbench's packer makes them,
and every rank's rows (sharded or not) under the contiguous rule."""

import pytest
import torch
from conftest import fixture, load_json

from proxytrain.stream import StreamError, TrainingStream


def test_the_header_is_the_run_s_configuration():
    stream = TrainingStream(fixture("stream"))
    assert stream.run_config == load_json("run", "config.json")
    assert (stream.steps, stream.global_batch, stream.sequence_length) == (50, 4, 64)
    assert stream.model_config["vocabularySize"] == 576 and stream.model_config["extraHead"]


def test_batches_hold_what_the_packer_makes():
    stream = TrainingStream(fixture("stream"))
    for step in (0, 17, 49):
        batch = stream.batch(step)
        assert set(batch) == {"tokens", "targets", "document_ids", "weights", "extra_targets", "extra_weights", "target_views"}
        assert all(value.shape == (4, 64) for value in batch.values())
        assert int(batch["tokens"].max()) < 576 and int(batch["tokens"].min()) >= 0
        # A target across a document boundary has weight 0; raw targets share 1/2 + 1/2 with the extra head.
        boundary = batch["document_ids"][:, 1:] != batch["document_ids"][:, :-1]
        assert bool((batch["weights"][:, :-1][boundary] == 0).all())
        raw = (batch["target_views"] == 1) & (batch["weights"] > 0)
        assert bool((batch["weights"][raw] == 0.5).all())
        assert bool((batch["extra_weights"][batch["extra_weights"] > 0] == 0.5).all())
        # The next input is the target inside a sequence.
        same = ~boundary
        assert bool((batch["targets"][:, :-1][same] == batch["tokens"][:, 1:][same]).all())


@pytest.mark.parametrize("rank", [0, 1])
def test_each_rank_reads_its_contiguous_rows_from_shards_or_the_whole_export(rank):
    whole = TrainingStream(fixture("stream"))
    mine = TrainingStream(fixture("stream"), rank=rank, world_size=2)
    shard = TrainingStream(fixture("shards"), rank=rank, world_size=2)
    for step in (0, 31, 49):
        expected = {key: value[2 * rank : 2 * rank + 2] for key, value in whole.batch(step).items()}
        for batch in (mine.batch(step), shard.batch(step)):
            assert all(torch.equal(batch[key], expected[key]) for key in expected)
    assert shard.evaluation_documents() == whole.evaluation_documents()


def test_a_world_size_that_does_not_divide_the_batch_is_refused():
    with pytest.raises(StreamError, match="does not divide the batch of 4"):
        TrainingStream(fixture("stream"), rank=0, world_size=3)
    with pytest.raises(StreamError, match="shard-0-of-4.json"):
        TrainingStream(fixture("shards"), rank=0, world_size=4)
