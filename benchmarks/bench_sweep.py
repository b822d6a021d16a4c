"""Wall time of one hyperparameter sweep on 1 job, 2 loky jobs and a Dask cluster.

The sweep is a ``GridSearchCV`` of 8 configurations x 3 folds over a
``StandardScaler`` + ``MLPNetClassifier`` pipeline. ``n_jobs=1`` already uses
every core through torch's intra-op threads; ``n_jobs=2`` runs two fits at once
in loky worker processes, each with its share of the cores (one thread here);
the Dask run uses a ``distributed.LocalCluster`` on loopback (2 worker
processes, 1 thread each) through ``joblib.parallel_backend("dask")``. Worker
processes are started before timing, so only the sweep is measured. Every run
must give identical ``cv_results_`` scores (checked).

Targets (issue 7): n_jobs=2 at least 1.4x faster than n_jobs=1; Dask within
1.2x of loky n_jobs=2.

Run: ``.venv/bin/python benchmarks/bench_sweep.py`` (``--help`` for options).
"""

import argparse
import os
import platform
import time

import joblib
import numpy as np
import torch
from sklearn.model_selection import GridSearchCV, StratifiedKFold
from sklearn.pipeline import make_pipeline
from sklearn.preprocessing import StandardScaler

import skdl
from skdl.neural_net import MLPNetClassifier


def make_data(n_samples, n_features, seed=0):
    rng = np.random.RandomState(seed)
    X = rng.randn(n_samples, n_features).astype(np.float32)
    w = rng.randn(n_features)
    y = (np.tanh(X @ w / 4) + 0.3 * rng.randn(n_samples) > 0).astype(np.int64)
    return X, y


def search(n_jobs, args):
    pipe = make_pipeline(
        StandardScaler(),
        MLPNetClassifier(max_epochs=args.epochs, batch_size=128, random_state=0),
    )
    grid = {
        "mlpnetclassifier__hidden_layer_sizes": [(64,), (128,), (64, 64), (128, 128)],
        "mlpnetclassifier__lr": [1e-3, 3e-3],
    }
    cv = StratifiedKFold(3, shuffle=True, random_state=0)
    return GridSearchCV(pipe, grid, cv=cv, scoring="roc_auc", n_jobs=n_jobs)


def scores(results):
    return {k: v for k, v in results.items() if "test_score" in k}


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--n-samples", type=int, default=20000)
    parser.add_argument("--n-features", type=int, default=50)
    parser.add_argument("--epochs", type=int, default=8)
    parser.add_argument("--repeats", type=int, default=2)
    args = parser.parse_args()
    X, y = make_data(args.n_samples, args.n_features)
    print(
        f"skdl {skdl.__version__}, torch {torch.__version__}, "
        f"{platform.processor() or platform.machine()}, {os.cpu_count()} CPUs, "
        f"torch threads {torch.get_num_threads()}; {args.n_samples} x "
        f"{args.n_features}, 8 configurations x 3 folds, {args.epochs} epochs"
    )
    from distributed import Client, LocalCluster

    times = {"n_jobs=1": [], "loky n_jobs=2": [], "dask 2 workers": []}
    results = {}
    with (
        LocalCluster(
            n_workers=2,
            threads_per_worker=1,
            processes=True,
            host="127.0.0.1",
            dashboard_address=None,
        ) as cluster,
        Client(cluster) as client,
    ):
        # Start loky's workers and import skdl (torch, skorch) in them before timing.
        joblib.Parallel(n_jobs=2)(
            joblib.delayed(__import__)("skdl.neural_net") for _ in range(4)
        )
        client.run(lambda: __import__("skdl.neural_net"))
        for _ in range(args.repeats):
            for name in times:
                start = time.perf_counter()
                if name.startswith("dask"):
                    with joblib.parallel_backend("dask"):
                        fitted = search(-1, args).fit(X, y)
                else:
                    fitted = search(1 if name == "n_jobs=1" else 2, args).fit(X, y)
                times[name].append(time.perf_counter() - start)
                results[name] = scores(fitted.cv_results_)
    reference = results["n_jobs=1"]
    for name, res in results.items():
        same = all(np.array_equal(res[k], reference[k]) for k in reference)
        print(
            f"  {name:>15}: median {np.median(times[name]):6.1f} s; "
            f"cv_results_ scores identical to n_jobs=1: {same}"
        )
    serial = np.array(times["n_jobs=1"])
    loky = np.array(times["loky n_jobs=2"])
    dask = np.array(times["dask 2 workers"])
    print(
        f"speed-up n_jobs=2 over n_jobs=1 (target >= 1.4x): "
        f"{np.median(serial / loky):.2f}x"
    )
    print(f"Dask / loky n_jobs=2 (target <= 1.2x): {np.median(dask / loky):.2f}x")
    print(f"speed-up Dask over n_jobs=1: {np.median(serial / dask):.2f}x")


if __name__ == "__main__":
    main()
