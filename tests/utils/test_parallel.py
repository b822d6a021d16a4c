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


# ---------------------------------------------------------- n_jobs="auto"
def _no_context():
    # The suite runs inside parallel_config(n_jobs=1) (conftest.py); an
    # explicit None restores joblib's default for the body.
    from joblib import parallel_config

    return parallel_config(n_jobs=None)


def test_auto_n_jobs_uses_the_physical_cores_on_cpu(monkeypatch):
    import joblib

    from skdl.utils._parallel import resolve_n_jobs

    monkeypatch.setattr(torch.cuda, "is_available", lambda: False)
    monkeypatch.setattr(joblib, "cpu_count", lambda only_physical_cores=False: 6)
    with _no_context():
        assert resolve_n_jobs("auto") == 6
        monkeypatch.setattr(torch.cuda, "is_available", lambda: True)
        assert resolve_n_jobs("auto") is None  # one GPU's fits would queue
    monkeypatch.setattr(torch.cuda, "is_available", lambda: False)
    monkeypatch.setattr(joblib, "cpu_count", lambda only_physical_cores=False: 1)
    with _no_context():
        assert resolve_n_jobs("auto") is None
    assert resolve_n_jobs(4) == 4 and resolve_n_jobs(None) is None


def test_auto_n_jobs_leaves_the_choice_to_a_joblib_context(monkeypatch):
    import joblib
    from joblib import Parallel, delayed, parallel_config

    from skdl.utils._parallel import resolve_n_jobs

    monkeypatch.setattr(torch.cuda, "is_available", lambda: False)
    monkeypatch.setattr(joblib, "cpu_count", lambda only_physical_cores=False: 6)
    with parallel_config(n_jobs=3):
        assert resolve_n_jobs("auto") is None
    with _no_context(), parallel_config(backend="threading"):
        assert resolve_n_jobs("auto") is None  # Dask, Ray: the same
    # Inside a joblib worker, nested searches do not start pools of their own.
    with _no_context():
        inside = Parallel(n_jobs=2, backend="threading")(
            delayed(resolve_n_jobs)("auto") for _ in range(2)
        )
    assert inside == [None, None]


def test_compare_auto_gives_the_same_result_as_one_job(monkeypatch, capsys):
    import joblib
    from sklearn.datasets import make_classification
    from sklearn.linear_model import LogisticRegression

    from skdl.comparison import compare

    X, y = make_classification(
        120, 6, n_informative=3, class_sep=0.5, weights=[0.8], random_state=0
    )
    candidates = {"logistic": (LogisticRegression(), {"C": [0.1, 1.0, 10.0]})}
    one = compare(candidates, X, y, cv=3, n_jobs=1, random_state=0)
    monkeypatch.setattr(torch.cuda, "is_available", lambda: False)
    monkeypatch.setattr(joblib, "cpu_count", lambda only_physical_cores=False: 2)
    with _no_context():
        auto = compare(candidates, X, y, cv=3, random_state=0, verbose=1)
    assert "Each search runs 2 fits at a time." in capsys.readouterr().err
    for metric in one.metrics:
        np.testing.assert_array_equal(
            auto.scores["logistic"][metric], one.scores["logistic"][metric]
        )
    np.testing.assert_array_equal(auto.oof_score["logistic"], one.oof_score["logistic"])
