"""Shared test setup: one thread per process (the machines running these are small and shared,
and oversubscribed OpenMP threads made a 5-second evaluation take 35), and the committed fixtures
written by the workbench (fixtures/make_fixtures.sh)."""

import json
import os
import sys

import pytest
import torch

HERE = os.path.dirname(os.path.abspath(__file__))
ROOT = os.path.dirname(HERE)
FIXTURES = os.path.join(HERE, "fixtures")
sys.path.insert(0, ROOT)
torch.set_num_threads(1)


def fixture(*parts: str) -> str:
    """A path under tests/fixtures."""
    return os.path.join(FIXTURES, *parts)


def load_json(*parts: str):
    with open(fixture(*parts), encoding="utf-8") as file:
        return json.load(file)


@pytest.fixture(scope="session")
def swift_losses() -> list[float]:
    """The workbench trainer's loss at each of the fixture run's 50 steps (a curve point per step)."""
    curve = load_json("run", "curve.json")
    assert [point["step"] for point in curve] == list(range(1, 51))
    return [point["train_loss"] for point in curve]


def relative(a: float, b: float) -> float:
    return abs(a - b) / abs(b)
