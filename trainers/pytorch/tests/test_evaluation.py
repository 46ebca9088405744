"""Raw-byte bits per byte: the windows, and ``workbench eval``'s number for the same weights."""

import torch
from conftest import fixture, load_json, relative

from proxytrain import evaluation
from proxytrain.cli import evaluate_weights


def test_every_byte_is_scored_once_with_at_least_half_a_context():
    for length in (1, 2, 31, 32, 33, 100, 257):
        scored = []
        for start, size, lower, upper in evaluation.windows(length, 32):
            assert size <= 32 and start + size <= length + 2
            # A target at token index j sees the j - start inputs of its window: at least half a
            # context, or its whole prefix.
            assert all(target - start >= min(16, target) for target in range(lower, upper))
            scored += range(lower, upper)
        assert scored == list(range(2, length + 2))


def test_the_evaluation_of_a_workbench_model_matches_workbench_eval():
    expected = load_json("eval.json")
    found = evaluate_weights(fixture("run"), fixture("stream"), dtype=torch.float64)
    assert (found["documents"], found["bytes"], found["windows"]) == (expected["documents"], expected["bytes"], expected["windows"])
    assert relative(found["raw_bits_per_byte"], expected["raw_bits_per_byte"]) < 1e-6
