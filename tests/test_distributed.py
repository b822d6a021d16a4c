"""Sweeps on Dask and Ray: same results as loky, and what a killed worker does.

A ``distributed.LocalCluster`` on loopback (2 worker processes, 1 thread each)
runs scikit-learn's searches through ``joblib.parallel_backend("dask")``; a
local two-CPU Ray runs them through ``joblib.parallel_backend("ray")``.
"""

import os
import re
import signal
import threading
import time
import uuid

import joblib
import numpy as np
import pytest
from sklearn.datasets import make_classification
from sklearn.ensemble import RandomForestClassifier
from sklearn.linear_model import LogisticRegression
from sklearn.metrics import get_scorer
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


def _searches(n_jobs, max_epochs=15, scoring="average_precision"):
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
        scoring=scoring,
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

    This holds when every input the remaining tasks need survives the worker:
    ``X`` and ``y`` are scattered up front (broadcast; Dask's Active Memory
    Manager keeps the extra copies only while queued tasks wait for them), and
    the per-task arguments (the fold indices) stay below the 1 kB above which
    joblib's Dask backend scatters them to a single worker; data scattered that
    way is lost with its worker, and Dask cannot recompute it (the next test,
    and the sweeps page of the user guide).
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


def _scattered(client):
    """The keys of scattered data (no task can recompute them), with their holders."""
    return client.run_on_scheduler(
        lambda dask_scheduler: {
            str(ts.key): sorted(ws.address for ws in ts.who_has or ())
            for ts in dask_scheduler.tasks.values()
            if ts.run_spec is None
        }
    )


def _n_fits_done(client):
    return client.run_on_scheduler(
        lambda dask_scheduler: sum(
            ts.state == "memory" and "fit_and_score" in str(ts.key)
            for ts in dask_scheduler.tasks.values()
        )
    )


def test_a_killed_worker_loses_the_fold_indices_scattered_to_it(client):
    """Per-task arguments over 1 kB live on one worker; losing it fails the sweep.

    joblib's Dask backend scatters each such argument (here the indices of
    training folds of 400 samples) to a single worker. Dask cannot recompute
    scattered data: the tasks that need it are cancelled, and ``retries``
    (which joblib passes on to ``client.submit``) does not bring it back. The
    sweeps page of the user guide documents this limit.
    """
    X, y = make_classification(n_samples=600, n_features=20, random_state=0)
    X = X.astype(np.float32)
    pids = client.run(os.getpid)
    (search, _) = _searches(n_jobs=-1, max_epochs=40)
    events = {}

    def kill_a_sole_holder_of_fold_indices(before):
        deadline = time.monotonic() + 60
        while time.monotonic() < deadline and "finished" not in events:
            holders = {}
            if _n_fits_done(client) >= 1:
                for key, who_has in _scattered(client).items():
                    if key not in before and len(who_has) == 1:
                        holders[who_has[0]] = holders.get(who_has[0], 0) + 1
            if holders:
                os.kill(pids[max(holders, key=holders.get)], signal.SIGKILL)
                events["killed"] = time.monotonic()
                return
            time.sleep(0.05)

    with joblib.parallel_backend("dask", scatter=[X, y], retries=3):
        before = set(_scattered(client))  # X and y, on every worker
        killer = threading.Thread(
            target=kill_a_sole_holder_of_fold_indices, args=(before,)
        )
        killer.start()
        with pytest.raises(
            distributed.client.FutureCancelledError,
            # "lost dependencies", or "already forgotten" for a task
            # submitted with the lost data after the loss
            match=r"cancelled for reason: (lost dependencies|already forgotten)\.",
        ):
            search.fit(X, y)
        events["finished"] = time.monotonic()
    killer.join()
    assert "killed" in events
    client.wait_for_workers(2, timeout=60)


@pytest.fixture(scope="module")
def ray_local():
    ray = pytest.importorskip("ray")
    from ray.util.joblib import register_ray

    ray.init(num_cpus=2, include_dashboard=False, log_to_driver=False)
    register_ray()
    yield ray
    ray.shutdown()


def test_ray_search_equals_serial(ray_local, data):
    X, y = data
    with joblib.parallel_backend("ray"):
        on_ray = [_scores(s.fit(X, y)) for s in _searches(n_jobs=-1)]
    threads = ray_local.get(
        ray_local.remote(lambda: os.environ.get("OMP_NUM_THREADS")).remote()
    )
    serial = [_scores(s.fit(X, y)) for s in _searches(n_jobs=1)]
    for a, b in zip(on_ray, serial):
        _assert_same(a, b)
    assert threads == "1"  # Ray declares one core per task to its workers


def _scoring_that_leaves_a_file(folder):
    """Average precision that leaves a file in ``folder`` each time it scores."""
    average_precision = get_scorer("average_precision")

    def score(estimator, X, y):
        value = average_precision(estimator, X, y)
        (folder / uuid.uuid4().hex).touch()
        return value

    return score


def _busy_ray_pool_workers():
    """PIDs of this session's Ray pool processes that are running a task."""
    import psutil  # a dependency of distributed

    pids = []
    for process in psutil.Process().children(recursive=True):
        try:
            if process.cmdline()[:1] == ["ray::PoolActor.run_batch"]:
                pids.append(process.pid)
        except psutil.Error:  # it ended meanwhile
            pass
    return pids


def _kill_a_busy_ray_worker_once(ready, events):
    """Start a thread that SIGKILLs one busy Ray pool process once ``ready()``."""

    def kill():
        deadline = time.monotonic() + 60
        while time.monotonic() < deadline and "finished" not in events:
            busy = _busy_ray_pool_workers() if ready() else []
            if busy:
                os.kill(busy[0], signal.SIGKILL)
                events["killed"] = time.monotonic()
                return
            time.sleep(0.02)

    killer = threading.Thread(target=kill)
    killer.start()
    return killer


def _small_data():
    X, y = make_classification(n_samples=90, n_features=10, random_state=0)
    return X.astype(np.float32), y


@pytest.mark.parametrize(
    "ray_remote_args, error, message",
    [
        # ray.util.joblib's default: the pool's actors are created without
        # max_restarts, so a dead one stays dead and its task fails.
        (
            None,
            "ActorDiedError",
            re.escape("The actor died unexpectedly before finishing this task.")
            + r"\s+class_name: PoolActor",
        ),
        # The actor comes back, but its running task is not retried.
        (
            {"max_restarts": 3},
            "ActorUnavailableError",
            r"is unavailable: .*"
            + re.escape("The task may or may not have been executed on the actor."),
        ),
    ],
    ids=["default", "max_restarts-only"],
)
def test_ray_pool_without_task_retries_fails_a_sweep_whose_worker_is_killed(
    ray_local, tmp_path, ray_remote_args, error, message
):
    """Without ``max_task_retries``, the killed worker's task ends the search."""
    X, y = _small_data()
    (search, _) = _searches(
        n_jobs=-1, max_epochs=30, scoring=_scoring_that_leaves_a_file(tmp_path)
    )
    events = {}
    with joblib.parallel_backend("ray", ray_remote_args=ray_remote_args):
        killer = _kill_a_busy_ray_worker_once(lambda: any(tmp_path.iterdir()), events)
        with pytest.raises(getattr(ray_local.exceptions, error), match=message):
            search.fit(X, y)
        events["finished"] = time.monotonic()
    killer.join()
    assert "killed" in events


def test_ray_pool_with_restarts_and_retries_survives_a_killed_worker(
    ray_local, tmp_path
):
    """``ray_remote_args`` restart the dead actor and retry its task: same scores.

    joblib's Ray backend passes ``ray_remote_args`` to the pool's actors
    (``PoolActor.options(**ray_remote_args)``). ``max_restarts`` brings a killed
    actor back; ``max_task_retries`` reruns the task it was running, which is
    safe because a fit depends only on its arguments and ``random_state``.
    """
    X, y = _small_data()
    (reference, _) = _searches(n_jobs=1, max_epochs=30)
    expected = _scores(reference.fit(X, y))
    (search, _) = _searches(
        n_jobs=-1, max_epochs=30, scoring=_scoring_that_leaves_a_file(tmp_path)
    )
    events = {}
    retried = {"max_restarts": 3, "max_task_retries": 3}
    with joblib.parallel_backend("ray", ray_remote_args=retried):
        killer = _kill_a_busy_ray_worker_once(lambda: any(tmp_path.iterdir()), events)
        search.fit(X, y)
        events["finished"] = time.monotonic()
    killer.join()
    assert "killed" in events and events["killed"] < events["finished"]
    _assert_same(_scores(search), expected)


def test_compare_killed_on_ray_resumes_from_its_memory(ray_local, tmp_path):
    """The default Ray pool fails; the rerun with the same ``memory`` completes.

    The rerun loads the searches that finished before the kill and fits the
    rest; its results equal a comparison run with ``n_jobs=1``.
    """
    X, y = make_classification(n_samples=120, n_features=10, random_state=0)
    X = X.astype(np.float32)
    candidates = {
        "mlp": (MLPNetClassifier(max_epochs=20, random_state=0), {"lr": [1e-3, 1e-2]})
    }
    settings = {
        "cv": 2,
        "inner_cv": 2,
        "search": "grid",
        "explain": False,
        "random_state": 0,
    }
    serial = compare(candidates, X, y, n_jobs=1, **settings)
    memory = tmp_path / "cache"
    events = {}
    with joblib.parallel_backend("ray"):
        killer = _kill_a_busy_ray_worker_once(
            lambda: any(memory.glob("search-*.pkl")), events
        )
        with pytest.raises(ray_local.exceptions.ActorDiedError):
            compare(candidates, X, y, n_jobs=-1, memory=memory, **settings)
        events["finished"] = time.monotonic()
        killer.join()
        assert "killed" in events
        assert len(list(memory.glob("search-*.pkl"))) == 1  # of 2
        resumed = compare(candidates, X, y, n_jobs=-1, memory=memory, **settings)
    assert resumed.best_params == serial.best_params
    _assert_same(resumed.scores["mlp"], serial.scores["mlp"])
    np.testing.assert_array_equal(resumed.oof_score["mlp"], serial.oof_score["mlp"])
