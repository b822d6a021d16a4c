"""Plots of a :class:`~skdl.comparison.ComparisonResult` (matplotlib).

Figures are built with :class:`matplotlib.figure.Figure`, never with pyplot, so
no global backend or figure state is touched.
"""

from __future__ import annotations

from typing import Any

import numpy as np
from sklearn.metrics import precision_recall_curve

from skdl.metrics import fdr_recall_curve
from skdl.utils._optional import import_matplotlib


def _figure(caller: str, n_panels: int, width: float = 5.0) -> Any:
    import_matplotlib(caller)
    from matplotlib.figure import Figure

    figure = Figure(figsize=(width * n_panels, 4.2), layout="constrained")
    axes = figure.subplots(1, n_panels, squeeze=False)[0]
    return figure, axes


def plot_curves(result: Any) -> Any:
    """Plot recall against FDR and precision against recall, one line per candidate.

    The curves pool each sample's out-of-fold score, so every sample counts once.

    Parameters
    ----------
    result : ComparisonResult
        Output of :func:`skdl.comparison.compare`.

    Returns
    -------
    figure : matplotlib.figure.Figure
        Two panels titled "FDR-recall" and "Precision-recall".

    Examples
    --------
    >>> from sklearn.datasets import make_classification
    >>> from sklearn.linear_model import LogisticRegression
    >>> from skdl.comparison import compare
    >>> from skdl.report import plot_curves
    >>> X, y = make_classification(n_samples=200, random_state=0)
    >>> result = compare({"logistic": LogisticRegression()}, X, y, random_state=0)
    >>> [ax.get_title() for ax in plot_curves(result).axes]
    ['FDR-recall', 'Precision-recall']
    """
    figure, (fdr_ax, pr_ax) = _figure("plot_curves", 2)
    prevalence = float(np.mean(result.y_true))
    for name in result.names:
        fdr, recall, _ = fdr_recall_curve(result.y_true, result.oof_score[name])
        fdr_ax.step(fdr, recall, where="post", label=name)
        precision, rec, _ = precision_recall_curve(
            result.y_true, result.oof_score[name]
        )
        pr_ax.step(rec, precision, where="post", label=name)
    fdr_ax.set(
        title="FDR-recall",
        xlabel="false discovery rate",
        ylabel="recall",
        xlim=(0, 1),
        ylim=(0, 1.02),
    )
    pr_ax.axhline(prevalence, color="grey", linestyle=":", label="chance")
    pr_ax.set(
        title="Precision-recall",
        xlabel="recall",
        ylabel="precision",
        xlim=(0, 1),
        ylim=(0, 1.02),
    )
    for ax in (fdr_ax, pr_ax):
        ax.legend(fontsize="small", loc="best")
    return figure


def plot_fold_scores(result: Any, metrics: Any = None) -> Any:
    """Plot each candidate's score on every outer fold, one panel per metric.

    Parameters
    ----------
    result : ComparisonResult
        Output of :func:`skdl.comparison.compare`.
    metrics : list of str or None, default=None
        Metrics to show; None shows the primary score and recall at the
        smallest FDR level.

    Returns
    -------
    figure : matplotlib.figure.Figure
        One panel per metric, titled with the metric's name.

    Examples
    --------
    >>> from sklearn.datasets import make_classification
    >>> from sklearn.linear_model import LogisticRegression
    >>> from skdl.comparison import compare
    >>> from skdl.report import plot_fold_scores
    >>> X, y = make_classification(n_samples=200, random_state=0)
    >>> result = compare({"logistic": LogisticRegression()}, X, y, random_state=0)
    >>> [ax.get_title() for ax in plot_fold_scores(result).axes]
    ['average_precision', 'recall_at_5pct_fdr']
    """
    if metrics is None:
        fdr_names = [m for m in result.metrics if m.startswith("recall_at_")]
        metrics = [result.scoring, *fdr_names[:1]]
    figure, axes = _figure("plot_fold_scores", len(metrics), width=4.5)
    positions = np.arange(len(result.names))
    for ax, metric in zip(axes, metrics):
        values = [result.scores[name][metric] for name in result.names]
        ax.boxplot(values, positions=positions, widths=0.5, showfliers=False)
        for i, v in enumerate(values):
            jitter = np.linspace(-0.12, 0.12, len(v)) if len(v) > 1 else [0.0]
            ax.plot(i + np.asarray(jitter), v, "o", alpha=0.7)
        ax.set_xticks(positions, result.names, rotation=30, ha="right")
        ax.set(title=metric, ylabel="outer-fold score")
    return figure


def plot_tuning_gap(result: Any) -> Any:
    """Plot inner training vs tuning score of each candidate's chosen configuration.

    A large gap means the candidate fits its training folds much better than
    data it has not seen: overfitting, whatever its test score.

    Parameters
    ----------
    result : ComparisonResult
        Output of :func:`skdl.comparison.compare`.

    Returns
    -------
    figure : matplotlib.figure.Figure
        One panel titled "Train vs tuning score".

    Examples
    --------
    >>> from sklearn.datasets import make_classification
    >>> from sklearn.linear_model import LogisticRegression
    >>> from skdl.comparison import compare
    >>> from skdl.report import plot_tuning_gap
    >>> X, y = make_classification(n_samples=200, random_state=0)
    >>> result = compare({"logistic": LogisticRegression()}, X, y, random_state=0)
    >>> [ax.get_title() for ax in plot_tuning_gap(result).axes]
    ['Train vs tuning score']
    """
    figure, (ax,) = _figure("plot_tuning_gap", 1, width=6.0)
    positions = np.arange(len(result.names))
    width = 0.38
    train = [np.mean(result.train_score[name]) for name in result.names]
    tune = [np.mean(result.tune_score[name]) for name in result.names]
    ax.bar(positions - width / 2, train, width, label="inner training folds")
    ax.bar(positions + width / 2, tune, width, label="inner tuning folds")
    ax.set_xticks(positions, result.names, rotation=30, ha="right")
    ax.set(title="Train vs tuning score", ylabel=result.scoring)
    ax.legend(fontsize="small")
    return figure


def plot_memorization(result: Any) -> Any:
    """Plot the winner's score on shuffled labels next to its real score.

    Parameters
    ----------
    result : ComparisonResult
        Output of :func:`skdl.comparison.compare` run with
        ``n_permutations > 0``.

    Returns
    -------
    figure : matplotlib.figure.Figure
        One panel titled "Label-shuffle test".

    Examples
    --------
    >>> from sklearn.datasets import make_classification
    >>> from sklearn.linear_model import LogisticRegression
    >>> from skdl.comparison import compare
    >>> from skdl.report import plot_memorization
    >>> X, y = make_classification(n_samples=200, random_state=0)
    >>> result = compare({"logistic": LogisticRegression()}, X, y,
    ...                  n_permutations=3, random_state=0)
    >>> [ax.get_title() for ax in plot_memorization(result).axes]
    ['Label-shuffle test']
    """
    shuffle = result.memorization
    if shuffle is None:
        raise ValueError(
            "plot_memorization: the result has no label-shuffle test; run compare "
            "with n_permutations > 0."
        )
    figure, (ax,) = _figure("plot_memorization", 1, width=6.0)
    ax.hist(shuffle.permutation_scores, bins=10, range=(0, 1), label="shuffled labels")
    ax.axvline(shuffle.score, color="C1", linewidth=2, label="real labels")
    if shuffle.chance is not None:
        ax.axvline(shuffle.chance, color="grey", linestyle=":", label="chance")
    ax.set(
        title="Label-shuffle test",
        xlabel=f"{shuffle.scoring} of {result.winner}",
        ylabel="shuffles",
        xlim=(0, 1),
    )
    ax.legend(fontsize="small")
    return figure
