"""Plots of a :class:`~skdl.comparison.ComparisonResult` (matplotlib).

Figures are built with :class:`matplotlib.figure.Figure`, never with pyplot, so
no global backend or figure state is touched. Each plot draws one task's view
and refuses a result of another task, naming the plots that fit it.
"""

from __future__ import annotations

from typing import Any

import numpy as np
from sklearn.metrics import confusion_matrix, precision_recall_curve, r2_score

from skdl.metrics import fdr_recall_curve, recall_at_fdr_score
from skdl.utils._optional import import_matplotlib

#: Panels per row of a grid with one panel per candidate.
_MAX_COLUMNS = 4

#: The views that fit each task, named in the error for a result of another task.
_TASK_VIEWS = {
    "binary": "plot_curves or plot_confusion_matrix",
    "multiclass": "plot_confusion_matrix or per_class_recall_at_fdr",
    "regression": "plot_predicted_vs_observed or plot_residuals",
}


def _figure(
    caller: str,
    n_panels: int,
    width: float = 5.0,
    height: float = 4.2,
    max_columns: int | None = None,
) -> Any:
    """Return a figure and its ``n_panels`` axes, wrapped after ``max_columns``."""
    import_matplotlib(caller)
    from matplotlib.figure import Figure

    n_columns = n_panels if max_columns is None else min(n_panels, max_columns)
    n_rows = -(-n_panels // n_columns)
    figure = Figure(figsize=(width * n_columns, height * n_rows), layout="constrained")
    axes = figure.subplots(n_rows, n_columns, squeeze=False).ravel()
    for ax in axes[n_panels:]:  # the unused end of the last row
        ax.remove()
    return figure, axes[:n_panels]


def _check_task(caller: str, result: Any, tasks: tuple[str, ...], draws: str) -> None:
    """Raise a ValueError naming the plots to use when ``result.task`` is not fit."""
    task = getattr(result, "task", "binary")
    if task not in tasks:
        raise ValueError(
            f"{caller}: the result is a {task} comparison; {draws} need a "
            f"{' or '.join(tasks)} one. Use {_TASK_VIEWS[task]} instead."
        )


def _candidate(caller: str, result: Any, name: str | None) -> str:
    """Return ``name``, or the winner when None; refuse a name not compared."""
    if name is None:
        return str(result.winner)
    if name not in result.names:
        raise ValueError(
            f"{caller}: no candidate named {name!r}; the result compares "
            f"{result.names!r}."
        )
    return name


def _class_scores(result: Any, name: str) -> Any:
    """Score of every class for every sample, shape (n_samples, n_classes)."""
    score = np.asarray(result.oof_score[name], dtype=np.float64)
    if score.ndim == 1:  # binary: the positive class's score ranks both classes
        score = np.column_stack([-score, score])
    return score


def plot_curves(result: Any) -> Any:
    """Plot recall against FDR and precision against recall, one line per candidate.

    The curves pool each sample's out-of-fold score, so every sample counts once.
    Binary comparisons only: a multiclass result is shown by
    :func:`plot_confusion_matrix` and :func:`per_class_recall_at_fdr`, a
    regression result by :func:`plot_predicted_vs_observed` and
    :func:`plot_residuals`.

    Parameters
    ----------
    result : ComparisonResult
        Output of :func:`skdl.comparison.compare`.

    Returns
    -------
    figure : matplotlib.figure.Figure
        Two panels titled "FDR-recall" and "Precision-recall".

    Raises
    ------
    ValueError
        If the result is not a binary comparison.

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
    _check_task(
        "plot_curves",
        result,
        ("binary",),
        "FDR-recall and precision-recall curves",
    )
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
        Metrics to show; None shows the primary score and, for a binary
        comparison, recall at the smallest FDR level, otherwise the task's
        second metric (balanced accuracy, mean absolute error).

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
        others = [m for m in result.metrics if m != result.scoring]
        if getattr(result, "task", "binary") == "binary":
            others = [m for m in others if m.startswith("recall_at_")]
        metrics = [result.scoring, *others[:1]]
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
    # Scores in [0, 1] keep that axis; an R² far below zero widens it.
    values = [*shuffle.permutation_scores, shuffle.score]
    values += [] if shuffle.chance is None else [shuffle.chance]
    span = (min(0.0, float(np.min(values))), max(1.0, float(np.max(values))))
    figure, (ax,) = _figure("plot_memorization", 1, width=6.0)
    ax.hist(shuffle.permutation_scores, bins=10, range=span, label="shuffled labels")
    ax.axvline(shuffle.score, color="C1", linewidth=2, label="real labels")
    if shuffle.chance is not None:
        ax.axvline(shuffle.chance, color="grey", linestyle=":", label="chance")
    ax.set(
        title="Label-shuffle test",
        xlabel=f"{shuffle.scoring} of {result.winner}",
        ylabel="shuffles",
        xlim=span,
    )
    ax.legend(fontsize="small")
    return figure


def plot_predicted_vs_observed(result: Any) -> Any:
    """Plot each candidate's out-of-fold prediction against the observed value.

    One panel per candidate, on shared limits, with the identity line and the
    R² of the pooled out-of-fold predictions (every sample predicted once, by
    the outer fold that held it out). Regression comparisons only.

    Parameters
    ----------
    result : ComparisonResult
        Output of :func:`skdl.comparison.compare` on a regression task.

    Returns
    -------
    figure : matplotlib.figure.Figure
        One panel per candidate, titled with its name, four to a row.

    Raises
    ------
    ValueError
        If the result is not a regression comparison.

    See Also
    --------
    plot_residuals : The same predictions, as residuals.

    Examples
    --------
    >>> from sklearn.datasets import make_regression
    >>> from sklearn.dummy import DummyRegressor
    >>> from sklearn.linear_model import Ridge
    >>> from skdl.comparison import compare
    >>> from skdl.report import plot_predicted_vs_observed
    >>> X, y = make_regression(n_samples=100, n_features=5, noise=10,
    ...                        random_state=0)
    >>> result = compare({"ridge": Ridge(), "mean": DummyRegressor()}, X, y,
    ...                  cv=3, random_state=0)
    >>> figure = plot_predicted_vs_observed(result)
    >>> [ax.get_title() for ax in figure.axes]
    ['ridge', 'mean']
    >>> figure.axes[0].texts[0].get_text()
    'R² = 0.9...'
    """
    caller = "plot_predicted_vs_observed"
    _check_task(caller, result, ("regression",), "predicted-vs-observed plots")
    observed = np.asarray(result.y_true, dtype=np.float64)
    predicted = {n: np.asarray(result.oof_pred[n], float) for n in result.names}
    low = min(observed.min(), *(p.min() for p in predicted.values()))
    high = max(observed.max(), *(p.max() for p in predicted.values()))
    pad = 0.03 * (high - low or 1.0)
    limits = (low - pad, high + pad)
    figure, axes = _figure(
        caller, len(result.names), width=4.0, height=4.0, max_columns=_MAX_COLUMNS
    )
    for ax, name in zip(axes, result.names):
        ax.scatter(observed, predicted[name], s=10, alpha=0.6)
        ax.plot(limits, limits, color="grey", linestyle="--", label="identity")
        ax.text(
            0.04,
            0.96,
            f"R² = {r2_score(observed, predicted[name]):.3f}",
            transform=ax.transAxes,
            va="top",
        )
        ax.set(
            title=name,
            xlabel="observed",
            ylabel="out-of-fold prediction",
            xlim=limits,
            ylim=limits,
        )
        ax.legend(fontsize="small", loc="lower right")
    return figure


def plot_residuals(result: Any) -> Any:
    """Plot each candidate's out-of-fold residual against its prediction.

    The residual is observed minus predicted, so points above the zero line
    are under-predicted. One panel per candidate on a shared residual scale; a
    funnel or a curve means the errors depend on the predicted value.
    Regression comparisons only.

    Parameters
    ----------
    result : ComparisonResult
        Output of :func:`skdl.comparison.compare` on a regression task.

    Returns
    -------
    figure : matplotlib.figure.Figure
        One panel per candidate, titled with its name, four to a row.

    Raises
    ------
    ValueError
        If the result is not a regression comparison.

    See Also
    --------
    plot_predicted_vs_observed : The same predictions against the observed values.

    Examples
    --------
    >>> from sklearn.datasets import make_regression
    >>> from sklearn.dummy import DummyRegressor
    >>> from sklearn.linear_model import Ridge
    >>> from skdl.comparison import compare
    >>> from skdl.report import plot_residuals
    >>> X, y = make_regression(n_samples=100, n_features=5, noise=10,
    ...                        random_state=0)
    >>> result = compare({"ridge": Ridge(), "mean": DummyRegressor()}, X, y,
    ...                  cv=3, random_state=0)
    >>> [ax.get_title() for ax in plot_residuals(result).axes]
    ['ridge', 'mean']
    """
    caller = "plot_residuals"
    _check_task(caller, result, ("regression",), "residual plots")
    observed = np.asarray(result.y_true, dtype=np.float64)
    predicted = {n: np.asarray(result.oof_pred[n], float) for n in result.names}
    residual = {n: observed - p for n, p in predicted.items()}
    bound = 1.05 * max(float(np.max(np.abs(r))) for r in residual.values()) or 1.0
    figure, axes = _figure(
        caller, len(result.names), width=4.0, height=4.0, max_columns=_MAX_COLUMNS
    )
    for ax, name in zip(axes, result.names):
        ax.scatter(predicted[name], residual[name], s=10, alpha=0.6)
        ax.axhline(0.0, color="grey", linestyle="--")
        ax.set(
            title=name,
            xlabel="out-of-fold prediction",
            ylabel="residual (observed - predicted)",
            ylim=(-bound, bound),
        )
    return figure


def plot_confusion_matrix(result: Any, name: str | None = None) -> Any:
    """Plot a candidate's pooled out-of-fold confusion matrix.

    Rows are the true classes, columns the predicted ones. Each cell is
    coloured by its share of the row (so the diagonal reads as each class's
    recall, and every row sums to 1) and annotated with its count and that
    share. Classification comparisons only (multiclass or binary).

    Parameters
    ----------
    result : ComparisonResult
        Output of :func:`skdl.comparison.compare` on a classification task.
    name : str or None, default=None
        Candidate to show; None shows the winner.

    Returns
    -------
    figure : matplotlib.figure.Figure
        One panel titled "Confusion matrix: <name>", with the class labels of
        ``result.classes`` on both axes.

    Raises
    ------
    ValueError
        If the result is a regression comparison or ``name`` is not a
        candidate.

    See Also
    --------
    per_class_recall_at_fdr : Recall at each FDR level, one class at a time.

    Examples
    --------
    >>> from sklearn.datasets import load_iris
    >>> from sklearn.linear_model import LogisticRegression
    >>> from skdl.comparison import compare
    >>> from skdl.report import plot_confusion_matrix
    >>> X, y = load_iris(return_X_y=True)
    >>> result = compare({"logistic": LogisticRegression(max_iter=1000)}, X, y,
    ...                  cv=3, random_state=0)
    >>> [ax.get_title() for ax in plot_confusion_matrix(result).axes]
    ['Confusion matrix: logistic']
    """
    caller = "plot_confusion_matrix"
    _check_task(caller, result, ("multiclass", "binary"), "confusion matrices")
    name = _candidate(caller, result, name)
    labels = [str(c) for c in result.classes]
    n_classes = len(labels)
    counts = confusion_matrix(
        result.y_true, result.oof_pred[name], labels=np.arange(n_classes)
    )
    support = counts.sum(axis=1, keepdims=True)
    share = np.divide(counts, support, out=np.zeros(counts.shape), where=support > 0)
    side = max(4.5, 1.5 + 0.6 * n_classes)
    figure, (ax,) = _figure(caller, 1, width=side, height=side)
    ax.imshow(share, cmap="Blues", vmin=0.0, vmax=1.0)
    fontsize = "medium" if n_classes <= 8 else "x-small"
    for i, j in np.ndindex(counts.shape):
        ax.text(
            j,
            i,
            f"{counts[i, j]}\n{share[i, j]:.0%}",
            ha="center",
            va="center",
            fontsize=fontsize,
            color="white" if share[i, j] > 0.5 else "black",
        )
    positions = np.arange(n_classes)
    rotated = {"rotation": 45, "ha": "right", "rotation_mode": "anchor"}
    ax.set_xticks(positions, labels, **(rotated if n_classes > 4 else {}))
    ax.set_yticks(positions, labels)
    ax.set(
        title=f"Confusion matrix: {name}",
        xlabel="predicted class",
        ylabel="true class (row share = recall)",
    )
    return figure


def per_class_recall_at_fdr(result: Any, name: str | None = None) -> list[list[str]]:
    """Table of recall at each FDR level for every class, one-vs-rest.

    Class ``c`` is the positive class and every other class is negative; its
    out-of-fold score is the candidate's score for ``c`` (probability, or
    decision value for a candidate without ``predict_proba``). Recall is
    :func:`skdl.metrics.recall_at_fdr_score` of the pooled out-of-fold scores
    at each level of ``result.protocol["fdr"]``. A binary result gives its
    negative class the negated positive-class score.

    Parameters
    ----------
    result : ComparisonResult
        Output of :func:`skdl.comparison.compare` on a classification task.
    name : str or None, default=None
        Candidate to show; None shows the winner.

    Returns
    -------
    table : list of list of str
        Header first: ``["class", "samples", "recall at 5% FDR", ...]``, then
        one row per class of ``result.classes``: its label, its number of
        samples and its recall at each FDR level (three decimals), ready to be
        written as a text or HTML table.

    Raises
    ------
    ValueError
        If the result is a regression comparison or ``name`` is not a
        candidate.

    See Also
    --------
    plot_confusion_matrix : Where each class's samples are predicted to go.

    Examples
    --------
    >>> from sklearn.datasets import load_iris
    >>> from sklearn.linear_model import LogisticRegression
    >>> from skdl.comparison import compare
    >>> from skdl.report import per_class_recall_at_fdr
    >>> X, y = load_iris(return_X_y=True)
    >>> result = compare({"logistic": LogisticRegression(max_iter=1000)}, X, y,
    ...                  cv=3, random_state=0)
    >>> table = per_class_recall_at_fdr(result)
    >>> table[0]
    ['class', 'samples', 'recall at 5% FDR', 'recall at 10% FDR', 'recall at 20% FDR']
    >>> [row[:2] for row in table[1:]]
    [['0', '50'], ['1', '50'], ['2', '50']]
    """
    caller = "per_class_recall_at_fdr"
    _check_task(caller, result, ("multiclass", "binary"), "per-class recall tables")
    name = _candidate(caller, result, name)
    levels = [float(q) for q in result.protocol["fdr"]]
    score = _class_scores(result, name)
    y_true = np.asarray(result.y_true)
    table = [["class", "samples", *(f"recall at {100 * q:g}% FDR" for q in levels)]]
    for c, label in enumerate(result.classes):
        positive = (y_true == c).astype(int)
        recalls = [recall_at_fdr_score(positive, score[:, c], fdr=q) for q in levels]
        table.append([str(label), str(positive.sum()), *(f"{r:.3f}" for r in recalls)])
    return table


#: Widest logo window drawn per sequence in :func:`plot_learned`.
_LOGO_WIDTH = 100


def _logo_window(contributions: Any, width: int) -> tuple[int, int]:
    """Return the ``width`` positions around the strongest contributions."""
    length = contributions.shape[1]
    if length <= width:
        return 0, length
    per_position = np.abs(contributions).sum(axis=0)
    core = min(20, length)
    sums = np.convolve(per_position, np.ones(core), mode="valid")
    centre = int(np.argmax(sums)) + core // 2
    start = int(np.clip(centre - width // 2, 0, length - width))
    return start, start + width


def plot_learned(result: Any, n_sequences: int = 4) -> Any:
    """Draw what the winner learned: logos of its top held-out sequences.

    One logo per sequence, from ``result.explanation`` (in-silico mutagenesis
    of the held-out sequences the winner scored highest): the height of each
    letter is its contribution to the response, minus the mean effect of
    replacing it. Sequences longer than 100 positions are shown around their
    strongest 20-position segment.

    Parameters
    ----------
    result : ComparisonResult
        Output of :func:`skdl.comparison.compare` on sequences, with
        ``explain=True`` (the default).
    n_sequences : int, default=4
        Logos drawn, best first.

    Returns
    -------
    figure : matplotlib.figure.Figure
        One panel per sequence, titled by its sample index.

    Raises
    ------
    ValueError
        If the result holds no explanation.

    Examples
    --------
    >>> from skdl.comparison import compare
    >>> from skdl.datasets import simulate_motif_sequences
    >>> from skdl.report import plot_learned
    >>> from sklearn.feature_extraction.text import CountVectorizer
    >>> from sklearn.linear_model import LogisticRegression
    >>> from sklearn.pipeline import make_pipeline
    >>> data = simulate_motif_sequences(300, length=40, prevalence=0.3,
    ...                                 random_state=0)
    >>> kmers = make_pipeline(CountVectorizer(analyzer="char", ngram_range=(3, 3)),
    ...                       LogisticRegression(max_iter=500))
    >>> result = compare({"k-mers": kmers}, data.sequences, data.target, cv=3)
    >>> len(plot_learned(result, n_sequences=2).axes)
    2
    """
    from skdl.inspection._plots import draw_logo

    explanation = getattr(result, "explanation", None)
    if explanation is None:
        raise ValueError(
            "plot_learned: the result holds no explanation; compare sequences "
            "(a 1-D array of text) with explain=True to get one."
        )
    n = min(int(n_sequences), len(explanation.samples))
    figure, axes = _figure("plot_learned", n, width=10.0, height=2.2, max_columns=1)
    scores = result.oof_score[explanation.candidate]
    for ax, i in zip(axes, range(n), strict=True):
        contributions = explanation.attributions[i]
        start, stop = _logo_window(contributions, _LOGO_WIDTH)
        draw_logo(ax, contributions[:, start:stop], explanation.alphabet, start)
        sample = int(explanation.samples[i])
        score = np.asarray(scores[sample])
        shown = f", score {float(score):.3f}" if score.ndim == 0 else ""
        ax.set(
            title=f"sample {sample}{shown}",
            ylabel="contribution",
            xlabel="position" if i == n - 1 else "",
        )
    return figure
