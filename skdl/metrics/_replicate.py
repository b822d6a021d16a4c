"""The recall a model could reach at most, given how well replicates agree."""

from __future__ import annotations

from collections.abc import Sequence
from numbers import Real
from typing import Any

import numpy as np
from numpy.typing import ArrayLike, NDArray

from skdl.metrics._fdr import recall_at_fdr_score
from skdl.utils._sklearn import Interval, validate_params


@validate_params(
    {
        "replicates": ["array-like"],
        "fdr": [Interval(Real, 0, 1, closed="neither"), "array-like"],
        "threshold": [Real, None],
        "ambiguous_label": [Real, None],
    },
    prefer_skip_nested_validation=True,
)
def replicate_upper_bound(
    replicates: ArrayLike,
    *,
    fdr: float | Sequence[float] = (0.05, 0.1, 0.25, 0.5),
    threshold: float | None = None,
    ambiguous_label: Any = -1,
) -> float | NDArray[np.float64]:
    """Recall at FDR that one replicate reaches when predicted from the others.

    No model can agree with one experiment better than an independent repeat of
    that experiment does. For each replicate in turn, its labels are the truth
    and the mean of the other replicates is the score; the function returns the
    mean recall at each ``fdr`` over replicates. Show a model's recall next to
    this ceiling.

    Parameters
    ----------
    replicates : array-like of shape (n_replicates, n_samples)
        Either binary labels per replicate (1 positive, 0 negative,
        ``ambiguous_label`` ambiguous), or continuous signals when ``threshold``
        is given.
    fdr : float or array-like of float, default=(0.05, 0.1, 0.25, 0.5)
        False discovery rate(s), each in (0, 1).
    threshold : float or None, default=None
        For continuous signals: a sample is positive in a replicate when its
        signal is at least ``threshold``; the other replicates' mean signal is
        the score.
    ambiguous_label : int, float or None, default=-1
        Label of ambiguous samples in binary replicates, left out when that
        replicate is the truth (and counted as 0.5 when it is a predictor).

    Returns
    -------
    recall : float or ndarray of shape (n_fdr,)
        Mean recall at each FDR; a float when ``fdr`` is a float.

    Examples
    --------
    >>> import numpy as np
    >>> from skdl.metrics import replicate_upper_bound
    >>> rep1 = np.array([1, 1, 1, 0, 0, 0, 0, 0])
    >>> rep2 = np.array([1, 1, 0, 1, 0, 0, 0, 0])
    >>> replicate_upper_bound([rep1, rep2], fdr=0.4)
    0.6666666666666666
    """
    try:
        data = np.asarray(replicates, dtype=np.float64)
    except ValueError as e:  # ragged rows, or text
        raise ValueError(
            "replicate_upper_bound: replicates must be a (n_replicates, n_samples) "
            "array of numbers, every replicate covering the same samples in the "
            f"same order; got rows that do not line up ({e})."
        ) from None
    if data.ndim != 2 or data.shape[0] < 2:
        raise ValueError(
            "replicate_upper_bound: replicates must have shape (n_replicates, "
            f"n_samples) with at least 2 replicates; got shape {data.shape}."
        )
    if data.shape[0] > data.shape[1]:
        raise ValueError(
            f"replicate_upper_bound: got {data.shape[0]} replicates of "
            f"{data.shape[1]} samples; replicates are rows, shape (n_replicates, "
            "n_samples). Transpose the array (replicates.T)."
        )
    if not np.isfinite(data).all():
        raise ValueError("replicate_upper_bound: replicates contain NaN or infinity.")
    levels = np.atleast_1d(np.asarray(fdr, dtype=np.float64))
    if np.any((levels <= 0) | (levels >= 1)):
        raise ValueError(
            f"replicate_upper_bound: every fdr must be in (0, 1); got {fdr!r}."
        )
    if threshold is None:
        labels = data
        ambiguous = (
            np.zeros_like(data, dtype=bool)
            if ambiguous_label is None
            else data == ambiguous_label
        )
        predictors = np.where(ambiguous, 0.5, data)
        values = set(np.unique(data[~ambiguous]).tolist())
        if not values <= {0.0, 1.0}:
            raise ValueError(
                "replicate_upper_bound: without threshold, replicates must hold "
                f"binary labels (0, 1, ambiguous {ambiguous_label!r}); pass "
                "threshold=... for continuous signals."
            )
    else:
        labels = (data >= threshold).astype(np.float64)
        predictors = data
    n = data.shape[0]
    recalls = np.empty((n, len(levels)))
    for i in range(n):
        score = np.delete(predictors, i, axis=0).mean(axis=0)
        truth = labels[i]
        for j, level in enumerate(levels):
            recalls[i, j] = recall_at_fdr_score(
                truth,
                score,
                fdr=float(level),
                ambiguous_label=ambiguous_label if threshold is None else None,
            )
    result = recalls.mean(axis=0)
    return float(result[0]) if np.ndim(fdr) == 0 else result
