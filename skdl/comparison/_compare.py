"""Nested cross-validation that tunes every candidate with the same budget."""

from __future__ import annotations

import dataclasses
import os
import signal
import sys
import threading
import time
import warnings
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from numbers import Integral, Real
from typing import Any

import numpy as np
from joblib import effective_n_jobs
from numpy.typing import ArrayLike, NDArray
from sklearn.base import clone
from sklearn.model_selection import (
    GridSearchCV,
    GroupKFold,
    KFold,
    ParameterGrid,
    ParameterSampler,
    RandomizedSearchCV,
    StratifiedGroupKFold,
    StratifiedKFold,
    check_cv,
)
from sklearn.pipeline import Pipeline
from sklearn.utils import check_consistent_length

from skdl.callbacks import TimeLimit
from skdl.comparison._cache import (
    MISSING,
    ResultCache,
    fingerprint,
    stable_fingerprint,
)
from skdl.comparison._candidates import default_candidates
from skdl.comparison._guards import screen_columns
from skdl.comparison._memorization import (
    LabelShuffleResult,
    chance_score,
    label_shuffle_test,
)
from skdl.comparison._sentences import (
    budget_sentence,
    budget_warnings,
    flag_sentences,
    task_sentence,
    verdict_sentence,
)
from skdl.comparison._stats import corrected_resampled_ttest, mcnemar_test
from skdl.comparison._tasks import (
    TASKS,
    fold_metrics,
    measured_scorer,
    predict_outputs,
    resolve_task,
    task_scorer,
)
from skdl.exceptions import SkdlWarning
from skdl.utils._groups import check_groups
from skdl.utils._holdout import merge_copies, sequence_array
from skdl.utils._parallel import resolve_n_jobs
from skdl.utils._routing import routed_fit
from skdl.utils._sklearn import Interval, StrOptions, _safe_indexing, validate_params


class _TimeBudgetSearchCV(RandomizedSearchCV):
    """``RandomizedSearchCV`` that stops drawing configurations within ``max_time``.

    It overrides ``_run_search``, the extension point scikit-learn's searches
    are built on: configurations are evaluated ``n_jobs`` at a time, and a new
    batch starts only when the mean time of the batches so far says it will
    end within ``max_time`` seconds. The first batch always runs;
    ``first_over_budget_`` records whether it alone took longer than
    ``max_time``.
    """

    _parameter_constraints: dict = {
        **RandomizedSearchCV._parameter_constraints,
        "max_time": [Interval(Real, 0, None, closed="neither")],
    }

    def __init__(
        self,
        estimator: Any,
        param_distributions: Any,
        *,
        max_time: float = 60.0,
        n_iter: int = 10,
        scoring: Any = None,
        n_jobs: int | None = None,
        refit: Any = True,
        cv: Any = None,
        verbose: int = 0,
        pre_dispatch: Any = "2*n_jobs",
        random_state: Any = None,
        error_score: Any = np.nan,
        return_train_score: bool = False,
    ) -> None:
        super().__init__(
            estimator,
            param_distributions,
            n_iter=n_iter,
            scoring=scoring,
            n_jobs=n_jobs,
            refit=refit,
            cv=cv,
            verbose=verbose,
            pre_dispatch=pre_dispatch,
            random_state=random_state,
            error_score=error_score,
            return_train_score=return_train_score,
        )
        self.max_time = max_time

    def _run_search(self, evaluate_candidates: Any) -> None:
        configurations = list(
            ParameterSampler(
                self.param_distributions, self.n_iter, random_state=self.random_state
            )
        )
        step = max(1, effective_n_jobs(self.n_jobs))
        start = time.perf_counter()
        for n_batches, begin in enumerate(range(0, len(configurations), step), 1):
            evaluate_candidates(configurations[begin : begin + step])
            elapsed = time.perf_counter() - start
            if n_batches == 1:
                self.first_over_budget_ = elapsed > self.max_time
            # Start another batch only if one more, at the mean time so far,
            # ends within the budget: the budget is a limit, not a start time.
            if elapsed + elapsed / n_batches > self.max_time:
                break


def _n_configurations(params: Any, search: str, n_iter: int) -> int:
    if not params:
        return 1
    grids = params if isinstance(params, list) else [params]
    all_lists = all(
        not hasattr(values, "rvs") for grid in grids for values in grid.values()
    )
    if search == "grid":
        return len(ParameterGrid(params))
    return min(n_iter, len(ParameterGrid(params))) if all_lists else n_iter


def _make_search(
    estimator: Any,
    params: Any,
    *,
    search: str,
    n_iter: int,
    max_time: float | None,
    scoring: Any,
    cv: Any,
    n_jobs: int | None,
    random_state: int,
) -> Any:
    common = {
        "scoring": scoring,
        "cv": cv,
        "n_jobs": n_jobs,
        "return_train_score": True,
        "error_score": "raise",
    }
    if max_time is not None:
        # One configuration is n_inner fits and the refit: each net fit gets an
        # equal part of the search's time, so no fit can outlast the search.
        per_fit = max_time / (check_cv(cv).get_n_splits() + 1)
        if not params:
            return GridSearchCV(_time_limited(estimator, per_fit), {}, **common)
        n = _n_configurations(params, search, n_iter)
        return _TimeBudgetSearchCV(
            _time_limited(estimator, per_fit),
            params,
            max_time=max_time,
            n_iter=n,
            random_state=random_state,
            **common,
        )
    if not params:
        return GridSearchCV(clone(estimator), {}, **common)
    if search == "grid":
        return GridSearchCV(clone(estimator), params, **common)
    if search == "halving":
        from sklearn.experimental import enable_halving_search_cv  # noqa: F401
        from sklearn.model_selection import HalvingRandomSearchCV

        return HalvingRandomSearchCV(
            clone(estimator),
            params,
            n_candidates=_n_configurations(params, "random", n_iter),
            # sklearn's default ("smallest") starts at a few dozen samples, too
            # few for rare positives; "exhaust" ends on the whole training part.
            min_resources="exhaust",
            random_state=random_state,
            **common,
        )
    with warnings.catch_warnings():
        # A grid smaller than n_iter is reported once, by compare, as an
        # unequal budget; sklearn would repeat it at every outer fold.
        warnings.filterwarnings("ignore", "The total space of parameters")
        return RandomizedSearchCV(
            clone(estimator),
            params,
            n_iter=_n_configurations(params, "random", n_iter),
            random_state=random_state,
            **common,
        )


def _time_limited(estimator: Any, seconds: float) -> Any:
    """Clone ``estimator`` with a :class:`TimeLimit` on every skdl net inside it."""
    from skdl.neural_net._base import BaseNetEstimator

    limited = clone(estimator)
    for prefix, step in _steps(limited):
        if isinstance(step, BaseNetEstimator):
            kept = [c for c in step.callbacks or [] if _name(c) != "time_limit"]
            limited.set_params(
                **{f"{prefix}callbacks": [*kept, ("time_limit", TimeLimit(seconds))]}
            )
    return limited


def _steps(estimator: Any) -> list[tuple[str, Any]]:
    """``(parameter prefix, step)`` of each pipeline step, or of the estimator."""
    if isinstance(estimator, Pipeline):
        return [(f"{name}__", step) for name, step in estimator.steps]
    return [("", estimator)]


def _name(callback: Any) -> str | None:
    return callback[0] if isinstance(callback, tuple) else None


def _holm(pvalues: list[float]) -> list[float]:
    """Holm-adjusted p-values; an undefined (NaN) p-value stays NaN.

    NaN p-values are ranked last, as if they were 1, so they never lower the
    others' adjustment.
    """
    values = np.asarray(pvalues, dtype=float)
    order = np.argsort(np.where(np.isnan(values), np.inf, values), kind="stable")
    m = len(values)
    adjusted = np.empty(m)
    running = 0.0
    for rank, index in enumerate(order):
        if np.isnan(values[index]):
            adjusted[index] = np.nan
            continue
        running = max(running, min(1.0, (m - rank) * values[index]))
        adjusted[index] = running
    return adjusted.tolist()


@dataclass
class ComparisonResult:
    """Everything :func:`compare` measured, per candidate and per outer fold.

    Parameters
    ----------
    names : list of str
        Candidate names, in the order given.
    scoring : str
        Name of the primary score, used for tuning and for picking the winner.
    metrics : list of str
        Names of the scores measured on every outer test fold, primary first.
    scores : dict
        ``scores[name][metric]``: ndarray of shape (n_folds,).
    train_score : dict
        ``[name]``: ndarray of shape (n_folds,); the chosen configuration's mean
        score on the inner training folds.
    tune_score : dict
        ``[name]``: the same on the inner tuning folds. A large gap between the
        two is overfitting.
    best_params : dict
        ``[name]``: the configuration chosen in each outer fold.
    n_configurations : dict
        ``[name]``: configurations tried in each outer fold.
    fit_time : dict
        ``[name]``: ndarray of shape (n_folds,); seconds of the whole search in
        each outer fold (every configuration on the inner folds, and the refit).
    oof_score : dict
        ``[name]``: each sample's output from the outer fold that held it out:
        the positive-class score (binary), the class probabilities of shape
        (n_samples, n_classes) (multiclass), or the prediction (regression).
    oof_pred : dict
        ``[name]``: the same samples' predicted labels (class indices into
        ``classes``) or values.
    y_true : ndarray of shape (n_samples,)
        The target as the candidates saw it: 1 for the positive class
        (``classes[1]``) and 0 otherwise (binary), the index of each label in
        ``classes`` (multiclass), or the values (regression).
    fold : ndarray of shape (n_samples,)
        Index of the outer fold that held each sample out.
    classes : ndarray
        The labels: ``[negative, positive]`` (binary; the positive class is
        named in the summary and the report), all classes in sorted order
        (multiclass), or empty (regression).
    protocol : dict
        What was done: task (and why), outer and inner splitters, search,
        budget, seed.
    task : {"binary", "multiclass", "regression"}, default="binary"
        The task compared.
    comparisons : list of dict
        One row per other candidate against the winner: mean difference,
        corrected resampled t-test, its Holm-adjusted p-value, McNemar
        (classification only; NaN for regression).
    winner : str
        The candidate with the best mean primary score.
    crowned : bool
        Whether the winner is better than every other candidate with Holm-adjusted
        p < ``alpha``. When False, the data do not separate the best candidates.
    alpha : float
        Significance level of ``crowned``.
    memorization : LabelShuffleResult or None
        The winner's protocol on shuffled labels, when it was run.
    groups : ndarray or None
        The groups given to :func:`compare`.
    flags : list of ColumnFlag
        Columns flagged before any fit: a leak of the target, an ID, the
        groups. They were used (each with a warning); drop them to exclude them.
    final_estimator : estimator or None
        The winner's search refitted on all the data, when ``refit=True``. Like
        every candidate inside :func:`compare`, it is fitted on the encoded
        target ``y_true``: binary candidates predict 1 for ``classes[1]``,
        multiclass ones an index into ``classes``.
    explanation : Bunch or None
        What the winner learned, when ``X`` holds sequences and ``explain`` is
        True: the in-silico mutagenesis of the test sequences it scored
        highest in the last outer fold (by the model of that fold, which never
        saw them), their per-letter contributions and, for DNA, the shipped
        JASPAR motifs their high-contribution segments match (see
        :func:`skdl.inspection.match_motifs`). Keys: ``candidate``, ``fold``,
        ``method``, ``samples`` (indices into ``X``), ``sequences``,
        ``attributions``, ``alphabet``, ``target`` (the class explained, as
        labelled in ``y``; the output index for regression), ``response``,
        ``motifs`` (a DataFrame, or None for other alphabets) and
        ``seqlet_fdr`` (the FDR screen of the matched segments; None when
        nothing passed it and each sequence's best segments were matched
        instead).

    Examples
    --------
    >>> from sklearn.datasets import make_classification
    >>> from sklearn.dummy import DummyClassifier
    >>> from sklearn.linear_model import LogisticRegression
    >>> from skdl.comparison import compare
    >>> X, y = make_classification(n_samples=200, random_state=0)
    >>> result = compare({"logistic": LogisticRegression(),
    ...                   "dummy": DummyClassifier()}, X, y, random_state=0)
    >>> result.task, result.winner, result.crowned
    ('binary', 'logistic', True)
    """

    names: list[str]
    scoring: str
    metrics: list[str]
    scores: dict[str, dict[str, NDArray[np.float64]]]
    train_score: dict[str, NDArray[np.float64]]
    tune_score: dict[str, NDArray[np.float64]]
    best_params: dict[str, list[dict[str, Any]]]
    n_configurations: dict[str, list[int]]
    fit_time: dict[str, NDArray[np.float64]]
    oof_score: dict[str, NDArray[np.float64]]
    oof_pred: dict[str, NDArray[Any]]
    y_true: NDArray[Any]
    fold: NDArray[np.int64]
    classes: NDArray[Any]
    protocol: dict[str, Any]
    task: str = "binary"
    comparisons: list[dict[str, Any]] = field(default_factory=list)
    winner: str = ""
    crowned: bool = False
    alpha: float = 0.05
    memorization: LabelShuffleResult | None = None
    groups: NDArray[Any] | None = None
    flags: list[Any] = field(default_factory=list)
    final_estimator: Any = None
    explanation: Any = None

    def mean_scores(self, metric: str | None = None) -> dict[str, float]:
        """Mean over outer folds of one score (the primary one by default).

        Parameters
        ----------
        metric : str or None, default=None
            One of ``metrics``.

        Returns
        -------
        means : dict
            ``{name: mean score}``.
        """
        metric = self.scoring if metric is None else metric
        return {name: float(np.mean(self.scores[name][metric])) for name in self.names}

    def score_row(self, name: str) -> list[str]:
        """Cells of one candidate's summary row.

        Parameters
        ----------
        name : str
            Candidate name.

        Returns
        -------
        cells : list of str
            The name, mean (sd) over outer folds of every metric, the mean
            train-tune gap and the mean seconds of a search (tuning and refit).
        """
        gap = self.train_score[name] - self.tune_score[name]
        return [
            name,
            *(
                f"{np.mean(self.scores[name][m]):.3f} "
                f"({np.std(self.scores[name][m]):.3f})"
                for m in self.metrics
            ),
            f"{np.mean(gap):.3f}",
            f"{np.mean(self.fit_time[name]):.1f}",
        ]

    def summary(self) -> str:
        """Plain-text table: mean (sd) of every score, tuning gap and fit time.

        The task, the flagged columns, the budget and the verdict are stated
        in the same sentences as in the report and the model card.

        Returns
        -------
        table : str
        """
        header = ["candidate", *self.metrics, "train-tune gap", "search s"]
        rows = [header, *(self.score_row(name) for name in self.names)]
        widths = [max(len(row[i]) for row in rows) for i in range(len(header))]
        lines = [
            "  ".join(cell.ljust(w) for cell, w in zip(row, widths)) for row in rows
        ]
        return "\n".join(
            [
                task_sentence(self),
                *(f"Warning: {s}" for s in flag_sentences(self)),
                *lines,
                budget_sentence(self),
                *(f"Warning: {s}" for s in budget_warnings(self)),
                verdict_sentence(self),
            ]
        )


def _binary_classes(y_arr: NDArray[Any], pos_label: Any) -> NDArray[Any]:
    """Return ``[negative, positive]``; refuse a guessed positive class.

    Without ``pos_label`` the positive class must be evident: the greater of
    two numbers (``"10"`` over ``"5"``, compared as numbers even when written
    as text), or True over False. Names such as ``"disease"`` and ``"healthy"``
    say nothing by their order, so they need ``pos_label``.
    """
    classes = np.unique(y_arr)
    shown = " and ".join(repr(c) for c in classes.tolist())
    if pos_label is not None:
        matches = [c for c in classes if c == pos_label or str(c) == str(pos_label)]
        if not matches:
            raise ValueError(
                f"compare: pos_label={pos_label!r} is not one of the labels {shown}."
            )
        positive = matches[0]
    else:
        positive = _evident_positive(classes)
        if positive is None:
            raise ValueError(
                f"compare: cannot tell which of the labels {shown} is the positive "
                "class; pass pos_label=<label> (skdl compare: --positive LABEL). "
                "Recall at FDR, auPRC and the report are about that class."
            )
    negative = classes[0] if classes[1] == positive else classes[1]
    return np.array([negative, positive], dtype=classes.dtype)


def _encode_target(
    y: ArrayLike, task: str, pos_label: Any
) -> tuple[NDArray[Any], NDArray[Any], str, str]:
    """Return ``(encoded y, classes, task, reason)``.

    Candidates are fitted on the encoded target: 0/1 with 1 for the positive
    class (so every scorer, sklearn's included, finds it without a
    ``pos_label``), class indices for multiclass, floats for regression.
    """
    y_arr, task, reason = resolve_task(y, task)
    if task != "binary" and pos_label is not None:
        raise ValueError(
            f"compare: pos_label is for a binary target; this task is {task}."
        )
    if task == "binary":
        classes = _binary_classes(y_arr, pos_label)
        return (y_arr == classes[1]).astype(np.int64), classes, task, reason
    if task == "multiclass":
        classes, encoded = np.unique(y_arr, return_inverse=True)
        return encoded.astype(np.int64), classes, task, reason
    return y_arr.astype(np.float64), np.array([]), task, reason


def _evident_positive(classes: NDArray[Any]) -> Any:
    """Return the greater of two numbers (text too), True over False, or None."""
    if classes.dtype.kind in "biuf":
        return classes[1]
    text = [str(c).strip() for c in classes]
    if sorted(t.lower() for t in text) == ["false", "true"]:
        return classes[[t.lower() for t in text].index("true")]
    try:
        values = [float(t) for t in text]
    except ValueError:
        return None
    return classes[int(np.argmax(values))]


def _normalize(candidates: Any, X: Any, task: str, random_state: Any) -> dict[str, Any]:
    if candidates is None:
        kind = "tabular" if sequence_array(X) is None else "sequence"
        return dict(default_candidates(kind, task=task, X=X, random_state=random_state))
    out = {}
    for name, entry in candidates.items():
        if isinstance(entry, tuple):
            if len(entry) != 2:
                raise ValueError(
                    f"compare: candidate {name!r} must be an estimator or an "
                    f"(estimator, param_grid) pair; got a tuple of {len(entry)}."
                )
            out[str(name)] = entry
        else:
            out[str(name)] = (entry, {})
        if not hasattr(out[str(name)][0], "fit"):
            raise TypeError(
                f"compare: candidate {name!r} is not an estimator (no fit method); "
                f"got {type(out[str(name)][0]).__name__}."
            )
    if not out:
        raise ValueError("compare needs at least one candidate; got an empty dict.")
    return out


def _default_cv(cv: Any, groups: Any, random_state: int, task: str) -> Any:
    classifier = task != "regression"
    if cv is None or isinstance(cv, Integral):
        n_splits = 5 if cv is None else int(cv)
        seeded = {"shuffle": True, "random_state": random_state}
        if groups is not None:
            return (
                StratifiedGroupKFold(n_splits, **seeded)
                if classifier
                else GroupKFold(n_splits, **seeded)
            )
        return (
            StratifiedKFold(n_splits, **seeded)
            if classifier
            else KFold(n_splits, **seeded)
        )
    return check_cv(cv, classifier=classifier)


def _check_outer_folds(
    splits: list[Any], y: NDArray[Any], task: str, classes: NDArray[Any]
) -> None:
    """Every sample tested once; every class on both sides of every fold."""
    n = len(y)
    if (
        sum(len(test) for _, test in splits) != n
        or len(np.unique(np.concatenate([test for _, test in splits]))) != n
    ):
        raise ValueError(
            "compare: the outer cv must put every sample in exactly one test fold "
            "(a k-fold splitter), so that every candidate is scored on all samples."
        )
    if task == "regression":
        return
    counts = np.bincount(y, minlength=len(classes))
    for k, (train, test) in enumerate(splits):
        for part, index in (("training", train), ("test", test)):
            missing = np.setdiff1d(np.arange(len(classes)), y[index])
            if not len(missing):
                continue
            if task == "binary":
                what = ("positive" if missing[0] == 1 else "negative") + " sample"
                fix = (
                    "use fewer folds (cv=...), or a splitter that balances the "
                    "classes, such as StratifiedGroupKFold or ChromosomeKFold."
                )
            else:
                shown = ", ".join(
                    f"{classes.tolist()[c]!r} ({counts[c]} in all)" for c in missing[:5]
                )
                what = f"sample of class {shown}"
                fix = (
                    f"every class needs a sample in each of the {len(splits)} "
                    "folds' training and test parts: drop or merge rare classes, "
                    "or use fewer folds (cv=...)."
                )
                if len(classes) > 20 and classes.dtype.kind in "iuf":
                    fix += (
                        " If y holds measurements, pass task='regression' "
                        "(skdl compare: --task regression)."
                    )
            raise ValueError(
                f"compare: outer fold {k + 1} of {len(splits)} has no {what} in "
                f"its {part} part ({len(index)} samples); {fix}"
            )


def _check_inner_groups(splits: list[Any], groups: Any, n_inner: int) -> None:
    """Each outer training part must hold enough groups for the inner folds."""
    for k, (train, _) in enumerate(splits):
        n_groups = len(np.unique(groups[train]))
        if n_groups < n_inner:
            raise ValueError(
                f"compare: the training part of outer fold {k + 1} of {len(splits)} "
                f"holds {n_groups} group(s), too few for {n_inner} inner folds that "
                "keep groups whole. Nested folds need at least 3 groups (cv=3, "
                "inner_cv=2) and more for more folds: give more groups, or fewer "
                "folds (cv=..., inner_cv=...)."
            )


@dataclass
class _Setup:
    """What compare decided before any fit."""

    X: Any
    y: NDArray[Any]
    classes: NDArray[Any]
    task: str
    task_reason: str
    groups: Any
    split_groups: Any
    panel: dict[str, Any]
    scoring_name: str
    scorer: Any
    measured: dict[str, Any]
    metrics: list[str]
    fdr_levels: list[float]
    budgets: dict[str, int]
    outer: Any
    inner: Any
    splits: list[Any]
    flags: list[Any]
    max_time: float | None
    explain: bool = False


@validate_params(
    {
        "candidates": [dict, None],
        "X": ["array-like"],
        "y": ["array-like"],
        "groups": ["array-like", None],
        "task": [StrOptions({"auto", *TASKS})],
        "pos_label": [Real, str, "boolean", None],
        "cv": ["cv_object"],
        "inner_cv": ["cv_object"],
        "search": [StrOptions({"random", "grid", "halving"})],
        "n_iter": [Interval(Integral, 1, None, closed="left")],
        "max_time": [Interval(Real, 0, None, closed="neither"), None],
        "time_budget": [Interval(Real, 0, None, closed="neither"), None],
        "scoring": [str, callable, None],
        "fdr": ["array-like"],
        "n_permutations": [Interval(Integral, 0, None, closed="left")],
        "alpha": [Interval(Real, 0, 1, closed="neither")],
        "refit": ["boolean"],
        "explain": ["boolean"],
        "memory": [str, os.PathLike, None],
        "n_jobs": [Integral, StrOptions({"auto"}), None],
        "random_state": [Interval(Integral, 0, None, closed="left")],
        "verbose": ["verbose"],
    },
    prefer_skip_nested_validation=False,
)
def compare(
    candidates: dict[str, Any] | None,
    X: ArrayLike,
    y: ArrayLike,
    *,
    groups: ArrayLike | None = None,
    task: str = "auto",
    pos_label: Any = None,
    cv: Any = None,
    inner_cv: Any = None,
    search: str = "random",
    n_iter: int = 8,
    max_time: float | None = None,
    time_budget: float | None = None,
    scoring: Any = None,
    fdr: ArrayLike = (0.05, 0.1, 0.2),
    n_permutations: int = 0,
    alpha: float = 0.05,
    refit: bool = False,
    explain: bool = True,
    memory: str | os.PathLike[str] | None = None,
    n_jobs: int | str | None = "auto",
    random_state: int = 0,
    verbose: int = 0,
) -> ComparisonResult:
    """Compare candidates fairly: the same folds, search and budget for each.

    Nested cross-validation. The outer splitter makes the test folds; inside
    each outer training part, every candidate, a classical pipeline or a deep
    net alike, is tuned by the same search with the same number of
    configurations (or the same wall-clock time) on the same inner splitter,
    with ``groups`` kept whole at both levels. Each tuned candidate is then
    scored once on the outer test fold. Differences are tested with the
    corrected resampled t-test over outer folds (Holm-adjusted) and, for
    classification, McNemar's test on the pooled out-of-fold predictions.

    Binary, multiclass and regression targets are compared with the same
    protocol. Before any fit, the columns of a table are screened: a column
    that alone predicts the target almost perfectly, a column unique per row
    (an ID) and a column equal to the groups each raise a
    :class:`~skdl.exceptions.SkdlWarning` and are listed in ``result.flags``
    (and in the report); they are still used, so drop them to exclude them.

    Parameters
    ----------
    candidates : dict or None
        ``{name: estimator}`` (no tuning) or ``{name: (estimator, param_grid)}``;
        ``param_grid`` is a dict (or list of dicts) of lists or scipy
        distributions, as in ``RandomizedSearchCV``. None uses
        :func:`default_candidates` for the task: the sequence panel when ``X``
        is a 1-D array of strings, the tabular panel otherwise (with the
        preprocessing of :func:`make_tabular_preprocessor` built from ``X``'s
        column types, so text columns and missing values are handled).
    X : array-like of shape (n_samples, ...)
        Input data: a table (a DataFrame may mix numbers and text and hold
        missing values, for the default panel), a feature matrix, or a 1-D
        array of sequences.
    y : array-like of shape (n_samples,)
        Binary labels, class labels or numeric targets. For a binary target the
        positive class is ``pos_label``, or, when it is None, the greater of two
        numbers (also when written as text: ``"10"`` over ``"5"``) or True over
        False; other labels (``"disease"``, ``"healthy"``) need ``pos_label``.
        It is ``classes[1]`` of the result.
    groups : array-like of shape (n_samples,) or None, default=None
        Patients, batches, chromosomes, homology clusters: no group is ever split
        between training and test, in the outer or the inner folds, nor by any
        split inside a candidate (a net's early stopping): they reach every
        ``fit`` through scikit-learn's metadata routing, switched on for this
        call only. When ``X`` holds sequences, identical ones (ignoring case)
        are merged into one group as well, with a
        :class:`~skdl.exceptions.SkdlWarning`.
    task : {"auto", "binary", "multiclass", "regression"}, default="auto"
        ``"auto"`` follows scikit-learn's ``type_of_target``; the result and
        the report state what was decided and why.
    pos_label : int, float, bool, str or None, default=None
        The positive label of a binary target; see ``y``.
    cv : int, cross-validation generator, iterable or None, default=None
        Outer splitter. None or an int ``k``: ``StratifiedKFold(k)`` (default 5),
        or ``StratifiedGroupKFold(k)`` with ``groups`` (``KFold`` and
        ``GroupKFold`` for regression), shuffled with ``random_state``.
    inner_cv : int, cross-validation generator, iterable or None, default=None
        Inner splitter of the searches; None or an int as for ``cv``, default 3.
    search : {"random", "grid", "halving"}, default="random"
        ``RandomizedSearchCV`` with ``n_iter`` configurations each (drawn
        without replacement from list-only grids), ``GridSearchCV`` over each
        full grid, or ``HalvingRandomSearchCV`` starting from ``n_iter``
        configurations.
    n_iter : int, default=8
        Configurations per candidate for ``"random"`` and ``"halving"``.
    max_time : float or None, default=None
        Optional wall-clock limit in seconds per search: configurations are
        drawn in random order, and a new batch starts only when it is expected
        to end within ``max_time`` (results then depend on the machine's speed).
    time_budget : float or None, default=None
        Total wall-clock budget in seconds, split equally between the searches
        (candidates × outer folds): equal time instead of equal configurations.
        Each search gets ``time_budget / (n_candidates * n_folds)`` seconds
        (or ``max_time``, if smaller); the result states how many
        configurations each candidate got and warns when a candidate's first
        configuration alone took longer than its share. The label-shuffle test
        and ``refit`` come on top.
    scoring : str, callable or None, default=None
        Primary score: tunes every search and picks the winner. None:
        ``"average_precision"`` (auPRC; macro one-vs-rest on probabilities for
        multiclass) for classification, ``"r2"`` for regression. skdl names
        such as ``"recall_at_10pct_fdr"`` are accepted.
    fdr : array-like of float, default=(0.05, 0.1, 0.2)
        FDR levels at which recall is reported on every outer fold of a binary
        comparison, alongside ``average_precision`` (auPRC) and ``roc_auc``
        (auROC, for reference). Multiclass folds report macro auPRC, balanced
        accuracy and log loss; regression folds R², mean absolute error and
        Spearman's ρ.
    n_permutations : int, default=0
        If positive, the winner's whole protocol (the same search and outer
        folds) is rerun on this many label shuffles, across all samples (the
        folds still keep groups whole): see :func:`label_shuffle_test`.
    alpha : float, default=0.05
        Significance level for ``crowned``.
    refit : bool, default=False
        Refit the winner's search on all the data (``final_estimator``).
    explain : bool, default=True
        When ``X`` holds sequences, explain the winner (``explanation``): its
        model of the last outer fold is mutated, letter by letter, on the
        held-out sequences it scored highest (at most 100), and for DNA the
        segments that matter are matched to known motifs. Ignored for tables.
    memory : str, path-like or None, default=None
        A folder where each finished search (a candidate on an outer fold),
        label shuffle and the final refit is saved as it ends. Rerunning the
        same call after a crash, a kill or a Ctrl-C loads what finished and
        fits only the rest, with the same results. An entry is keyed by the
        data, folds, candidate, grid, search settings and the versions of
        skdl, scikit-learn, torch and numpy, so anything else is recomputed;
        a damaged entry is recomputed with a warning. Entries are pickles:
        use a folder you trust. None saves nothing.
    n_jobs : int, "auto" or None, default="auto"
        Parallel jobs of each search (joblib; see :func:`joblib.parallel_config`).
        ``"auto"`` uses one job per physical core when the fits run on the CPU
        and no ``parallel_config`` chose a backend or ``n_jobs``; otherwise (a
        GPU is visible, a Dask or Ray backend is active) it means None, as in
        scikit-learn. Each job's torch uses its share of the cores. Results
        do not depend on ``n_jobs``.
    random_state : int, default=0
        Seeds the splitters and the searches. The candidates' own seeds are
        theirs; :func:`default_candidates` sets them.
    verbose : int, default=0
        1 shows a progress bar over (candidate, outer fold) searches, whose
        time estimate is updated as the fits end.

    Returns
    -------
    result : ComparisonResult

    See Also
    --------
    default_candidates : The default panels.
    make_tabular_preprocessor : The default panel's front end for tables.
    screen_columns : The leak, ID and groups screen run before any fit.
    corrected_resampled_ttest, mcnemar_test : The tests behind ``comparisons``.
    skdl.report.write_report : HTML report, plots and model card.

    Notes
    -----
    Budgets are equal when every grid holds at least ``n_iter`` configurations
    (``"random"``, ``"halving"``) or all grids have the same size (``"grid"``).
    Otherwise a :class:`~skdl.exceptions.SkdlWarning` names the budgets: the
    more-tuned candidate is favoured, which is exactly what this function exists
    to prevent.

    Examples
    --------
    >>> from sklearn.datasets import make_classification
    >>> from sklearn.linear_model import LogisticRegression
    >>> from sklearn.naive_bayes import GaussianNB
    >>> from skdl.comparison import compare
    >>> X, y = make_classification(n_samples=300, random_state=0)
    >>> result = compare(
    ...     {"logistic": (LogisticRegression(), {"C": [0.01, 0.1, 1.0, 10.0]}),
    ...      "naive Bayes": (GaussianNB(),
    ...                      {"var_smoothing": [1e-9, 1e-6, 1e-3, 1e-1]})},
    ...     X, y, n_iter=4, random_state=0)
    >>> result.metrics
    ['average_precision', 'roc_auc', 'recall_at_5pct_fdr', 'recall_at_10pct_fdr', \
'recall_at_20pct_fdr']
    >>> result.n_configurations["logistic"]
    [4, 4, 4, 4, 4]

    A regression compares R², mean absolute error and Spearman's ρ:

    >>> from sklearn.datasets import make_regression
    >>> from sklearn.linear_model import Ridge
    >>> from sklearn.dummy import DummyRegressor
    >>> X, y = make_regression(n_samples=200, noise=10.0, random_state=0)
    >>> result = compare({"ridge": Ridge(), "mean": DummyRegressor()}, X, y, cv=3)
    >>> result.task, result.metrics, result.winner
    ('regression', ['r2', 'mean_absolute_error', 'spearman'], 'ridge')
    """
    setup = _prepare(
        candidates,
        X,
        y,
        groups=groups,
        task=task,
        pos_label=pos_label,
        cv=cv,
        inner_cv=inner_cv,
        search=search,
        n_iter=n_iter,
        max_time=max_time,
        time_budget=time_budget,
        scoring=scoring,
        fdr=fdr,
        random_state=random_state,
    )
    setup.explain = explain and sequence_array(X) is not None
    n_jobs = resolve_n_jobs(n_jobs)
    cache = None if memory is None else ResultCache(memory)
    settings = (search, n_iter, setup.max_time, random_state)

    def make_search(name: str) -> Any:
        estimator, params = setup.panel[name]
        return _make_search(
            estimator,
            params,
            search=search,
            n_iter=n_iter,
            max_time=setup.max_time,
            scoring=setup.scorer,
            cv=setup.inner,
            n_jobs=n_jobs,
            random_state=random_state,
        )

    if verbose:
        print(_plan(setup, time_budget, n_permutations, n_jobs), file=sys.stderr)

    def protocol(runs: dict[str, Any]) -> dict[str, Any]:
        return {
            "task": setup.task,
            "task_reason": setup.task_reason,
            "outer_cv": _describe(setup.outer, len(setup.splits)),
            "inner_cv": repr(setup.inner),
            "search": search,
            "n_iter": n_iter,
            "budget": "configurations" if time_budget is None else "time",
            "time_budget": time_budget,
            "max_time": setup.max_time,
            "budgets": setup.budgets,
            "over_budget": runs["over_budget"],
            "cut_short": runs["cut_short"],
            "scoring": setup.scoring_name,
            "fdr": setup.fdr_levels,
            "random_state": random_state,
        }

    work = _Work(setup, cache, settings)
    with _sigterm_as_interrupt():
        try:
            return _compare(
                setup,
                make_search,
                work,
                protocol=protocol,
                alpha=alpha,
                n_permutations=n_permutations,
                refit=refit,
                random_state=random_state,
                verbose=verbose,
            )
        except KeyboardInterrupt:
            # On a line of its own, after whatever progress bar was drawn.
            print(f"\n{work.stopped_message()}", file=sys.stderr, flush=True)
            raise


def _compare(
    setup: _Setup,
    make_search: Callable[[str], Any],
    work: _Work,
    *,
    protocol: Callable[[dict[str, Any]], dict[str, Any]],
    alpha: float,
    n_permutations: int,
    refit: bool,
    random_state: int,
    verbose: int,
) -> ComparisonResult:
    """Run the protocol: outer folds, verdict, explanation, shuffles, refit."""
    runs = _run_outer_folds(setup, make_search, work, verbose=verbose)
    result = _build_result(setup, runs, protocol=protocol(runs), alpha=alpha)
    if setup.explain:
        result.explanation = _explain(setup, runs, result)
    if n_permutations:
        result.memorization = _shuffle_test(
            setup,
            make_search(result.winner),
            result.mean_scores()[result.winner],
            n_permutations,
            random_state,
            verbose,
            memory=None if work.cache is None else work.cache.directory,
        )
    if refit:
        result.final_estimator = work.run(
            "refit",
            (result.winner, "all samples"),
            lambda: routed_fit(
                make_search(result.winner),
                setup.X,
                setup.y,
                groups=setup.split_groups,
            ),
        )
    return result


class _Work:
    """The comparison's units of work: run each, or load it from ``memory``."""

    def __init__(self, setup: _Setup, cache: ResultCache | None, settings: Any):
        self.setup = setup
        self.cache = cache
        self.total = len(setup.panel) * len(setup.splits)
        self.finished = 0
        if cache is not None:
            # What every unit shares: the data as the candidates see it, the
            # folds, the scorer and the search settings.
            self.shared = (
                fingerprint(setup.X, setup.y, setup.split_groups, setup.classes),
                setup.task,
                fingerprint(setup.splits),
                stable_fingerprint(setup.scorer),
                setup.scoring_name,
                fingerprint(setup.inner),
                settings,
            )

    def run(self, kind: str, unit: tuple[Any, ...], compute: Callable[[], Any]) -> Any:
        """Return ``compute()``, loaded from the cache when it finished before."""
        if self.cache is None:
            return compute()
        name = unit[0]
        estimator, params = self.setup.panel[name]
        key = self.cache.key(
            kind, self.shared, unit, stable_fingerprint((estimator, params))
        )
        value = self.cache.load(kind, key)
        if value is not MISSING:
            return value
        value = compute()
        self.cache.save(kind, key, value)
        return value

    def stopped_message(self) -> str:
        """Say what finished, where it is, and how to resume."""
        said = (
            f"compare: stopped after {self.finished} of {self.total} searches "
            "(candidate x outer fold)"
        )
        if self.cache is None:
            return (
                f"{said}; nothing was saved. Pass memory=FOLDER (skdl compare "
                "--cache FOLDER) so that a rerun resumes where a run stopped."
            )
        return (
            f"{said}; every finished search is saved in {self.cache.directory}. "
            f"Rerun the same call with memory={str(self.cache.directory)!r} to "
            "resume from there."
        )


@contextmanager
def _sigterm_as_interrupt() -> Iterator[None]:
    """Turn SIGTERM (a scheduler's time limit, a preemption) into Ctrl-C.

    Both then stop the comparison the same way: what finished is said and,
    with ``memory``, kept. Only the main thread can set handlers.
    """
    if threading.current_thread() is not threading.main_thread():
        yield
        return

    def interrupt(signum: int, frame: Any) -> None:
        raise KeyboardInterrupt(f"signal {signum}")

    previous = signal.signal(signal.SIGTERM, interrupt)
    try:
        yield
    finally:
        signal.signal(signal.SIGTERM, previous)


def _prepare(
    candidates: Any,
    X: Any,
    y: Any,
    *,
    groups: Any,
    task: str,
    pos_label: Any,
    cv: Any,
    inner_cv: Any,
    search: str,
    n_iter: int,
    max_time: float | None,
    time_budget: float | None,
    scoring: Any,
    fdr: Any,
    random_state: int,
) -> _Setup:
    """Validate everything, screen the columns and make the folds; fit nothing."""
    y_enc, classes, task, reason = _encode_target(y, task, pos_label)
    check_consistent_length(X, y_enc, *([] if groups is None else [groups]))
    groups_arr = None if groups is None else check_groups(groups, "compare")
    # The splits use these; ``result.groups`` keeps the user's.
    split_groups, n_merged = merge_copies(X, groups_arr)
    if n_merged:
        _warn(
            "identical sequences (ignoring case) sit in different "
            f"{'samples' if groups is None else 'groups'}; {n_merged} of them "
            "were merged so that no copy is ever on both sides of a split."
        )
    if time_budget is not None and search != "random":
        raise ValueError(
            "compare: time_budget draws configurations at random until each "
            f"search's share is spent, so it needs search='random'; got {search!r}. "
            "Pass time_budget=None to run that search with n_iter configurations."
        )
    fdr_levels = [float(q) for q in np.atleast_1d(np.asarray(fdr, dtype=float))]
    if any(not 0 < q < 1 for q in fdr_levels):
        raise ValueError(
            f"compare: every fdr level must be in (0, 1); got {fdr_levels}."
        )
    scoring_name, scorer = task_scorer(scoring, task, len(classes))
    measured = fold_metrics(fdr_levels, task)
    panel = _normalize(candidates, X, task, random_state)
    budgets = {
        name: _n_configurations(params, search, n_iter)
        for name, (_, params) in panel.items()
    }
    if len(set(budgets.values())) > 1 and max_time is None and time_budget is None:
        _warn(
            f"unequal tuning budgets {budgets}; the more-tuned candidates "
            "are favoured. Give every candidate a grid of at least n_iter "
            "configurations (search='random') or grids of equal size "
            "(search='grid')."
        )
    outer = _default_cv(cv, split_groups, random_state, task)
    inner = _default_cv(
        inner_cv if inner_cv is not None else 3, split_groups, random_state, task
    )
    splits = list(outer.split(X, y_enc, split_groups))
    _check_outer_folds(splits, y_enc, task, classes)
    if split_groups is not None and (
        inner_cv is None or isinstance(inner_cv, Integral)
    ):
        _check_inner_groups(splits, split_groups, inner.get_n_splits())
    if time_budget is not None:
        share = time_budget / (len(panel) * len(splits))
        max_time = share if max_time is None else min(max_time, share)
    flags = screen_columns(
        X, y_enc, task=task, groups=groups_arr, random_state=random_state
    )
    for flag in flags:
        _warn(flag.message())
    return _Setup(
        X=X,
        y=y_enc,
        classes=classes,
        task=task,
        task_reason=reason,
        groups=groups_arr,
        split_groups=split_groups,
        panel=panel,
        scoring_name=scoring_name,
        scorer=scorer,
        measured=measured,
        metrics=[scoring_name] + [m for m in measured if m != scoring_name],
        fdr_levels=fdr_levels,
        budgets=budgets,
        outer=outer,
        inner=inner,
        splits=splits,
        flags=flags,
        max_time=max_time,
    )


def _plan(
    setup: _Setup, time_budget: float | None, n_permutations: int, n_jobs: Any
) -> str:
    """Say what will be fitted before anything is: samples, task, fits, time."""
    n_folds, n_inner = len(setup.splits), setup.inner.get_n_splits()
    n_groups = (
        "no groups"
        if setup.split_groups is None
        else f"{len(np.unique(setup.split_groups))} groups"
    )
    fits = {name: n_folds * (setup.budgets[name] * n_inner + 1) for name in setup.panel}
    shown = ", ".join(f"{name} ({k})" for name, k in fits.items())
    timing = (
        f"Time budget: {time_budget:.0f} s, {setup.max_time:.0f} s per search, "
        "so configurations are tried while time remains (at most the counts above)."
        if time_budget is not None and setup.max_time is not None
        else "Time: estimated after the first outer fold, then after each."
    )
    shuffle = (
        f" The label-shuffle test then reruns the winner's protocol "
        f"{n_permutations} times."
        if n_permutations
        else ""
    )
    jobs = effective_n_jobs(n_jobs)
    return (
        f"Plan: {len(setup.y)} samples, {n_groups}, task {setup.task}. "
        f"{len(setup.panel)} candidates × {n_folds} outer folds × (configurations "
        f"× {n_inner} inner folds + 1 refit): {sum(fits.values())} fits: {shown}."
        f"{shuffle} Each search runs {jobs} fit{'s' if jobs > 1 else ''} at a time."
        f"\n{timing}"
    )


def _describe(cv: Any, n_splits: int) -> str:
    """Name the outer splitter; folds given as a list are not printed whole."""
    if type(cv).__name__ == "_CVIterableWrapper":
        return f"{n_splits} folds given as a list of (train, test) indices"
    return repr(cv)


def _warn(message: str) -> None:
    # stacklevel 5: the user's call, above validate_params' wrapper, compare
    # and _prepare.
    warnings.warn(f"compare: {message}", SkdlWarning, stacklevel=5)


def _run_outer_folds(
    setup: _Setup, make_search: Callable[[str], Any], work: _Work, *, verbose: int
) -> dict[str, Any]:
    """Tune every candidate on every outer training part; score it on the test."""
    from tqdm.auto import tqdm

    names, k_folds, n = list(setup.panel), len(setup.splits), len(setup.y)
    runs: dict[str, Any] = {
        "scores": {
            name: {m: np.empty(k_folds) for m in setup.metrics} for name in names
        },
        "train_score": {name: np.empty(k_folds) for name in names},
        "tune_score": {name: np.empty(k_folds) for name in names},
        "fit_time": {name: np.empty(k_folds) for name in names},
        "best_params": {name: [] for name in names},
        "n_configurations": {name: [] for name in names},
        "over_budget": dict.fromkeys(names, 0),
        "cut_short": dict.fromkeys(names, 0),
        "oof_score": {},
        "oof_pred": {},
        "last_model": {},
    }
    progress = tqdm(
        total=k_folds * len(names), desc="compare", disable=not verbose, leave=False
    )
    started = time.perf_counter()
    for k, (train, test) in enumerate(setup.splits):
        X_train, X_test = _safe_indexing(setup.X, train), _safe_indexing(setup.X, test)
        groups_train = None if setup.split_groups is None else setup.split_groups[train]
        for name in names:
            progress.set_postfix_str(f"{name}, fold {k + 1}/{k_folds}")

            def run_search(name: str = name) -> dict[str, Any]:
                searcher = make_search(name)
                start = time.perf_counter()
                # Routing on: the groups reach the inner folds and every split
                # inside the candidates (a net's early stopping) alike.
                routed_fit(searcher, X_train, setup.y[train], groups=groups_train)
                return {"searcher": searcher, "time": time.perf_counter() - start}

            done = work.run("search", (name, k), run_search)
            work.finished += 1
            searcher = done["searcher"]
            runs["fit_time"][name][k] = done["time"]
            _record_search(runs, name, k, searcher)
            if setup.explain and k == k_folds - 1:
                runs["last_model"][name] = searcher.best_estimator_
            output, predicted = predict_outputs(
                searcher, X_test, setup.task, len(setup.classes)
            )
            if name not in runs["oof_score"]:
                runs["oof_score"][name] = np.empty((n, *output.shape[1:]))
                runs["oof_pred"][name] = np.empty(n, dtype=predicted.dtype)
            runs["oof_score"][name][test] = output
            runs["oof_pred"][name][test] = predicted
            y_test = setup.y[test]
            values = {
                metric: function(y_test, output, **params)
                for metric, (function, params) in setup.measured.items()
            }
            if setup.scoring_name not in values:
                values[setup.scoring_name] = setup.scorer(searcher, X_test, y_test)
            for m in setup.metrics:
                runs["scores"][name][m][k] = values[m]
            progress.update()
        if verbose:
            elapsed = time.perf_counter() - started
            left = elapsed / (k + 1) * (k_folds - k - 1)
            progress.write(
                f"compare: outer fold {k + 1} of {k_folds} done, {elapsed:.0f} s so "
                f"far; about {left:.0f} s left (from the folds so far).",
                file=sys.stderr,
            )
    progress.close()
    return runs


def _explain(setup: _Setup, runs: dict[str, Any], result: ComparisonResult) -> Any:
    """Explain the winner's model of the last outer fold on its test sequences.

    The explanation comes after the verdict and cannot change it; if it fails
    (an estimator that cannot score mutants, say), the comparison is kept and
    a warning says why.
    """
    from skdl.comparison._explain import explain_winner

    k = len(setup.splits) - 1
    test = np.asarray(setup.splits[k][1])
    name = result.winner
    try:
        return explain_winner(
            runs["last_model"].pop(name),
            setup.X,
            test,
            setup.y,
            runs["oof_score"][name][test],
            setup.task,
            name,
            k,
            setup.classes,
        )
    except Exception as error:  # noqa: BLE001 - reported, never silent
        _warn(
            f"the winner {name!r} could not be explained "
            f"({type(error).__name__}: {error}); the comparison itself is complete."
        )
        return None
    finally:
        runs["last_model"].clear()


def _record_search(runs: dict[str, Any], name: str, k: int, searcher: Any) -> None:
    """Keep the chosen configuration, its inner scores and the budget used."""
    results = searcher.cv_results_
    best = searcher.best_index_
    runs["train_score"][name][k] = results["mean_train_score"][best]
    runs["tune_score"][name][k] = results["mean_test_score"][best]
    runs["best_params"][name].append(dict(searcher.best_params_))
    runs["n_configurations"][name].append(
        int(searcher.n_candidates_[0])
        if hasattr(searcher, "n_candidates_")
        else len(results["params"])
    )
    runs["over_budget"][name] += int(getattr(searcher, "first_over_budget_", False))
    runs["cut_short"][name] += int(_stopped_by_time_limit(searcher.best_estimator_))


def _stopped_by_time_limit(estimator: Any) -> bool:
    """Whether the time limit ended the training of a net in the refitted model."""
    for _, step in _steps(estimator):
        net = getattr(step, "net_", None)
        for name, callback in getattr(net, "callbacks_", []):
            if name == "time_limit" and getattr(callback, "stopped_", False):
                return True
    return False


def _build_result(
    setup: _Setup, runs: dict[str, Any], *, protocol: dict[str, Any], alpha: float
) -> ComparisonResult:
    """Gather the runs into a result, then test the differences."""
    fold = np.full(len(setup.y), -1, dtype=np.int64)
    for k, (_, test) in enumerate(setup.splits):
        fold[test] = k
    protocol["n_samples"] = len(setup.y)
    if setup.task == "binary":
        protocol["n_positive"] = int(setup.y.sum())
        protocol["pos_label"] = setup.classes[1:].tolist()[0]
    elif setup.task == "multiclass":
        protocol["classes"] = setup.classes.tolist()  # plain Python values
    protocol["flags"] = [flag.message() for flag in setup.flags]
    result = ComparisonResult(
        names=list(setup.panel),
        scoring=setup.scoring_name,
        metrics=setup.metrics,
        scores=runs["scores"],
        train_score=runs["train_score"],
        tune_score=runs["tune_score"],
        best_params=runs["best_params"],
        n_configurations=runs["n_configurations"],
        fit_time=runs["fit_time"],
        oof_score=runs["oof_score"],
        oof_pred=runs["oof_pred"],
        y_true=setup.y,
        fold=fold,
        classes=setup.classes,
        protocol=protocol,
        task=setup.task,
        alpha=alpha,
        groups=setup.groups,
        flags=setup.flags,
    )
    _test_differences(result, setup.splits)
    return result


def _shuffle_test(
    setup: _Setup,
    searcher: Any,
    score: float,
    n_permutations: int,
    random_state: int,
    verbose: int,
    memory: Any = None,
) -> LabelShuffleResult:
    """Rerun the winner's whole protocol on shuffled labels, on the same folds.

    ``score`` is the winner's mean score over the outer folds, measured by the
    comparison with the same scorer on the same folds: reused, not refitted.
    """
    from tqdm.auto import tqdm

    progress = tqdm(
        total=1,
        desc=f"label-shuffle test ({n_permutations} x the winner's protocol)",
        disable=not verbose,
        leave=False,
    )
    scorer = setup.scorer
    if setup.scoring_name in setup.measured:
        # The real score is the table's, measured on the outer folds' outputs:
        # the shuffles are scored by the same function on the same outputs.
        function, params = setup.measured[setup.scoring_name]
        scorer = measured_scorer(function, params, setup.task, len(setup.classes))
    shuffle = label_shuffle_test(
        searcher,
        setup.X,
        setup.y,
        groups=setup.split_groups,
        cv=setup.splits,
        scoring=scorer,
        n_permutations=n_permutations,
        random_state=random_state,
        score=score,
        memory=memory,
    )
    # The scorer went in as a callable (the task's own form of the score); its
    # name and chance level are the task's too.
    shuffle = dataclasses.replace(
        shuffle,
        scoring=setup.scoring_name,
        chance=chance_score(setup.scoring_name, setup.y),
    )
    progress.update()
    progress.close()
    return shuffle


def _test_differences(result: ComparisonResult, splits: list[Any]) -> None:
    """Fill ``winner``, ``comparisons`` and ``crowned`` of ``result``."""
    means = result.mean_scores()
    result.winner = max(result.names, key=lambda name: means[name])
    n_train = round(np.mean([len(train) for train, _ in splits]))
    n_test = round(np.mean([len(test) for _, test in splits]))
    winner_scores = result.scores[result.winner][result.scoring]
    rows = []
    for name in result.names:
        if name == result.winner:
            continue
        ttest = corrected_resampled_ttest(
            winner_scores,
            result.scores[name][result.scoring],
            n_train=n_train,
            n_test=n_test,
        )
        mcnemar = (
            mcnemar_test(
                result.y_true, result.oof_pred[result.winner], result.oof_pred[name]
            ).pvalue
            if result.task != "regression"
            else float("nan")
        )
        rows.append(
            {
                "candidate": name,
                "mean_difference": means[result.winner] - means[name],
                "t": ttest.statistic,
                "pvalue": ttest.pvalue,
                "mcnemar_pvalue": mcnemar,
            }
        )
    for row, adjusted in zip(rows, _holm([row["pvalue"] for row in rows])):
        row["pvalue_holm"] = adjusted
    result.comparisons = rows
    # An undefined p-value (NaN: every fold the same difference) never crowns.
    result.crowned = bool(rows) and all(
        np.isfinite(row["pvalue_holm"]) and row["pvalue_holm"] < result.alpha
        for row in rows
    )
