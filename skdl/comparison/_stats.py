"""Paired tests for "is model A really better than model B on this data?".

Cross-validation fold scores are not independent: the training sets overlap, so a
plain paired t-test over k folds is far too confident. The tests here are the ones
the comparison literature recommends instead: Dietterich's 5x2cv t-test, the
Nadeau-Bengio corrected resampled t-test, and McNemar's test on paired
predictions.
"""

from __future__ import annotations

from dataclasses import dataclass
from numbers import Integral
from typing import Any

import numpy as np
from numpy.typing import ArrayLike, NDArray
from scipy import stats
from sklearn.base import clone, is_classifier
from sklearn.metrics import check_scoring
from sklearn.model_selection import GroupKFold, KFold, StratifiedKFold
from sklearn.utils import check_consistent_length, check_random_state, column_or_1d

from skdl.utils._sklearn import HasMethods, Interval, StrOptions, validate_params


@dataclass(frozen=True)
class PairedTestResult:
    """The outcome of a paired test between two models.

    Parameters
    ----------
    statistic : float
        The test statistic (t for the t-tests, chi-squared or the smaller
        discordant count for McNemar's test).
    pvalue : float
        Two-sided p-value. NaN for a t-test whose fold differences are all
        equal and non-zero: without variance there is nothing to weigh them
        against, and two identical differences are not evidence.
    df : float or None
        Degrees of freedom of the reference distribution (None for the exact
        binomial McNemar test).
    method : str
        Name of the test.

    Examples
    --------
    >>> from skdl.comparison import PairedTestResult
    >>> PairedTestResult(2.0, 0.1, 5.0, "5x2cv paired t-test").pvalue
    0.1
    """

    statistic: float
    pvalue: float
    df: float | None
    method: str


def _paired_scores(scores1: ArrayLike, scores2: ArrayLike) -> np.ndarray:
    a = np.asarray(scores1, dtype=float)
    b = np.asarray(scores2, dtype=float)
    if a.shape != b.shape:
        raise ValueError(
            f"scores1 and scores2 must have the same shape; got {a.shape} and "
            f"{b.shape}."
        )
    if not (np.all(np.isfinite(a)) and np.all(np.isfinite(b))):
        raise ValueError("scores1 and scores2 must be finite.")
    return a - b


def _t_result(numerator: float, variance: float, df: float, method: str) -> Any:
    if variance <= (1e-12 * max(1.0, abs(numerator))) ** 2:
        # The same difference on every fold (up to rounding): the t-test has no
        # variance to weigh it with, so its p-value is undefined (NaN), not 0.
        # Two identical fold differences are no evidence of anything.
        statistic = 0.0 if numerator == 0 else float(np.copysign(np.inf, numerator))
        pvalue = 1.0 if numerator == 0 else float("nan")
        return PairedTestResult(statistic, pvalue, df, method)
    statistic = numerator / np.sqrt(variance)
    pvalue = 2.0 * stats.t.sf(abs(statistic), df)
    return PairedTestResult(float(statistic), float(pvalue), float(df), method)


@validate_params(
    {"scores1": ["array-like"], "scores2": ["array-like"]},
    prefer_skip_nested_validation=True,
)
def ttest_5x2cv(scores1: ArrayLike, scores2: ArrayLike) -> PairedTestResult:
    """Dietterich's 5x2cv paired t-test from fold scores.

    Parameters
    ----------
    scores1 : array-like of shape (5, 2)
        Scores of the first model: row ``i`` holds the two folds of the ``i``-th
        random halving, both models scored on the same folds.
    scores2 : array-like of shape (5, 2)
        Scores of the second model on the same folds.

    Returns
    -------
    result : PairedTestResult
        ``t = d_11 / sqrt(mean_i s_i^2)`` with 5 degrees of freedom, where
        ``d_11`` is the first fold's score difference and ``s_i^2`` the variance
        of the two differences of halving ``i``.

    See Also
    --------
    paired_ttest_5x2cv : Runs the ten fits and then this test.
    corrected_resampled_ttest : For k-fold or repeated-split scores.

    References
    ----------
    .. [1] T. G. Dietterich, "Approximate statistical tests for comparing
       supervised classification learning algorithms", Neural Computation 10(7),
       1895-1923, 1998.

    Examples
    --------
    >>> from skdl.comparison import ttest_5x2cv
    >>> a = [[0.90, 0.88], [0.91, 0.89], [0.87, 0.90], [0.92, 0.90], [0.89, 0.91]]
    >>> b = [[0.85, 0.86], [0.88, 0.84], [0.86, 0.85], [0.87, 0.88], [0.86, 0.87]]
    >>> result = ttest_5x2cv(a, b)
    >>> round(result.statistic, 3), round(result.pvalue, 3)
    (2.532, 0.052)
    """
    diff = _paired_scores(scores1, scores2)
    if diff.shape != (5, 2):
        raise ValueError(
            f"ttest_5x2cv needs scores of shape (5, 2), one row per halving; got "
            f"{diff.shape}."
        )
    variance = np.mean(np.sum((diff - diff.mean(axis=1, keepdims=True)) ** 2, axis=1))
    return _t_result(float(diff[0, 0]), float(variance), 5.0, "5x2cv paired t-test")


@validate_params(
    {
        "scores1": ["array-like"],
        "scores2": ["array-like"],
        "n_train": [Interval(Integral, 1, None, closed="left")],
        "n_test": [Interval(Integral, 1, None, closed="left")],
    },
    prefer_skip_nested_validation=True,
)
def corrected_resampled_ttest(
    scores1: ArrayLike, scores2: ArrayLike, *, n_train: int, n_test: int
) -> PairedTestResult:
    """Nadeau and Bengio's corrected resampled t-test from paired fold scores.

    The variance of the mean difference over ``J`` resamples is inflated from
    ``s^2 / J`` to ``(1 / J + n_test / n_train) s^2`` to account for the overlap
    of training sets, which the plain paired t-test ignores.

    Parameters
    ----------
    scores1 : array-like of shape (n_resamples,)
        Scores of the first model, one per fold (or per repeated split).
    scores2 : array-like of shape (n_resamples,)
        Scores of the second model on the same folds.
    n_train : int
        Number of training samples per fold (the average, for unequal folds).
    n_test : int
        Number of test samples per fold (the average, for unequal folds).

    Returns
    -------
    result : PairedTestResult
        Two-sided test with ``n_resamples - 1`` degrees of freedom.

    See Also
    --------
    ttest_5x2cv : Dietterich's test for five 2-fold halvings.

    References
    ----------
    .. [1] C. Nadeau and Y. Bengio, "Inference for the generalization error",
       Machine Learning 52(3), 239-281, 2003.
    .. [2] R. R. Bouckaert and E. Frank, "Evaluating the replicability of
       significance tests for comparing learning algorithms", PAKDD 2004.

    Examples
    --------
    >>> from skdl.comparison import corrected_resampled_ttest
    >>> result = corrected_resampled_ttest(
    ...     [0.82, 0.85, 0.80, 0.84, 0.83], [0.80, 0.82, 0.79, 0.80, 0.82],
    ...     n_train=80, n_test=20)
    >>> round(result.statistic, 3), result.df
    (2.515, 4.0)
    """
    diff = _paired_scores(scores1, scores2)
    if diff.ndim != 1 or diff.size < 2:
        raise ValueError(
            "corrected_resampled_ttest needs at least 2 paired scores in 1-D "
            f"arrays; got shape {diff.shape}."
        )
    n = diff.size
    variance = (1.0 / n + n_test / n_train) * np.var(diff, ddof=1)
    return _t_result(
        float(diff.mean()), float(variance), n - 1.0, "corrected resampled t-test"
    )


@validate_params(
    {
        "y_true": ["array-like"],
        "y_pred1": ["array-like"],
        "y_pred2": ["array-like"],
        "exact": ["boolean", StrOptions({"auto"})],
        "correction": ["boolean"],
    },
    prefer_skip_nested_validation=True,
)
def mcnemar_test(
    y_true: ArrayLike,
    y_pred1: ArrayLike,
    y_pred2: ArrayLike,
    *,
    exact: bool | str = "auto",
    correction: bool = True,
) -> PairedTestResult:
    """McNemar's test: do two classifiers err on different samples.

    Only the discordant samples count: ``b`` where only the first model is right
    and ``c`` where only the second is.

    Parameters
    ----------
    y_true : array-like of shape (n_samples,)
        True labels.
    y_pred1 : array-like of shape (n_samples,)
        Predictions of the first model.
    y_pred2 : array-like of shape (n_samples,)
        Predictions of the second model.
    exact : bool or "auto", default="auto"
        Use the exact binomial test (True) or the chi-squared approximation
        (False). "auto" uses the exact test when ``b + c < 25``.
    correction : bool, default=True
        Edwards' continuity correction of the chi-squared approximation.

    Returns
    -------
    result : PairedTestResult
        For the chi-squared form, ``statistic`` is ``(|b - c| - 1)^2 / (b + c)``
        (without the ``- 1`` when ``correction=False``) with 1 degree of freedom;
        for the exact form it is ``min(b, c)`` and ``df`` is None.

    References
    ----------
    .. [1] Q. McNemar, "Note on the sampling error of the difference between
       correlated proportions or percentages", Psychometrika 12(2), 153-157, 1947.

    Examples
    --------
    >>> from skdl.comparison import mcnemar_test
    >>> y = [0, 0, 1, 1, 1, 0, 1, 0, 1, 1]
    >>> a = [0, 0, 1, 1, 1, 0, 1, 0, 1, 0]
    >>> b = [1, 1, 0, 1, 0, 0, 1, 1, 1, 0]
    >>> result = mcnemar_test(y, a, b)
    >>> result.statistic, round(result.pvalue, 4)
    (0.0, 0.0625)
    """
    y_true = np.asarray(column_or_1d(y_true))
    y_pred1 = np.asarray(column_or_1d(y_pred1))
    y_pred2 = np.asarray(column_or_1d(y_pred2))
    check_consistent_length(y_true, y_pred1, y_pred2)
    _check_labels(y_true, y_pred1, y_pred2)
    right1 = y_pred1 == y_true
    right2 = y_pred2 == y_true
    b = int(np.sum(right1 & ~right2))
    c = int(np.sum(~right1 & right2))
    use_exact = (b + c < 25) if exact == "auto" else bool(exact)
    if b + c == 0:
        return PairedTestResult(0.0, 1.0, None if use_exact else 1.0, "McNemar")
    if use_exact:
        pvalue = min(1.0, 2.0 * stats.binom.cdf(min(b, c), b + c, 0.5))
        return PairedTestResult(float(min(b, c)), float(pvalue), None, "McNemar")
    statistic = (abs(b - c) - (1 if correction else 0)) ** 2 / (b + c)
    pvalue = stats.chi2.sf(statistic, 1)
    return PairedTestResult(float(statistic), float(pvalue), 1.0, "McNemar")


def _check_labels(y_true: NDArray[Any], *predictions: NDArray[Any]) -> None:
    """McNemar compares predicted labels: refuse NaN, scores and probabilities."""
    named = {"y_true": y_true, "y_pred1": predictions[0], "y_pred2": predictions[1]}
    for name, values in named.items():
        if values.dtype.kind == "f" and not np.isfinite(values).all():
            raise ValueError(f"mcnemar_test: {name} contains NaN or infinity.")
    labels = np.unique(y_true)
    for name, values in list(named.items())[1:]:
        if values.dtype.kind == "f" and not np.isin(values, labels).all():
            raise ValueError(
                f"mcnemar_test: {name} holds values that are not labels of y_true "
                f"({labels[:5].tolist()}); pass predicted labels (predict), not "
                "probabilities or scores."
            )


def _halving_splitter(
    estimator: Any, groups: Any, seed: int
) -> StratifiedKFold | KFold | GroupKFold:
    if groups is not None:
        return GroupKFold(n_splits=2, shuffle=True, random_state=seed)
    if is_classifier(estimator):
        return StratifiedKFold(n_splits=2, shuffle=True, random_state=seed)
    return KFold(n_splits=2, shuffle=True, random_state=seed)


@validate_params(
    {
        "estimator1": [HasMethods(["fit"])],
        "estimator2": [HasMethods(["fit"])],
        "X": ["array-like"],
        "y": ["array-like"],
        "groups": ["array-like", None],
        "scoring": [str, callable, None],
        "random_state": ["random_state"],
    },
    prefer_skip_nested_validation=False,
)
def paired_ttest_5x2cv(
    estimator1: Any,
    estimator2: Any,
    X: ArrayLike,
    y: ArrayLike,
    *,
    groups: ArrayLike | None = None,
    scoring: Any = None,
    random_state: Any = None,
) -> PairedTestResult:
    """Fit two estimators on five random halvings and run the 5x2cv t-test.

    Each halving splits the data in two (stratified for classifiers, whole groups
    when ``groups`` is given); both estimators are trained on each half and
    scored on the other, for ten paired scores.

    Parameters
    ----------
    estimator1 : estimator object
        First model (cloned before each fit).
    estimator2 : estimator object
        Second model (cloned before each fit).
    X : array-like of shape (n_samples, ...)
        Input data.
    y : array-like of shape (n_samples,)
        Target.
    groups : array-like of shape (n_samples,) or None, default=None
        Group labels; a group is never split between the two halves.
    scoring : str, callable or None, default=None
        A scikit-learn scorer; None uses the estimator's ``score`` method.
    random_state : int, RandomState instance or None, default=None
        Seed of the five halvings.

    Returns
    -------
    result : PairedTestResult
        The test on the ten paired scores (see :func:`ttest_5x2cv`).

    Examples
    --------
    >>> from sklearn.datasets import make_classification
    >>> from sklearn.linear_model import LogisticRegression
    >>> from sklearn.dummy import DummyClassifier
    >>> from skdl.comparison import paired_ttest_5x2cv
    >>> X, y = make_classification(n_samples=200, random_state=0)
    >>> result = paired_ttest_5x2cv(LogisticRegression(), DummyClassifier(), X, y,
    ...                             random_state=0)
    >>> result.pvalue < 0.05
    True
    """
    rng = check_random_state(random_state)
    scorer1 = check_scoring(estimator1, scoring=scoring)
    scorer2 = check_scoring(estimator2, scoring=scoring)
    X_arr, y_arr = np.asarray(X), np.asarray(y)
    scores = np.empty((2, 5, 2))
    for i in range(5):
        seed = int(rng.randint(np.iinfo(np.int32).max))
        splitter = _halving_splitter(estimator1, groups, seed)
        for j, (train, test) in enumerate(splitter.split(X_arr, y_arr, groups)):
            for k, (estimator, scorer) in enumerate(
                [(estimator1, scorer1), (estimator2, scorer2)]
            ):
                fitted = clone(estimator).fit(X_arr[train], y_arr[train])
                scores[k, i, j] = scorer(fitted, X_arr[test], y_arr[test])
    return ttest_5x2cv(scores[0], scores[1])
