"""Threads and devices inside fit follow the worker's share, with no leftovers."""

import numpy as np
import pytest
import torch
from skorch.callbacks import Callback

from skdl.neural_net import MLPNetClassifier
from skdl.utils._parallel import pick_cuda_device, torch_threads, worker_threads
from skdl.utils._seeding import resolve_device


@pytest.mark.parametrize(
    ("value", "expected"), [("3", 3), ("1", 1), ("", None), ("abc", None), ("0", None)]
)
def test_worker_threads_reads_the_engines_declaration(monkeypatch, value, expected):
    monkeypatch.setenv("OMP_NUM_THREADS", value)
    assert worker_threads() == expected


def test_worker_threads_without_declaration(monkeypatch):
    monkeypatch.delenv("OMP_NUM_THREADS", raising=False)
    assert worker_threads() is None


class _RecordThreads(Callback):
    def on_train_begin(self, net, **kwargs):
        net.threads_seen_ = torch.get_num_threads()


def test_fit_uses_the_worker_share_and_restores(monkeypatch):
    X = np.random.RandomState(0).randn(60, 3).astype(np.float32)
    y = (X[:, 0] > 0).astype(int)
    before = torch.get_num_threads()
    share = 1 if before != 1 else 2
    monkeypatch.setenv("OMP_NUM_THREADS", str(share))
    model = MLPNetClassifier(
        max_epochs=1, callbacks=[("threads", _RecordThreads())], random_state=0
    ).fit(X, y)
    assert model.net_.threads_seen_ == share
    assert torch.get_num_threads() == before
    with torch_threads(None):
        assert torch.get_num_threads() == before


def test_auto_device_picks_the_emptiest_visible_gpu(monkeypatch):
    free = {0: 1e9, 1: 7e9, 2: 3e9}
    monkeypatch.setattr(torch.cuda, "is_available", lambda: True)
    monkeypatch.setattr(torch.cuda, "device_count", lambda: 3)
    monkeypatch.setattr(torch.cuda, "mem_get_info", lambda i: (free[i], 8e9))
    assert pick_cuda_device() == torch.device("cuda", 1)
    assert resolve_device("auto") == torch.device("cuda", 1)
    monkeypatch.setattr(torch.cuda, "device_count", lambda: 1)
    assert resolve_device("auto") == torch.device("cuda", 0)


def test_auto_device_without_gpu_is_cpu(monkeypatch):
    monkeypatch.setattr(torch.cuda, "is_available", lambda: False)
    assert resolve_device("auto") == torch.device("cpu")
