"""How a model ranks the samples whose label is ambiguous."""

from __future__ import annotations

from numbers import Real
from typing import Any

import numpy as np
from numpy.typing import ArrayLike
from scipy.stats import spearmanr
from sklearn.utils import check_consistent_length, column_or_1d

from skdl.metrics._keys import check_scores, check_truth, is_label
from skdl.utils._sklearn import validate_params


@validate_params(
    {
        "y_true": ["array-like"],
        "y_score": ["array-like"],
        "signal": ["array-like"],
        "ambiguous_label": [Real, str],
    },
    prefer_skip_nested_validation=True,
)
def ambiguous_rank_correlation(
    y_true: ArrayLike,
    y_score: ArrayLike,
    signal: ArrayLike,
    *,
    ambiguous_label: Any = -1,
) -> float:
    """Spearman correlation of scores and signal over the ambiguous samples only.

    Ambiguous samples are left out of every other skdl metric. This asks whether
    the model still orders them sensibly: for peaks called "ambiguous" between a
    bound and an unbound threshold, a model that ranks them by their (continuous)
    ChIP signal has learned the biology rather than the thresholds. Higher is
    better.

    Parameters
    ----------
    y_true : array-like of shape (n_samples,)
        Labels, with ``ambiguous_label`` marking the ambiguous samples.
    y_score : array-like of shape (n_samples,)
        Model scores.
    signal : array-like of shape (n_samples,)
        The continuous measurement behind the labels (for example peak signal).
    ambiguous_label : int, float or str, default=-1
        Label of ambiguous samples.

    Returns
    -------
    rho : float
        Spearman's rank correlation over the ambiguous samples, in [-1, 1].

    Examples
    --------
    >>> from skdl.metrics import ambiguous_rank_correlation
    >>> y_true = [1, -1, -1, -1, 0]
    >>> ambiguous_rank_correlation(y_true, [0.9, 0.2, 0.5, 0.7, 0.1],
    ...                            [9.0, 1.0, 2.0, 3.0, 0.0])
    1.0
    """
    truth = np.asarray(column_or_1d(y_true))
    all_scores = np.asarray(column_or_1d(y_score))
    all_signal = np.asarray(column_or_1d(signal))
    check_consistent_length(truth, all_scores, all_signal)
    caller = "ambiguous_rank_correlation"
    check_truth(truth, caller)
    check_scores(all_scores, caller)
    if all_signal.dtype.kind not in "fiub" or not np.isfinite(all_signal).all():
        raise ValueError(f"{caller}: signal must be finite numbers.")
    ambiguous = is_label(truth, ambiguous_label)
    n = int(np.count_nonzero(ambiguous))
    if n < 3:
        raise ValueError(
            f"ambiguous_rank_correlation: needs at least 3 samples labelled "
            f"{ambiguous_label!r}; got {n}."
        )
    scores, values = all_scores[ambiguous], all_signal[ambiguous]
    if np.ptp(scores) == 0 or np.ptp(values) == 0:
        raise ValueError(
            "ambiguous_rank_correlation: the scores or the signal of the ambiguous "
            "samples are constant; the correlation is undefined."
        )
    return float(spearmanr(scores, values).statistic)
