import os
import re

import numpy as np
import pytest
import torch

from skdl.base import DeterminismMixin
from skdl.utils._seeding import (
    resolve_device,
    seed_from_random_state,
    torch_determinism,
)


def test_context_restores_the_caller_random_stream():
    torch.manual_seed(7)
    expected = torch.rand(3)
    torch.manual_seed(7)
    with torch_determinism(0, torch.device("cpu")):
        inside = torch.rand(3)
    after = torch.rand(3)
    assert torch.equal(after, expected)  # the caller's stream did not move
    with torch_determinism(0, torch.device("cpu")):
        assert torch.equal(torch.rand(3), inside)


def test_context_restores_state_after_an_exception():
    state = torch.get_rng_state()
    with pytest.raises(RuntimeError, match="boom"):
        with torch_determinism(1, torch.device("cpu")):
            torch.rand(5)
            raise RuntimeError("boom")
    assert torch.equal(torch.get_rng_state(), state)


def test_none_seed_does_not_touch_generators():
    torch.manual_seed(5)
    expected = torch.rand(2)
    torch.manual_seed(5)
    with torch_determinism(None, torch.device("cpu")):
        inside = torch.rand(2)
    assert torch.equal(inside, expected)


def test_cpu_context_leaves_flags_and_environment():
    before = (
        torch.are_deterministic_algorithms_enabled(),
        os.environ.get("CUBLAS_WORKSPACE_CONFIG"),
    )
    with torch_determinism(0, torch.device("cpu")):
        assert not torch.are_deterministic_algorithms_enabled()
    assert before == (
        torch.are_deterministic_algorithms_enabled(),
        os.environ.get("CUBLAS_WORKSPACE_CONFIG"),
    )


@pytest.mark.gpu
def test_cuda_context_sets_and_restores_flags():
    os.environ.pop("CUBLAS_WORKSPACE_CONFIG", None)
    with torch_determinism(0, torch.device("cuda")):
        assert torch.are_deterministic_algorithms_enabled()
        assert torch.backends.cudnn.deterministic and not torch.backends.cudnn.benchmark
        assert os.environ["CUBLAS_WORKSPACE_CONFIG"] == ":4096:8"
    assert not torch.are_deterministic_algorithms_enabled()
    assert "CUBLAS_WORKSPACE_CONFIG" not in os.environ


def test_seed_from_random_state_range():
    seeds = {seed_from_random_state(np.random.RandomState(i)) for i in range(50)}
    assert len(seeds) == 50 and all(0 <= s < 2**31 - 1 for s in seeds)


def test_resolve_device():
    assert resolve_device("cpu") == torch.device("cpu")
    assert resolve_device(torch.device("cpu")) == torch.device("cpu")
    expected = "cuda" if torch.cuda.is_available() else "cpu"
    assert resolve_device("auto").type == expected
    with pytest.raises(
        ValueError, match=re.escape("device='tpu' is not a torch device")
    ):
        resolve_device("tpu")


def test_determinism_mixin_resolves_once_per_call():
    class Draw(DeterminismMixin):
        def __init__(self, random_state=None):
            self.random_state = random_state

    rng, seed = Draw(3)._resolve_randomness()
    assert isinstance(rng, np.random.RandomState)
    assert seed == Draw(3)._resolve_randomness()[1]
    assert seed != Draw(4)._resolve_randomness()[1]
