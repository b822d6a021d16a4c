import re

import pytest
import torch

from skdl.nn import MLP


def test_layers_follow_parameters():
    m = MLP(
        5, 3, hidden_layer_sizes=(8, 4), activation="tanh", dropout=0.2, batch_norm=True
    )
    kinds = [type(layer).__name__ for layer in m.layers]
    assert kinds == [
        "Linear",
        "BatchNorm1d",
        "Tanh",
        "Dropout",
        "Linear",
        "BatchNorm1d",
        "Tanh",
        "Dropout",
        "Linear",
    ]
    assert m(torch.zeros(7, 5)).shape == (7, 3)


def test_no_hidden_layer_is_linear():
    m = MLP(4, 2, hidden_layer_sizes=())
    assert len(m.layers) == 1 and isinstance(m.layers[0], torch.nn.Linear)


def test_dropout_only_in_training_mode():
    torch.manual_seed(0)
    m = MLP(10, 1, hidden_layer_sizes=(50,), dropout=0.5)
    x = torch.ones(4, 10)
    m.eval()
    assert torch.equal(m(x), m(x))
    m.train()
    assert not torch.equal(m(x), m(x))


@pytest.mark.parametrize(
    "kwargs, message",
    [
        ({"activation": "softplus"}, "MLP got activation='softplus'"),
        ({"dropout": 1.0}, "MLP got dropout=1.0; it must be in [0, 1)."),
    ],
)
def test_bad_arguments(kwargs, message):
    with pytest.raises(ValueError, match=re.escape(message)):
        MLP(3, 2, **kwargs)
