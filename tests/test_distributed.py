"""Sweeps on a Dask cluster: same results as loky, survive a killed worker.

A ``distributed.LocalCluster`` on loopback (2 worker processes, 1 thread each)
runs scikit-learn's searches through ``joblib.parallel_backend("dask")``.
"""

import os
import signal
import threading
import time

import joblib
import numpy as np
import pytest
from sklearn.datasets import make_classification
from sklearn.ensemble import RandomForestClassifier
from sklearn.linear_model import LogisticRegression
from sklearn.model_selection import GridSearchCV, StratifiedKFold
from sklearn.pipeline import make_pipeline
from sklearn.preprocessing import StandardScaler

from skdl.comparison import compare
from skdl.neural_net import MLPNetClassifier

distributed = pytest.importorskip("distributed")


@pytest.fixture(scope="module")
def client():
    cluster = distributed.LocalCluster(
        n_workers=2,
        threads_per_worker=1,
        processes=True,
        host="127.0.0.1",
        dashboard_address=None,
    )
    with cluster, distributed.Client(cluster) as client:
        yield client


@pytest.fixture(scope="module")
def data():
    X, y = make_classification(n_samples=600, n_features=20, random_state=0)
    return X.astype(np.float32), y


def _searches(n_jobs, max_epochs=15):
    cv = StratifiedKFold(3, shuffle=True, random_state=0)
    net = GridSearchCV(
        make_pipeline(
            StandardScaler(),
            MLPNetClassifier(max_epochs=max_epochs, random_state=0),
        ),
        {
            "mlpnetclassifier__hidden_layer_sizes": [(16,), (64,)],
            "mlpnetclassifier__lr": [1e-3, 1e-2],
        },
        cv=cv,
        scoring="average_precision",
        n_jobs=n_jobs,
    )
    forest = GridSearchCV(
        RandomForestClassifier(n_estimators=30, random_state=0),
        {"max_depth": [2, 4, None]},
        cv=cv,
        n_jobs=n_jobs,
    )
    return net, forest


def _scores(search):
    return {k: v for k, v in search.cv_results_.items() if "test_score" in k}


def _assert_same(a, b):
    assert a.keys() == b.keys()
    for key in a:
        np.testing.assert_array_equal(a[key], b[key], err_msg=key)


def test_dask_search_equals_loky(client, data):
    X, y = data
    loky = [_scores(s.fit(X, y)) for s in _searches(n_jobs=2)]
    with joblib.parallel_backend("dask"):
        dask = [_scores(s.fit(X, y)) for s in _searches(n_jobs=-1)]
    serial = [_scores(s.fit(X, y)) for s in _searches(n_jobs=1)]
    for a, b, c in zip(loky, dask, serial):
        _assert_same(a, b)
        _assert_same(a, c)


def test_workers_run_torch_on_their_share(client):
    def threads_in_fit():
        from skorch.callbacks import Callback

        class Record(Callback):
            def on_train_begin(self, net, **kwargs):
                import torch

                net.seen_ = torch.get_num_threads()

        import torch

        torch.set_num_threads(2)  # a worker left in a different state
        rng = np.random.RandomState(0)
        X = rng.randn(40, 3).astype(np.float32)
        model = MLPNetClassifier(max_epochs=1, callbacks=[("r", Record())])
        model.fit(X, (X[:, 0] > 0).astype(int))
        return model.net_.seen_, torch.get_num_threads(), os.environ["OMP_NUM_THREADS"]

    for seen, after, declared in client.run(threads_in_fit).values():
        assert (seen, after, declared) == (1, 2, "1")


def test_compare_runs_unchanged_on_dask(client, data):
    X, y = data
    candidates = {
        "logistic": (LogisticRegression(), {"C": [0.1, 1.0]}),
        "mlp": (
            MLPNetClassifier(max_epochs=10, random_state=0),
            {"lr": [1e-3, 1e-2]},
        ),
    }
    local = compare(candidates, X, y, cv=3, n_jobs=2, random_state=0)
    with joblib.parallel_backend("dask"):
        remote = compare(candidates, X, y, cv=3, n_jobs=-1, random_state=0)
    for name in candidates:
        _assert_same(local.scores[name], remote.scores[name])
    assert local.best_params == remote.best_params


class _LargeKeys(distributed.diagnostics.plugin.SchedulerPlugin):
    """Record the data keys of at least ``nbytes`` that finished tasks read."""

    name = "large-keys"

    def __init__(self, nbytes):
        self.nbytes = nbytes
        self.readers = {}

    async def start(self, scheduler):
        self.scheduler = scheduler

    def transition(self, key, start, finish, *args, **kwargs):
        task = self.scheduler.tasks.get(key)
        if finish != "memory" or task is None:
            return
        for dependency in task.dependencies:
            if dependency.nbytes >= self.nbytes:
                self.readers[dependency.key] = self.readers.get(dependency.key, 0) + 1


def _large_keys(client):
    """Number of large keys read, and how many tasks read each."""
    return client.run_on_scheduler(
        lambda dask_scheduler: sorted(
            dask_scheduler.plugins["large-keys"].readers.values()
        )
    )


def test_large_arrays_are_scattered_once_not_copied_per_task(client):
    rng = np.random.RandomState(0)
    X = rng.randn(4000, 500)  # 16 MB
    y = (X[:, 0] > 0).astype(int)
    grid = {"C": [0.01, 0.1, 1.0, 10.0]}

    def search():
        return GridSearchCV(LogisticRegression(max_iter=30), grid, cv=3, n_jobs=-1)

    client.register_plugin(_LargeKeys(X.nbytes))
    with joblib.parallel_backend("dask"):
        search().fit(X, y)  # 12 tasks (joblib batches them) read one copy of X
    (readers,) = _large_keys(client)
    assert readers >= 2
    with joblib.parallel_backend("dask"):
        search().fit(X, y)  # a second sweep scatters X again ...
    assert len(_large_keys(client)) == 2
    with joblib.parallel_backend("dask", scatter=[X, y]):
        search().fit(X, y)  # ... unless it is scattered up front, once
        search().fit(X, y)
    assert len(_large_keys(client)) == 3


def test_a_killed_worker_does_not_lose_a_sweep_whose_data_is_broadcast(client):
    """Dask reruns the tasks of a killed worker; the result equals an undisturbed run.

    This holds when every input lives on every worker: ``X`` and ``y`` are
    scattered up front (broadcast), and the per-task arguments (the fold
    indices) stay below the 1 kB above which joblib's Dask backend scatters them
    to a single worker; data scattered that way is lost with its worker, and
    Dask cannot recompute it (see the sweeps page of the user guide).
    """
    X, y = make_classification(n_samples=90, n_features=10, random_state=0)
    X = X.astype(np.float32)
    (reference, _) = _searches(n_jobs=1, max_epochs=150)
    expected = _scores(reference.fit(X, y))
    pids = client.run(os.getpid)
    events = {}

    def kill_one_worker():
        # Kill once the sweep has started and some of its tasks have finished.
        deadline = time.monotonic() + 60
        while time.monotonic() < deadline and "finished" not in events:
            done = client.run_on_scheduler(
                lambda dask_scheduler: sum(
                    ts.state == "memory" and "fit_and_score" in str(ts.key)
                    for ts in dask_scheduler.tasks.values()
                )
            )
            if done >= 1:
                os.kill(next(iter(pids.values())), signal.SIGKILL)
                events["killed"] = time.monotonic()
                return
            time.sleep(0.05)

    killer = threading.Thread(target=kill_one_worker)
    (search, _) = _searches(n_jobs=-1, max_epochs=150)
    with joblib.parallel_backend("dask", scatter=[X, y]):
        killer.start()
        search.fit(X, y)
        events["finished"] = time.monotonic()
    killer.join()
    assert "killed" in events and events["killed"] < events["finished"]
    _assert_same(_scores(search), expected)
    client.wait_for_workers(2, timeout=60)
    assert set(client.run(os.getpid).values()) != set(pids.values())


def test_ray_search_equals_serial(data):
    ray = pytest.importorskip("ray")
    from ray.util.joblib import register_ray

    X, y = data
    ray.init(num_cpus=2, include_dashboard=False, log_to_driver=False)
    try:
        register_ray()
        with joblib.parallel_backend("ray"):
            on_ray = [_scores(s.fit(X, y)) for s in _searches(n_jobs=-1)]
        threads = ray.get(
            ray.remote(lambda: os.environ.get("OMP_NUM_THREADS")).remote()
        )
    finally:
        ray.shutdown()
    serial = [_scores(s.fit(X, y)) for s in _searches(n_jobs=1)]
    for a, b in zip(on_ray, serial):
        _assert_same(a, b)
    assert threads == "1"  # Ray declares one core per task to its workers
