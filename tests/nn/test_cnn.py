import re

import pytest
import torch

from skdl.nn import ConvNet


def _kinds(module):
    return [type(layer).__name__ for layer in module.features]


def test_1d_blocks_follow_parameters():
    net = ConvNet(
        (4, 50), 3, filters=(8, 6), kernel_size=(5, 3), batch_norm=True, dropout=0.1
    )
    assert _kinds(net) == [
        "Conv1d", "BatchNorm1d", "ReLU", "MaxPool1d", "Dropout",
        "Conv1d", "BatchNorm1d", "ReLU", "MaxPool1d", "Dropout",
    ]  # fmt: skip
    assert [c.kernel_size for c in net.features if isinstance(c, torch.nn.Conv1d)] == [
        (5,),
        (3,),
    ]
    assert net(torch.zeros(2, 4, 50)).shape == (2, 3)


def test_2d_input_builds_2d_layers():
    net = ConvNet((3, 16, 12), 2, filters=(4,), kernel_size=3)
    assert _kinds(net) == ["Conv2d", "ReLU", "MaxPool2d"]
    assert net(torch.zeros(5, 3, 16, 12)).shape == (5, 2)


def test_pooling_stops_when_maps_get_too_short():
    # length 5: pools once (5 -> 2), then 2 >= 2 pools again (-> 1), then stops.
    net = ConvNet((1, 5), 1, filters=(2, 2, 2, 2), kernel_size=3)
    assert _kinds(net).count("MaxPool1d") == 2
    # A kernel longer than the input is fine with "same" padding.
    assert ConvNet((1, 3), 1, kernel_size=9)(torch.zeros(1, 1, 3)).shape == (1, 1)
    assert "MaxPool1d" not in _kinds(ConvNet((4, 30), 1, pool_size=1))


def test_global_max_pool_is_translation_invariant():
    torch.manual_seed(0)
    net = ConvNet((4, 40), 1, filters=(8,), kernel_size=5, pool_size=1).eval()
    x = torch.zeros(1, 4, 40)
    x[0, 0, 10:15] = 1.0
    shifted = torch.roll(x, shifts=12, dims=2)
    torch.testing.assert_close(net(x), net(shifted))
    flat = ConvNet((4, 40), 1, filters=(8,), kernel_size=5, global_pool="flatten")
    assert not torch.allclose(flat.eval()(x), flat(shifted))


@pytest.mark.parametrize(
    "kwargs, message",
    [
        ({"input_shape": (10,)}, "input_shape=(channels, length)"),
        ({"global_pool": "sum"}, "global_pool='sum'"),
        ({"activation": "swish"}, "activation='swish'"),
        ({"pool_size": 0}, "pool_size=0"),
        ({"filters": (4, 4), "kernel_size": (3,)}, "2 conv layers"),
    ],
)
def test_bad_parameters(kwargs, message):
    params = {"input_shape": (4, 20), "n_outputs": 1, **kwargs}
    with pytest.raises(ValueError, match=re.escape(message)):
        ConvNet(**params)


def test_global_max_pool_module_matches_amax_and_old_pickles():
    torch.manual_seed(0)
    net = ConvNet((4, 40), 2, filters=(8,), kernel_size=5).eval()
    x = torch.randn(6, 4, 40)
    maps = net.features(x)
    expected = net.head(maps.flatten(2).amax(dim=2))
    assert torch.equal(net(x), expected)  # evaluation: the MaxPool module
    assert isinstance(net.global_max, torch.nn.MaxPool1d)
    # Training keeps amax, whose gradient splits ties evenly.
    net.train()
    assert torch.equal(net(x), expected)
    # A ConvNet pickled before the pooling module existed still predicts.
    old = ConvNet((4, 40), 2, filters=(8,), kernel_size=5).eval()
    old.load_state_dict(net.state_dict())
    del old.global_max, old._global_shape
    assert torch.equal(old(x), expected)
    # Another length than declared: amax again.
    short = torch.randn(2, 4, 30)
    assert net.eval()(short).shape == (2, 2)
