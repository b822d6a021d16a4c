"""Nested cross-validation that tunes every candidate with the same budget."""

from __future__ import annotations

import time
import warnings
from collections.abc import Callable
from dataclasses import dataclass, field
from numbers import Integral, Real
from typing import Any

import numpy as np
from joblib import effective_n_jobs
from numpy.typing import ArrayLike, NDArray
from sklearn.base import clone
from sklearn.metrics import average_precision_score, roc_auc_score
from sklearn.model_selection import (
    GridSearchCV,
    ParameterGrid,
    ParameterSampler,
    RandomizedSearchCV,
    StratifiedGroupKFold,
    StratifiedKFold,
    check_cv,
)
from sklearn.utils import check_consistent_length, column_or_1d
from sklearn.utils.multiclass import type_of_target

from skdl.comparison._candidates import default_candidates
from skdl.comparison._memorization import LabelShuffleResult, label_shuffle_test
from skdl.comparison._stats import corrected_resampled_ttest, mcnemar_test
from skdl.exceptions import SkdlWarning
from skdl.metrics import get_scorer, recall_at_fdr_score
from skdl.metrics._scorer import _positive_scores
from skdl.utils._groups import check_groups
from skdl.utils._holdout import merge_copies, sequence_array
from skdl.utils._routing import routed_fit
from skdl.utils._sklearn import Interval, StrOptions, _safe_indexing, validate_params


class _TimeBudgetSearchCV(RandomizedSearchCV):
    """``RandomizedSearchCV`` that stops drawing configurations after ``max_time``.

    It overrides ``_run_search``, the extension point scikit-learn's searches
    are built on: configurations are evaluated ``n_jobs`` at a time and no new
    batch starts once ``max_time`` seconds have passed (the first always runs).
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
        for begin in range(0, len(configurations), step):
            evaluate_candidates(configurations[begin : begin + step])
            if time.perf_counter() - start >= self.max_time:
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
    if not params:
        return GridSearchCV(clone(estimator), {}, **common)
    if max_time is not None:
        n = _n_configurations(params, search, n_iter)
        return _TimeBudgetSearchCV(
            clone(estimator),
            params,
            max_time=max_time,
            n_iter=n,
            random_state=random_state,
            **common,
        )
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


def fdr_metric_name(fdr: float) -> str:
    """Scorer name of recall at ``fdr``, as :func:`skdl.metrics.get_scorer` reads it.

    Parameters
    ----------
    fdr : float
        False discovery rate in (0, 1).

    Returns
    -------
    name : str

    Examples
    --------
    >>> from skdl.comparison._compare import fdr_metric_name
    >>> fdr_metric_name(0.1), fdr_metric_name(0.025)
    ('recall_at_10pct_fdr', 'recall_at_2.5pct_fdr')
    """
    return f"recall_at_{round(100 * fdr, 6):g}pct_fdr"


def fold_metrics(fdr_levels: Any) -> dict[str, tuple[Callable[..., float], dict]]:
    """Metrics measured on every outer fold: ``{name: (function, params)}``.

    Each is called as ``function(y_true, y_score, **params)``: auPRC, auROC and
    recall at each FDR level.

    Parameters
    ----------
    fdr_levels : sequence of float
        FDR levels in (0, 1).

    Returns
    -------
    metrics : dict

    Examples
    --------
    >>> from skdl.comparison._compare import fold_metrics
    >>> list(fold_metrics([0.1]))
    ['average_precision', 'roc_auc', 'recall_at_10pct_fdr']
    """
    return {
        "average_precision": (average_precision_score, {}),
        "roc_auc": (roc_auc_score, {}),
        **{fdr_metric_name(q): (recall_at_fdr_score, {"fdr": q}) for q in fdr_levels},
    }


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
        ``[name]``: ndarray of shape (n_folds,); seconds per tuned fit.
    oof_score : dict
        ``[name]``: ndarray of shape (n_samples,); each sample's positive-class
        score from the outer fold that held it out.
    oof_pred : dict
        ``[name]``: the same samples' predicted labels (1 for ``classes[1]``).
    y_true : ndarray of shape (n_samples,)
        1 for the positive class (``classes[1]``), 0 otherwise.
    fold : ndarray of shape (n_samples,)
        Index of the outer fold that held each sample out.
    classes : ndarray
        The two labels, negative first: ``classes[1]`` is the positive class,
        named in the summary and the report.
    protocol : dict
        What was done: outer and inner splitters, search, budget, seed.
    comparisons : list of dict
        One row per other candidate against the winner: mean difference,
        corrected resampled t-test, its Holm-adjusted p-value, McNemar.
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
    final_estimator : estimator or None
        The winner's search refitted on all the data, when ``refit=True``. Like
        every candidate inside :func:`compare`, it is fitted on 0/1 labels and
        predicts 1 for ``classes[1]``.

    Examples
    --------
    >>> from sklearn.datasets import make_classification
    >>> from sklearn.dummy import DummyClassifier
    >>> from sklearn.linear_model import LogisticRegression
    >>> from skdl.comparison import compare
    >>> X, y = make_classification(n_samples=200, random_state=0)
    >>> result = compare({"logistic": LogisticRegression(),
    ...                   "dummy": DummyClassifier()}, X, y, random_state=0)
    >>> result.winner, result.crowned
    ('logistic', True)
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
    y_true: NDArray[np.int64]
    fold: NDArray[np.int64]
    classes: NDArray[Any]
    protocol: dict[str, Any]
    comparisons: list[dict[str, Any]] = field(default_factory=list)
    winner: str = ""
    crowned: bool = False
    alpha: float = 0.05
    memorization: LabelShuffleResult | None = None
    groups: NDArray[Any] | None = None
    final_estimator: Any = None

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
            train-tune gap and the mean fit seconds.
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

        Returns
        -------
        table : str
        """
        header = ["candidate", *self.metrics, "train-tune gap", "fit s"]
        rows = [header, *(self.score_row(name) for name in self.names)]
        widths = [max(len(row[i]) for row in rows) for i in range(len(header))]
        lines = [
            "  ".join(cell.ljust(w) for cell, w in zip(row, widths)) for row in rows
        ]
        positive = (
            f"Positive class: {self.classes[1].item()!r} ({int(self.y_true.sum())} of "
            f"{len(self.y_true)} samples); the scores are about it."
        )
        verdict = (
            f"Winner: {self.winner} (significantly better than every other "
            f"candidate, Holm-adjusted p < {self.alpha})"
            if self.crowned
            else f"Best mean {self.scoring}: {self.winner}, but not significantly "
            f"better than every other candidate (Holm-adjusted p >= {self.alpha})"
        )
        return "\n".join([positive, *lines, verdict])


def _check_target(y: ArrayLike, pos_label: Any) -> tuple[NDArray[Any], NDArray[Any]]:
    """Return the labels and ``[negative, positive]``; refuse a guessed positive.

    Without ``pos_label`` the positive class must be evident: the greater of
    two numbers (``"10"`` over ``"5"``, compared as numbers even when written
    as text), or True over False. Names such as ``"disease"`` and ``"healthy"``
    say nothing by their order, so they need ``pos_label``.
    """
    y_arr = np.asarray(column_or_1d(y, warn=True))
    classes = np.unique(y_arr)
    if type_of_target(y_arr) != "binary" or len(classes) != 2:
        raise ValueError(
            "compare needs a binary target (a positive and a negative class); "
            f"got {len(classes)} distinct label(s): {classes[:5].tolist()!r}."
        )
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
    return y_arr, np.array([negative, positive], dtype=classes.dtype)


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


def _normalize(candidates: Any, X: Any, random_state: Any) -> dict[str, Any]:
    if candidates is None:
        kind = "tabular" if sequence_array(X) is None else "sequence"
        return dict(default_candidates(kind, random_state=random_state))
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


def _default_cv(cv: Any, groups: Any, random_state: int) -> Any:
    if cv is None or isinstance(cv, Integral):
        n_splits = 5 if cv is None else int(cv)
        if groups is not None:
            return StratifiedGroupKFold(
                n_splits, shuffle=True, random_state=random_state
            )
        return StratifiedKFold(n_splits, shuffle=True, random_state=random_state)
    return check_cv(cv, classifier=True)


@validate_params(
    {
        "candidates": [dict, None],
        "X": ["array-like"],
        "y": ["array-like"],
        "groups": ["array-like", None],
        "pos_label": [Real, str, "boolean", None],
        "cv": ["cv_object"],
        "inner_cv": ["cv_object"],
        "search": [StrOptions({"random", "grid", "halving"})],
        "n_iter": [Interval(Integral, 1, None, closed="left")],
        "max_time": [Interval(Real, 0, None, closed="neither"), None],
        "scoring": [str, callable],
        "fdr": ["array-like"],
        "n_permutations": [Interval(Integral, 0, None, closed="left")],
        "alpha": [Interval(Real, 0, 1, closed="neither")],
        "refit": ["boolean"],
        "n_jobs": [Integral, None],
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
    pos_label: Any = None,
    cv: Any = None,
    inner_cv: Any = None,
    search: str = "random",
    n_iter: int = 8,
    max_time: float | None = None,
    scoring: Any = "average_precision",
    fdr: ArrayLike = (0.05, 0.1, 0.2),
    n_permutations: int = 0,
    alpha: float = 0.05,
    refit: bool = False,
    n_jobs: int | None = None,
    random_state: int = 0,
    verbose: int = 0,
) -> ComparisonResult:
    """Compare candidates fairly: the same folds, search and budget for each.

    Nested cross-validation. The outer splitter makes the test folds; inside
    each outer training part, every candidate, a classical pipeline or a deep
    net alike, is tuned by the same search with the same number of
    configurations (and optionally the same wall-clock budget) on the same inner
    splitter, with ``groups`` kept whole at both levels. Each tuned candidate is
    then scored once on the outer test fold. Differences are tested with the
    corrected resampled t-test over outer folds (Holm-adjusted) and McNemar's
    test on the pooled out-of-fold predictions.

    Parameters
    ----------
    candidates : dict or None
        ``{name: estimator}`` (no tuning) or ``{name: (estimator, param_grid)}``;
        ``param_grid`` is a dict (or list of dicts) of lists or scipy
        distributions, as in ``RandomizedSearchCV``. None uses
        :func:`default_candidates`: the sequence panel when ``X`` is a 1-D
        array of strings, the tabular panel otherwise.
    X : array-like of shape (n_samples, ...)
        Input data (a feature matrix, or a 1-D array of sequences).
    y : array-like of shape (n_samples,)
        Binary labels. The positive class is ``pos_label``, or, when it is
        None, the greater of two numbers (also when written as text: ``"10"``
        over ``"5"``) or True over False; other labels (``"disease"``,
        ``"healthy"``) need ``pos_label``. It is ``classes[1]`` of the result.
    groups : array-like of shape (n_samples,) or None, default=None
        Patients, batches, chromosomes, homology clusters: no group is ever split
        between training and test, in the outer or the inner folds, nor by any
        split inside a candidate (a net's early stopping): they reach every
        ``fit`` through scikit-learn's metadata routing, switched on for this
        call only. When ``X`` holds sequences, identical ones (ignoring case)
        are merged into one group as well, with a
        :class:`~skdl.exceptions.SkdlWarning`.
    pos_label : int, float, bool, str or None, default=None
        The positive label; see ``y``.
    cv : int, cross-validation generator, iterable or None, default=None
        Outer splitter. None or an int ``k``: ``StratifiedKFold(k)`` (default 5),
        or ``StratifiedGroupKFold(k)`` with ``groups``, shuffled with
        ``random_state``.
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
        Optional wall-clock budget in seconds per search: configurations are
        drawn in random order and no new batch starts after ``max_time``
        (results then depend on the machine's speed).
    scoring : str or callable, default="average_precision"
        Primary score: tunes every search and picks the winner. skdl names such
        as ``"recall_at_10pct_fdr"`` are accepted.
    fdr : array-like of float, default=(0.05, 0.1, 0.2)
        FDR levels at which recall is reported on every outer fold, alongside
        ``average_precision`` (auPRC) and ``roc_auc`` (auROC, for reference).
    n_permutations : int, default=0
        If positive, the winner's whole protocol (the same search and outer
        folds) is rerun on this many label shuffles, across all samples (the
        folds still keep groups whole): see :func:`label_shuffle_test`.
    alpha : float, default=0.05
        Significance level for ``crowned``.
    refit : bool, default=False
        Refit the winner's search on all the data (``final_estimator``).
    n_jobs : int or None, default=None
        Parallel jobs of each search (joblib; see :func:`joblib.parallel_config`).
    random_state : int, default=0
        Seeds the splitters and the searches. The candidates' own seeds are
        theirs; :func:`default_candidates` sets them.
    verbose : int, default=0
        1 shows a progress bar over (candidate, outer fold) searches.

    Returns
    -------
    result : ComparisonResult

    See Also
    --------
    default_candidates : The default panels.
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
    """
    y_arr, classes = _check_target(y, pos_label)
    check_consistent_length(X, y_arr, *([] if groups is None else [groups]))
    groups_arr = None if groups is None else check_groups(groups, "compare")
    # The splits use these; ``result.groups`` keeps the user's.
    split_groups, n_merged = merge_copies(X, groups_arr)
    if n_merged:
        warnings.warn(
            "compare: identical sequences (ignoring case) sit in different "
            f"{'samples' if groups is None else 'groups'}; {n_merged} of them "
            "were merged so that no copy is ever on both sides of a split.",
            SkdlWarning,
            stacklevel=3,  # the user's call, above validate_params' wrapper
        )
    panel = _normalize(candidates, X, random_state)
    names = list(panel)
    fdr_levels = [float(q) for q in np.atleast_1d(np.asarray(fdr, dtype=float))]
    if any(not 0 < q < 1 for q in fdr_levels):
        raise ValueError(
            f"compare: every fdr level must be in (0, 1); got {fdr_levels}."
        )

    scoring_name = scoring if isinstance(scoring, str) else "score"
    scorer = get_scorer(scoring) if isinstance(scoring, str) else scoring
    measured = fold_metrics(fdr_levels)
    metrics = [scoring_name] + [m for m in measured if m != scoring_name]
    budgets = {
        name: _n_configurations(params, search, n_iter)
        for name, (_, params) in panel.items()
    }
    if len(set(budgets.values())) > 1 and max_time is None:
        warnings.warn(
            f"compare: unequal tuning budgets {budgets}; the more-tuned candidates "
            "are favoured. Give every candidate a grid of at least n_iter "
            "configurations (search='random') or grids of equal size "
            "(search='grid').",
            SkdlWarning,
            stacklevel=3,  # the user's call, above validate_params' wrapper
        )

    outer = _default_cv(cv, split_groups, random_state)
    inner = inner_cv if inner_cv is not None else 3
    inner = _default_cv(inner, split_groups, random_state)
    # Candidates are fitted on 0/1 labels (1 = classes[1]), so that every scorer,
    # sklearn's included, finds the positive class without a pos_label.
    y01 = (y_arr == classes[1]).astype(np.int64)
    splits = list(outer.split(X, y01, split_groups))
    n = len(y_arr)
    fold = np.full(n, -1, dtype=np.int64)
    for k, (_, test) in enumerate(splits):
        fold[test] = k
    for k, (train, test) in enumerate(splits):
        for part, index in (("training", train), ("test", test)):
            present = np.unique(y01[index])
            if len(present) < 2:
                missing = "positive" if 1 not in present else "negative"
                raise ValueError(
                    f"compare: outer fold {k + 1} of {len(splits)} has no {missing} "
                    f"sample in its {part} part ({len(index)} samples); use fewer "
                    "folds (cv=...), or a splitter that balances the positives, "
                    "such as StratifiedGroupKFold or ChromosomeKFold."
                )
    if np.any(fold < 0) or sum(len(test) for _, test in splits) != n:
        raise ValueError(
            "compare: the outer cv must put every sample in exactly one test fold "
            "(a k-fold splitter), so that every candidate is scored on all samples."
        )

    def make_search(name: str) -> Any:
        estimator, params = panel[name]
        return _make_search(
            estimator,
            params,
            search=search,
            n_iter=n_iter,
            max_time=max_time,
            scoring=scorer,
            cv=inner,
            n_jobs=n_jobs,
            random_state=random_state,
        )

    k_folds = len(splits)
    scores = {name: {m: np.empty(k_folds) for m in metrics} for name in names}
    train_score = {name: np.empty(k_folds) for name in names}
    tune_score = {name: np.empty(k_folds) for name in names}
    fit_time = {name: np.empty(k_folds) for name in names}
    best_params: dict[str, list[dict[str, Any]]] = {name: [] for name in names}
    n_configs: dict[str, list[int]] = {name: [] for name in names}
    oof_score = {name: np.empty(n) for name in names}
    oof_pred = {name: np.empty(n, dtype=np.int64) for name in names}

    from tqdm.auto import tqdm

    progress = tqdm(
        total=k_folds * len(names), desc="compare", disable=not verbose, leave=False
    )
    for k, (train, test) in enumerate(splits):
        X_train, X_test = _safe_indexing(X, train), _safe_indexing(X, test)
        groups_train = None if split_groups is None else split_groups[train]
        for name in names:
            progress.set_postfix_str(f"{name}, fold {k + 1}/{k_folds}")
            searcher = make_search(name)
            start = time.perf_counter()
            # Routing on: the groups reach the inner folds and every split
            # inside the candidates (a net's early stopping) alike.
            routed_fit(searcher, X_train, y01[train], groups=groups_train)
            fit_time[name][k] = time.perf_counter() - start
            results = searcher.cv_results_
            best = searcher.best_index_
            train_score[name][k] = results["mean_train_score"][best]
            tune_score[name][k] = results["mean_test_score"][best]
            best_params[name].append(dict(searcher.best_params_))
            n_configs[name].append(
                int(searcher.n_candidates_[0])
                if hasattr(searcher, "n_candidates_")
                else len(results["params"])
            )
            positive, _ = _positive_scores(searcher, X_test, None)
            oof_score[name][test] = positive
            oof_pred[name][test] = searcher.predict(X_test)
            y_test = y01[test]
            values = {
                metric: function(y_test, positive, **params)
                for metric, (function, params) in measured.items()
            }
            if scoring_name not in values:
                values[scoring_name] = scorer(searcher, X_test, y_test)
            for m in metrics:
                scores[name][m][k] = values[m]
            progress.update()
    progress.close()

    result = ComparisonResult(
        names=names,
        scoring=scoring_name,
        metrics=metrics,
        scores=scores,
        train_score=train_score,
        tune_score=tune_score,
        best_params=best_params,
        n_configurations=n_configs,
        fit_time=fit_time,
        oof_score=oof_score,
        oof_pred=oof_pred,
        y_true=y01,
        fold=fold,
        classes=classes,
        protocol={
            "outer_cv": repr(outer),
            "inner_cv": repr(inner),
            "search": search,
            "n_iter": n_iter,
            "max_time": max_time,
            "budgets": budgets,
            "scoring": scoring_name,
            "fdr": fdr_levels,
            "random_state": random_state,
            "n_samples": n,
            "n_positive": int(y01.sum()),
            "pos_label": classes[1].item(),
        },
        alpha=alpha,
        groups=groups_arr,
    )
    _test_differences(result, splits)
    if n_permutations:
        progress = tqdm(
            total=1,
            desc=f"label-shuffle test ({n_permutations} x the winner's protocol)",
            disable=not verbose,
            leave=False,
        )
        result.memorization = label_shuffle_test(
            make_search(result.winner),
            X,
            y01,
            groups=split_groups,
            cv=splits,
            scoring=scoring,
            n_permutations=n_permutations,
            random_state=random_state,
        )
        progress.update()
        progress.close()
    if refit:
        result.final_estimator = routed_fit(
            make_search(result.winner), X, y01, groups=split_groups
        )
    return result


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
        mcnemar = mcnemar_test(
            result.y_true, result.oof_pred[result.winner], result.oof_pred[name]
        )
        rows.append(
            {
                "candidate": name,
                "mean_difference": means[result.winner] - means[name],
                "t": ttest.statistic,
                "pvalue": ttest.pvalue,
                "mcnemar_pvalue": mcnemar.pvalue,
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
