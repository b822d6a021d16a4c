"""Bootstrap confidence intervals that can resample whole groups."""

from __future__ import annotations

import warnings
from collections.abc import Callable
from dataclasses import dataclass
from numbers import Integral, Real
from typing import Any

import numpy as np
from numpy.typing import ArrayLike, NDArray
from sklearn import config_context
from sklearn.exceptions import UndefinedMetricWarning
from sklearn.utils import check_consistent_length, check_random_state, column_or_1d

from skdl.exceptions import SkdlWarning
from skdl.utils._groups import check_groups
from skdl.utils._sklearn import Interval, validate_params


@dataclass(frozen=True)
class BootstrapResult:
    """A metric's value with a bootstrap confidence interval.

    Parameters
    ----------
    estimate : float
        The metric on the original data.
    low : float
        Lower end of the percentile interval.
    high : float
        Upper end of the percentile interval.
    confidence_level : float
        Coverage of the interval.
    resamples : ndarray of shape (n_valid_resamples,)
        The metric on each resample where it was defined.

    Examples
    --------
    >>> from skdl.metrics import BootstrapResult
    >>> r = BootstrapResult(0.5, 0.4, 0.6, 0.95, None)
    >>> r.high - r.low
    0.19999999999999996
    """

    estimate: float
    low: float
    high: float
    confidence_level: float
    resamples: Any


@validate_params(
    {
        "metric": [callable],
        "y_true": ["array-like"],
        "y_score": ["array-like"],
        "groups": ["array-like", None],
        "n_resamples": [Interval(Integral, 10, None, closed="left")],
        "confidence_level": [Interval(Real, 0, 1, closed="neither")],
        "random_state": ["random_state"],
    },
    prefer_skip_nested_validation=True,
)
def bootstrap_metric(
    metric: Callable[..., float],
    y_true: ArrayLike,
    y_score: ArrayLike,
    *,
    groups: ArrayLike | None = None,
    n_resamples: int = 1000,
    confidence_level: float = 0.95,
    random_state: Any = None,
    **metric_params: Any,
) -> BootstrapResult:
    """Percentile bootstrap interval of ``metric(y_true, y_score, **metric_params)``.

    With ``groups`` (chromosomes, patients, batches), whole groups are drawn with
    replacement, so the interval reflects the variation between groups that
    correlated samples inside a group would hide. Resamples on which the metric
    is undefined (an error or NaN, for example a single class) are skipped
    with a :class:`~skdl.exceptions.SkdlWarning` that counts them; more than
    half skipped raises an error. The metric's parameters are checked exactly
    as when it is called directly.

    Parameters
    ----------
    metric : callable
        ``metric(y_true, y_score, **metric_params) -> float``, for example
        :func:`recall_at_fdr_score`.
    y_true : array-like of shape (n_samples,)
        True labels.
    y_score : array-like of shape (n_samples,) or (n_samples, n_classes)
        Scores (rows are resampled with ``y_true``).
    groups : array-like of shape (n_samples,), default=None
        Group of each sample; None resamples samples.
    n_resamples : int, default=1000
        Number of bootstrap resamples (at least 10).
    confidence_level : float, default=0.95
        Coverage of the interval, in (0, 1).
    random_state : int, RandomState instance or None, default=None
        Seed of the resampling.
    **metric_params : dict
        Passed to ``metric`` (for example ``fdr=0.1``).

    Returns
    -------
    result : BootstrapResult
        The estimate, the interval and the resampled values.

    Examples
    --------
    >>> import numpy as np
    >>> from skdl.metrics import bootstrap_metric, recall_at_fdr_score
    >>> rng = np.random.RandomState(0)
    >>> y = (rng.rand(500) < 0.2).astype(int)
    >>> score = y + rng.rand(500)
    >>> chromosome = rng.randint(0, 10, 500)
    >>> r = bootstrap_metric(recall_at_fdr_score, y, score, groups=chromosome,
    ...                      n_resamples=200, random_state=0, fdr=0.1)
    >>> bool(r.low <= r.estimate <= r.high)
    True
    """
    truth = np.asarray(column_or_1d(y_true))
    scores = np.asarray(y_score)
    if scores.ndim != 2:  # one score per sample; (n, n_classes) stays as it is
        scores = np.asarray(column_or_1d(y_score))
    check_consistent_length(truth, scores, groups)
    rng = check_random_state(random_state)
    # The metric checks its own parameters exactly as when called directly:
    # once, on the whole data (the resamples then skip the checks, for speed).
    with config_context(skip_parameter_validation=False):
        estimate = float(metric(truth, scores, **metric_params))
    if not np.isfinite(estimate):
        raise ValueError(
            f"bootstrap_metric: the metric is undefined on the data (got "
            f"{estimate}); check that both classes are present."
        )
    if groups is None:
        members: list[NDArray[np.intp]] | None = None
        n_units = len(truth)
    else:
        _, inverse = np.unique(
            check_groups(groups, "bootstrap_metric"), return_inverse=True
        )
        order = np.argsort(inverse, kind="stable")
        bounds = np.cumsum(np.bincount(inverse))[:-1]
        members = np.split(order, bounds)
        n_units = len(members)
        if n_units < 2:
            raise ValueError("bootstrap_metric: groups must contain at least 2 groups.")
    values = []
    with warnings.catch_warnings():
        # Undefined resamples (one class) are counted and reported below.
        warnings.simplefilter("ignore", UndefinedMetricWarning)
        for _ in range(n_resamples):
            draw = rng.randint(n_units, size=n_units)
            index = (
                draw if members is None else np.concatenate([members[g] for g in draw])
            )
            try:
                value = float(metric(truth[index], scores[index], **metric_params))
            except ValueError:
                continue
            if np.isfinite(value):  # NaN: undefined on this resample
                values.append(value)
    n_undefined = n_resamples - len(values)
    if len(values) < n_resamples / 2:
        raise ValueError(
            f"bootstrap_metric: the metric was undefined on {n_undefined} of "
            f"{n_resamples} resamples (for example a single class); use more data "
            "or fewer, larger groups."
        )
    if n_undefined:
        warnings.warn(
            f"bootstrap_metric: the metric was undefined on {n_undefined} of "
            f"{n_resamples} resamples (for example a single class); the interval "
            "uses the other resamples only and may be too narrow.",
            SkdlWarning,
            stacklevel=2,
        )
    resamples = np.asarray(values)
    alpha = (1 - confidence_level) / 2
    low, high = np.quantile(resamples, [alpha, 1 - alpha])
    return BootstrapResult(
        estimate, float(low), float(high), confidence_level, resamples
    )
