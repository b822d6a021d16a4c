"""Cost of conformal prediction next to the forward passes it needs.

A conformal classifier needs two forward passes: one over the calibration part
(to score it) and one over the test part (to build the sets). Everything else,
the conformity scores, their quantile and the set membership, is bookkeeping
that must be negligible next to them. This benchmark trains one MLP once, then
runs each conformal contender and, **within the same run**, times the forward
passes it makes (the model's ``predict_proba`` / ``predict`` is wrapped with a
timer). The ratio ``total / forward`` is therefore free of machine drift, which
on a shared 2-core VM is larger (10-15% between runs) than the bookkeeping being
measured. A separately timed pair of plain passes is printed as a sanity check.

Contenders: mapie's ``SplitConformalClassifier(prefit=True)`` (``conformalize``
+ ``predict_set``); skdl's ``SplitConformalNetClassifier(prefit=True)`` (``fit``,
which only conformalizes, + ``predict_set``), marginal and Mondrian; and
``SplitConformalNetRegressor(prefit=True)`` + ``predict_interval``.

Target (issue 6): with 100,000 calibration and 100,000 test samples, conformal
prediction costs at most 1.1x the two plain passes it needs.

Run: ``.venv/bin/python benchmarks/bench_conformal.py [--n 1e5 --rounds 7
--device cuda]``.
"""

import argparse
import gc
import platform
import time

import numpy as np
import sklearn
import torch
from mapie.classification import SplitConformalClassifier
from sklearn.datasets import make_classification

import skdl
from skdl.conformal import SplitConformalNetClassifier, SplitConformalNetRegressor
from skdl.neural_net import MLPNetClassifier, MLPNetRegressor

TARGET = 1.1


class ForwardProbe:
    """Wrap ``model.<method>``: time spent inside it and rows sent through it."""

    def __init__(self, model, method):
        self.seconds = 0.0
        self.rows = 0
        inner = getattr(model, method)

        def wrapped(X, *args, **kwargs):
            start = time.perf_counter()
            try:
                return inner(X, *args, **kwargs)
            finally:
                self.seconds += time.perf_counter() - start
                self.rows += len(X)

        setattr(model, method, wrapped)  # an instance attribute shadows the method


def measure(contenders, probe, rounds, seed=0):
    """Per contender and round: total seconds, seconds and rows in the forward."""
    rng = np.random.default_rng(seed)
    names = list(contenders)
    results = {name: [] for name in names}
    for _ in range(rounds):
        for i in rng.permutation(len(names)):  # no contender always runs first
            gc.collect()
            probe.seconds, probe.rows = 0.0, 0
            start = time.perf_counter()
            contenders[names[i]]()
            total = time.perf_counter() - start
            results[names[i]].append((total, probe.seconds, probe.rows))
    return {name: np.array(r) for name, r in results.items()}


def report(title, results, n):
    """Print each contender's times; ``passes`` counts forward rows in units of n.

    mapie also probes a model with one row to check it is fitted; that counts
    as 1/n of a pass.
    """
    print(f"\n{title}")
    print(
        f"{'contender':<44} {'total s':>8} {'forward s':>10} {'passes':>8} "
        f"{'total/forward':>14}"
    )
    verdicts = []
    for name, r in results.items():
        total, forward = np.median(r[:, 0]), np.median(r[:, 1])
        ratio = float(np.median(r[:, 0] / r[:, 1]))
        passes = float(np.median(r[:, 2])) / n
        ok = ratio <= TARGET and round(passes) == 2
        verdicts.append(ok)
        print(
            f"{name:<44} {total:8.3f} {forward:10.3f} {passes:8.5f} "
            f"{ratio:13.3f}x  {'OK' if ok else 'MISSED'}"
        )
    return all(verdicts)


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--n", type=float, default=1e5, help="calibration = test size")
    parser.add_argument("--n-features", type=int, default=100)
    parser.add_argument("--rounds", type=int, default=7)
    parser.add_argument("--device", default="cpu", help='"cpu", "cuda", ...')
    args = parser.parse_args()
    n = int(args.n)
    print(
        f"skdl {skdl.__version__}, torch {torch.__version__}, sklearn "
        f"{sklearn.__version__}, {platform.processor() or platform.machine()}, "
        f"{torch.get_num_threads()} torch threads, device {args.device}; "
        f"n_calibration = n_test = {n:,}, {args.n_features} features, "
        f"{args.rounds} rounds"
    )
    X, y = make_classification(
        2_000 + 2 * n,
        n_features=args.n_features,
        n_informative=20,
        n_classes=3,
        weights=[0.8, 0.15, 0.05],
        random_state=0,
    )
    X = X.astype(np.float32)
    fit, cal, test = slice(0, 2_000), slice(2_000, 2_000 + n), slice(2_000 + n, None)
    net = MLPNetClassifier(
        hidden_layer_sizes=(256, 256), max_epochs=5, device=args.device, random_state=0
    )
    net.fit(X[fit], y[fit])

    def plain_passes():
        start = time.perf_counter()
        net.predict_proba(X[cal])
        net.predict_proba(X[test])
        return time.perf_counter() - start

    def mapie_split():
        mapie = SplitConformalClassifier(net, confidence_level=0.9, prefit=True)
        mapie.conformalize(X[cal], y[cal])
        mapie.predict_set(X[test])

    def skdl_split(mondrian):
        def go():
            clf = SplitConformalNetClassifier(net, prefit=True, mondrian=mondrian)
            clf.fit(X[cal], y[cal]).predict_set(X[test])

        return go

    contenders = {
        "mapie conformalize + predict_set": mapie_split,
        "skdl SplitConformalNetClassifier": skdl_split(False),
        "skdl SplitConformalNetClassifier, mondrian": skdl_split(True),
    }
    plain = np.median([plain_passes() for _ in range(args.rounds)])
    results = measure(contenders, ForwardProbe(net, "predict_proba"), args.rounds)
    print(f"\n2 plain predict_proba passes, timed separately: {plain:.3f} s")
    ok = report("classification (3 classes)", results, n)

    y_reg = X[:, :5].sum(axis=1) + np.random.default_rng(0).standard_normal(len(X))
    reg = MLPNetRegressor(
        hidden_layer_sizes=(256, 256), max_epochs=5, device=args.device, random_state=0
    )
    reg.fit(X[fit], y_reg[fit])

    def skdl_interval():
        model = SplitConformalNetRegressor(reg, prefit=True).fit(X[cal], y_reg[cal])
        model.predict_interval(X[test])

    contenders = {"skdl SplitConformalNetRegressor": skdl_interval}
    results = measure(contenders, ForwardProbe(reg, "predict"), args.rounds)
    ok &= report("regression", results, n)
    print(
        f"\ntarget: total <= {TARGET}x the forward passes, and those are the 2 "
        f"passes needed (plus mapie's 1-row probe): {'OK' if ok else 'MISSED'}"
    )


if __name__ == "__main__":
    main()
