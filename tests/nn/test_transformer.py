import re

import pytest
import torch

from skdl.nn import TransformerEncoderNet
from skdl.nn._transformer import sinusoidal_positions


def test_sinusoidal_positions_values():
    enc = sinusoidal_positions(5, 4)
    torch.testing.assert_close(enc[:, 0], torch.sin(torch.arange(5.0)))
    torch.testing.assert_close(enc[:, 1], torch.cos(torch.arange(5.0)))
    assert sinusoidal_positions(3, 5).shape == (3, 5)  # odd sizes work


@pytest.mark.parametrize("pooling", ["mean", "cls"])
def test_padding_is_masked_tokens(pooling):
    # The same tokens padded to a longer length give the same output: padding
    # never enters attention or pooling.
    torch.manual_seed(0)
    short = TransformerEncoderNet(
        (6,), 2, vocab_size=7, d_model=8, n_heads=2, pooling=pooling
    )
    long = TransformerEncoderNet(
        (10,), 2, vocab_size=7, d_model=8, n_heads=2, pooling=pooling
    )
    long.load_state_dict(short.state_dict())
    tokens = torch.tensor([[2, 3, 4, 5, 6, 2]])
    padded = torch.cat([tokens, torch.zeros(1, 4, dtype=torch.long)], dim=1)
    torch.testing.assert_close(short.eval()(tokens), long.eval()(padded))


def test_padding_is_masked_channels():
    torch.manual_seed(0)
    short = TransformerEncoderNet((4, 5), 1, d_model=8, n_heads=2)
    long = TransformerEncoderNet((4, 9), 1, d_model=8, n_heads=2)
    long.load_state_dict(short.state_dict())
    x = torch.nn.functional.one_hot(torch.tensor([[0, 1, 2, 3, 0]]), 4)
    x = x.transpose(1, 2).float()
    padded = torch.cat([x, torch.zeros(1, 4, 4)], dim=2)
    torch.testing.assert_close(short.eval()(x), long.eval()(padded))
    # Without masking the padding changes the output.
    long.mask_padding = False
    assert not torch.allclose(short(x), long(padded))


def test_all_padding_sequence_gives_finite_output():
    net = TransformerEncoderNet((8,), 3, vocab_size=5, d_model=8, n_heads=2).eval()
    assert torch.isfinite(net(torch.zeros(2, 8))).all()


def test_float_tokens_are_read_as_integers():
    net = TransformerEncoderNet((5,), 1, vocab_size=6, d_model=8, n_heads=2).eval()
    tokens = torch.tensor([[1, 2, 3, 4, 5]])
    torch.testing.assert_close(net(tokens), net(tokens.float()))


@pytest.mark.parametrize(
    "kwargs, message",
    [
        ({"input_shape": (4, 10), "vocab_size": 5}, "(length,) for tokens"),
        ({"input_shape": (10,)}, "(channels, length)"),
        ({"d_model": 10, "n_heads": 4}, "divisible by n_heads=4"),
        ({"pooling": "max"}, "pooling='max'"),
    ],
)
def test_bad_parameters(kwargs, message):
    params = {"input_shape": (4, 10), "n_outputs": 1, **kwargs}
    with pytest.raises(ValueError, match=re.escape(message)):
        TransformerEncoderNet(**params)
