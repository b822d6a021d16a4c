"""The ``skdl`` command.

``skdl demo`` tunes a deep net and a classical baseline with the *same* search on
data shipped with scikit-learn (Wisconsin breast cancer, 569 tumours x 30
features), then scores each once on a held-out test set and prints the table.
"""

from __future__ import annotations

import argparse
import sys
import time
from collections.abc import Sequence
from typing import Any, TextIO

from sklearn.base import BaseEstimator
from sklearn.datasets import load_breast_cancer
from sklearn.linear_model import LogisticRegression
from sklearn.metrics import average_precision_score, roc_auc_score
from sklearn.model_selection import GridSearchCV, StratifiedKFold, train_test_split
from sklearn.pipeline import Pipeline
from sklearn.preprocessing import StandardScaler

from skdl.neural_net import MLPNetClassifier


def demo_candidates(random_state: int = 0) -> dict[str, tuple[BaseEstimator, dict]]:
    """Return the demo's candidates and grids, each with 4 configurations.

    Parameters
    ----------
    random_state : int, default=0
        Seed of the stochastic candidates.

    Returns
    -------
    candidates : dict
        ``{name: (pipeline, param_grid)}``; every grid has 4 configurations, so
        both candidates get the same tuning budget.

    Examples
    --------
    >>> from skdl.cli import demo_candidates
    >>> sorted(demo_candidates())
    ['LogisticRegression', 'MLPNetClassifier']
    """
    net = MLPNetClassifier(
        max_epochs=60,
        early_stopping=True,
        n_iter_no_change=5,
        random_state=random_state,
    )
    return {
        "MLPNetClassifier": (
            Pipeline([("scale", StandardScaler()), ("model", net)]),
            {"model__hidden_layer_sizes": [(16,), (64,)], "model__lr": [1e-3, 1e-2]},
        ),
        "LogisticRegression": (
            Pipeline(
                [
                    ("scale", StandardScaler()),
                    ("model", LogisticRegression(max_iter=5000)),
                ]
            ),
            {"model__C": [0.01, 0.1, 1.0, 10.0]},
        ),
    }


def run_demo(
    *, random_state: int = 0, n_jobs: int | None = None, out: TextIO | None = None
) -> list[dict[str, Any]]:
    """Tune a deep net and a baseline identically, test each once, print a table.

    The data are split once into a development part (75%) and a single-use test
    part (25%), stratified. On the development part, one ``GridSearchCV``
    configuration (5-fold stratified CV, ``scoring="average_precision"``, the
    same number of configurations) tunes each candidate; each refitted winner is
    then scored once on the test part.

    Parameters
    ----------
    random_state : int, default=0
        Seed of the split, the folds and the nets.
    n_jobs : int or None, default=None
        Parallel jobs of the search (joblib).
    out : file-like or None, default=None
        Where to print the table; None means ``sys.stdout``.

    Returns
    -------
    rows : list of dict
        One row per candidate: ``model``, ``best_params``, ``cv_auprc``,
        ``cv_auprc_std``, ``test_auprc``, ``test_auroc``, ``fit_seconds``.

    Examples
    --------
    >>> import io
    >>> from skdl.cli import run_demo
    >>> rows = run_demo(out=io.StringIO())
    >>> sorted(row["model"] for row in rows)
    ['LogisticRegression', 'MLPNetClassifier']
    """
    out = sys.stdout if out is None else out
    X, y = load_breast_cancer(return_X_y=True)
    X_dev, X_test, y_dev, y_test = train_test_split(
        X, y, test_size=0.25, stratify=y, random_state=random_state
    )
    cv = StratifiedKFold(n_splits=5, shuffle=True, random_state=random_state)
    print(
        f"Breast cancer (569 x 30): {len(y_dev)} development, {len(y_test)} test "
        "samples. Same search for every model: 5-fold stratified CV, 4 "
        "configurations, scoring=average_precision.",
        file=out,
    )
    rows = []
    for name, (pipeline, grid) in demo_candidates(random_state).items():
        search = GridSearchCV(
            pipeline, grid, scoring="average_precision", cv=cv, n_jobs=n_jobs
        )
        start = time.perf_counter()
        search.fit(X_dev, y_dev)
        seconds = time.perf_counter() - start
        proba = search.predict_proba(X_test)[:, 1]
        best = search.best_index_
        rows.append(
            {
                "model": name,
                "best_params": {
                    key.removeprefix("model__"): value
                    for key, value in search.best_params_.items()
                },
                "cv_auprc": float(search.cv_results_["mean_test_score"][best]),
                "cv_auprc_std": float(search.cv_results_["std_test_score"][best]),
                "test_auprc": float(average_precision_score(y_test, proba)),
                "test_auroc": float(roc_auc_score(y_test, proba)),
                "fit_seconds": seconds,
            }
        )
    print(format_table(rows), file=out)
    return rows


def format_table(rows: Sequence[dict[str, Any]]) -> str:
    """Format the demo's result rows as a plain-text table.

    Parameters
    ----------
    rows : sequence of dict
        Rows as returned by :func:`run_demo`.

    Returns
    -------
    table : str

    Examples
    --------
    >>> from skdl.cli import format_table
    >>> print(format_table([{"model": "M", "best_params": {"C": 1.0},
    ...     "cv_auprc": 0.9, "cv_auprc_std": 0.01, "test_auprc": 0.95,
    ...     "test_auroc": 0.97, "fit_seconds": 1.5}]))
    model  CV auPRC (sd)  test auPRC  test auROC  search s  best parameters
    M      0.900 (0.010)       0.950       0.970       1.5  C=1.0
    """
    header = ["model", "CV auPRC (sd)", "test auPRC", "test auROC", "search s"]
    width = max([len("model"), *(len(row["model"]) for row in rows)])
    lines = [
        f"{header[0]:<{width}}  {header[1]:>13}  {header[2]:>10}  {header[3]:>10}  "
        f"{header[4]:>8}  best parameters"
    ]
    for row in rows:
        params = ", ".join(f"{k}={v}" for k, v in row["best_params"].items())
        cv = f"{row['cv_auprc']:.3f} ({row['cv_auprc_std']:.3f})"
        lines.append(
            f"{row['model']:<{width}}  {cv:>13}  {row['test_auprc']:>10.3f}  "
            f"{row['test_auroc']:>10.3f}  {row['fit_seconds']:>8.1f}  {params}"
        )
    return "\n".join(lines)


def main(argv: Sequence[str] | None = None) -> int:
    """Entry point of the ``skdl`` console script.

    Parameters
    ----------
    argv : sequence of str or None, default=None
        Arguments without the program name; None reads ``sys.argv``.

    Returns
    -------
    status : int
        Exit status.

    Examples
    --------
    >>> from skdl.cli import main
    >>> main([])
    usage: skdl ...
    2
    """
    import skdl

    parser = argparse.ArgumentParser(
        prog="skdl",
        description="Deep learning that behaves exactly like scikit-learn.",
    )
    parser.add_argument("--version", action="version", version=skdl.__version__)
    commands = parser.add_subparsers(dest="command")
    demo = commands.add_parser(
        "demo",
        help="tune a deep net and a baseline with the same search on embedded data",
    )
    demo.add_argument("--seed", type=int, default=0, help="random seed (default 0)")
    demo.add_argument(
        "--n-jobs", type=int, default=None, help="parallel jobs of the search"
    )
    args = parser.parse_args(argv)
    if args.command == "demo":
        run_demo(random_state=args.seed, n_jobs=args.n_jobs)
        return 0
    parser.print_help()
    return 2


if __name__ == "__main__":  # pragma: no cover
    sys.exit(main())
