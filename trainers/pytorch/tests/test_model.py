"""The architecture: shapes, the document mask, RoPE restarting per document, the loss."""

import torch
from conftest import fixture

from proxytrain import run_directory
from proxytrain.model import ProxyTransformer, attention_mask, document_starts, parameter_count, weighted_loss_sums

CONFIG = {
    "vocabularySize": 40, "width": 16, "layers": 2, "heads": 2, "mlpMultiplier": 4,
    "contextLength": 12, "extraHead": True, "ropeBase": 10000, "normEpsilon": 1e-5,
}


def model(seed=0, config=CONFIG):
    result = ProxyTransformer(config)
    result.initialize(seed)
    return result.double()


def test_shapes_and_parameter_names_are_the_workbench_s():
    m = model()
    logits, logits2 = m(torch.randint(0, 40, (3, 12)))
    assert logits.shape == logits2.shape == (3, 12, 40)
    assert sum(p.numel() for p in m.parameters()) == parameter_count(CONFIG)
    weights = run_directory.load_weights(fixture("stream.initial.safetensors"), _fixture_config())
    fixture_model = ProxyTransformer(_fixture_config())
    fixture_model.load_state_dict(weights, strict=True)
    assert ProxyTransformer({**CONFIG, "extraHead": False})(torch.zeros(1, 4, dtype=torch.int64))[1] is None


def _fixture_config():
    import json

    with open(fixture("stream.json"), encoding="utf-8") as file:
        return json.load(file)["model"]


def test_document_starts_restart_at_every_change_of_id():
    ids = torch.tensor([[5, 5, 7, 7, 7, 5, 5]])
    assert document_starts(ids).tolist() == [[0, 0, 2, 2, 2, 5, 5]]
    mask = attention_mask(document_starts(ids))[0, 0]
    assert mask[3].tolist() == [False, False, True, True, False, False, False]
    assert mask[6].tolist() == [False] * 5 + [True, True]


def test_a_packed_document_is_computed_as_if_it_were_alone():
    m = model()
    first, second = torch.randint(0, 40, (1, 5)), torch.randint(0, 40, (1, 7))
    packed, _ = m(torch.cat([first, second], 1), torch.tensor([[0] * 5 + [1] * 7]))
    alone, _ = m(second)
    assert torch.allclose(packed[:, 5:], alone, atol=1e-12)


def test_the_loss_is_normalized_by_both_heads_weights():
    logits = torch.zeros(1, 2, 4)
    batch = {
        "targets": torch.tensor([[1, 2]]), "weights": torch.tensor([[0.5, 1.0]]),
        "extra_targets": torch.tensor([[3, 0]]), "extra_weights": torch.tensor([[0.5, 0.0]]),
    }
    total, weight, ce = weighted_loss_sums(logits, logits, batch)
    assert torch.isclose(total / weight, torch.log(torch.tensor(4.0)))
    assert weight == 2.0 and ce.shape == (1, 2)
