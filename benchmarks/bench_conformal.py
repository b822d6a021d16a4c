"""Cost of conformal prediction next to the forward passes it needs.

A conformal classifier needs two forward passes: one over the calibration part
(to score it) and one over the test part (to build the sets). Everything else,
the conformity scores, their quantile and the set membership, is bookkeeping
that must be negligible next to them. This benchmark trains one MLP once, then
times, in interleaved rounds (machine drift hits every contender alike):

- the reference: ``predict_proba`` over the calibration part plus
  ``predict_proba`` over the test part;
- mapie's ``SplitConformalClassifier(prefit=True)``: ``conformalize`` +
  ``predict_set``;
- skdl's ``SplitConformalNetClassifier(prefit=True)``: ``fit`` (which only
  conformalizes) + ``predict_set``, marginal and Mondrian;
- the same for regression: two ``predict`` passes against
  ``SplitConformalNetRegressor(prefit=True)`` + ``predict_interval``.

Target (issue 6): with 100,000 calibration and 100,000 test samples, conformal
prediction costs at most 1.1x the two plain passes.

Run: ``.venv/bin/python benchmarks/bench_conformal.py [--n 1e5 --rounds 5
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


def timed(fn):
    gc.collect()
    start = time.perf_counter()
    fn()
    return time.perf_counter() - start


def run(contenders, rounds):
    times = {name: [] for name in contenders}
    for _ in range(rounds):
        for name, fn in contenders.items():
            times[name].append(timed(fn))
    return {name: np.array(t) for name, t in times.items()}


def report(title, times, reference):
    ref = times[reference]
    print(f"\n{title}")
    print(f"{'contender':<46} {'median s':>9} {'vs reference':>13}")
    verdicts = []
    for name, t in times.items():
        ratio = float(np.median(t / ref))
        mark = ""
        if name != reference:
            ok = ratio <= TARGET
            verdicts.append(ok)
            mark = "  OK" if ok else "  MISSED"
        print(f"{name:<46} {np.median(t):9.3f} {ratio:12.2f}x{mark}")
    return all(verdicts)


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--n", type=float, default=1e5, help="calibration = test size")
    parser.add_argument("--n-features", type=int, default=100)
    parser.add_argument("--rounds", type=int, default=5)
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

    def reference():
        net.predict_proba(X[cal])
        net.predict_proba(X[test])

    def mapie_split():
        mapie = SplitConformalClassifier(net, confidence_level=0.9, prefit=True)
        mapie.conformalize(X[cal], y[cal])
        mapie.predict_set(X[test])

    def skdl_split(mondrian):
        def go():
            clf = SplitConformalNetClassifier(net, prefit=True, mondrian=mondrian)
            clf.fit(X[cal], y[cal]).predict_set(X[test])

        return go

    times = run(
        {
            "2 x predict_proba (reference)": reference,
            "mapie conformalize + predict_set": mapie_split,
            "skdl SplitConformalNetClassifier": skdl_split(False),
            "skdl SplitConformalNetClassifier, mondrian": skdl_split(True),
        },
        args.rounds,
    )
    ok = report("classification (3 classes)", times, "2 x predict_proba (reference)")

    y_reg = X[:, :5].sum(axis=1) + np.random.default_rng(0).standard_normal(len(X))
    reg = MLPNetRegressor(
        hidden_layer_sizes=(256, 256), max_epochs=5, device=args.device, random_state=0
    )
    reg.fit(X[fit], y_reg[fit])

    def reference_reg():
        reg.predict(X[cal])
        reg.predict(X[test])

    def skdl_interval():
        model = SplitConformalNetRegressor(reg, prefit=True).fit(X[cal], y_reg[cal])
        model.predict_interval(X[test])

    times = run(
        {
            "2 x predict (reference)": reference_reg,
            "skdl SplitConformalNetRegressor": skdl_interval,
        },
        args.rounds,
    )
    ok &= report("regression", times, "2 x predict (reference)")
    print(f"\ntarget <= {TARGET}x the two plain passes: {'OK' if ok else 'MISSED'}")


if __name__ == "__main__":
    main()
