import pytest
import torch

from skdl.nn import ConvNet, ReverseComplementNet, reverse_complement_one_hot


def _one_hot(codes):
    return torch.nn.functional.one_hot(codes, 4).transpose(1, 2).float()


def test_one_hot_reverse_complement_matches_strings():
    acgtt = _one_hot(torch.tensor([[0, 1, 2, 3, 3]]))  # ACGTT
    rc = reverse_complement_one_hot(acgtt)  # AACGT
    assert rc[0].argmax(dim=0).tolist() == [0, 0, 1, 2, 3]
    torch.testing.assert_close(reverse_complement_one_hot(rc), acgtt)


def _net(mode):
    torch.manual_seed(0)
    return ReverseComplementNet(
        ConvNet, {"input_shape": (4, 30), "n_outputs": 2, "filters": (8,)}, mode=mode
    )


@pytest.mark.parametrize("mode", ["average", "both"])
def test_averaging_is_strand_invariant_bitwise(mode):
    net = _net(mode).eval()
    x = _one_hot(torch.randint(0, 4, (16, 30)))
    assert torch.equal(net(x), net(reverse_complement_one_hot(x)))


def test_augment_flips_about_half_the_batch_in_training_only():
    net = _net("augment")
    seen = []
    net.module.register_forward_hook(lambda m, inp, out: seen.append(inp[0]))
    x = _one_hot(torch.randint(0, 4, (400, 30)))
    net.train()(x)
    flipped = (seen[-1] != x).flatten(1).any(dim=1)
    assert torch.equal(seen[-1][flipped], reverse_complement_one_hot(x)[flipped])
    assert 150 < int(flipped.sum()) < 250
    net.eval()(x)
    assert torch.equal(seen[-1], x)  # evaluation sees the forward strand


def test_refuses_non_dna_shapes_and_bad_mode():
    with pytest.raises(ValueError, match="mode='sometimes'"):
        ReverseComplementNet(
            ConvNet, {"input_shape": (4, 10), "n_outputs": 1}, "sometimes"
        )
    net = ReverseComplementNet(ConvNet, {"input_shape": (5, 10), "n_outputs": 1})
    with pytest.raises(ValueError, match=r"\(batch, 4, length\)"):
        net(torch.zeros(2, 5, 10))
