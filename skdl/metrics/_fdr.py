"""Exact FDR-oriented ranking metrics.

Naming contract (as in imbalanced-learn): ``*_score`` is higher-is-better,
``*_rate``/``*_loss``/``*_error`` lower-is-better. Every metric here drops the
samples whose label is ``ambiguous_label`` before computing anything.

:func:`recall_at_fdr_score` without sample weights runs in two chunked passes
that sort nothing but a handful of histogram bins (:mod:`skdl.metrics._fdr_fast`).

How the other exact metrics avoid a full argsort: the highest recall at a given FDR,
and the highest precision at a given recall, are always reached at a threshold
equal to the score of some *positive* sample (moving a threshold up to the next
positive score keeps every true positive and can only drop false positives).
So only the positives' scores are candidate thresholds. The negatives' scores
are sorted as values (no permutation) and the candidates are located in them
with ``searchsorted``. The cost is one values-only sort of the negatives plus a
sort of the (usually few) positives; the extra memory is one copy of the
negatives' scores and two boolean masks.
"""

from __future__ import annotations

from numbers import Real
from typing import Any

import numpy as np
from numpy.typing import ArrayLike, NDArray
from sklearn.utils import check_consistent_length, column_or_1d

from skdl.metrics._fdr_fast import two_pass_recall_at_fdr
from skdl.metrics._keys import check_scores, check_truth, check_weights, is_label
from skdl.utils._sklearn import Interval, validate_params

_COMMON = {
    "y_true": ["array-like"],
    "y_score": ["array-like"],
    "pos_label": [Real, str, "boolean", None],
    "ambiguous_label": [Real, str, None],
    "sample_weight": ["array-like", None],
}
_FDR = Interval(Real, 0, 1, closed="neither")


class _Counts:
    """True/false positive counts at each candidate threshold, descending."""

    def __init__(
        self,
        thresholds: NDArray[Any],
        tp: NDArray[np.float64],
        fp: NDArray[np.float64],
        n_pos: float,
    ) -> None:
        self.thresholds = thresholds
        self.tp = tp
        self.fp = fp
        self.n_pos = n_pos

    @property
    def recall(self) -> NDArray[np.float64]:
        return self.tp / self.n_pos

    @property
    def fdr(self) -> NDArray[np.float64]:
        return self.fp / (self.tp + self.fp)


def _prepare(
    y_true: ArrayLike,
    y_score: ArrayLike,
    pos_label: Any,
    ambiguous_label: Any,
    sample_weight: ArrayLike | None,
    caller: str,
) -> tuple[NDArray[Any], NDArray[np.bool_], NDArray[Any] | None]:
    """Validate, drop ambiguous samples, return scores, positive mask, weights."""
    truth = np.asarray(column_or_1d(y_true))
    scores = np.asarray(column_or_1d(y_score))
    check_consistent_length(truth, scores, sample_weight)
    check_truth(truth, caller)
    check_scores(scores, caller)
    weights = check_weights(sample_weight, len(truth), caller)
    if ambiguous_label is not None:
        ambiguous = is_label(truth, ambiguous_label)
        if ambiguous.all():
            raise ValueError(
                f"{caller}: every sample is ambiguous (label {ambiguous_label!r}); "
                "there is nothing to score."
            )
        if ambiguous.any():
            keep = ~ambiguous
            truth, scores = truth[keep], scores[keep]
            weights = None if weights is None else weights[keep]
        del ambiguous
    positive = is_label(truth, pos_label)
    n_pos = int(np.count_nonzero(positive))
    if n_pos == 0 or n_pos == len(positive):
        present = "no positive" if n_pos == 0 else "only positive"
        raise ValueError(
            f"{caller}: y_true has {present} samples (pos_label={pos_label!r}) once "
            "ambiguous samples are left out; both classes are needed."
        )
    if weights is not None and not (
        weights[positive].any() and weights[~positive].any()
    ):
        side = "positives" if not weights[positive].any() else "negatives"
        raise ValueError(
            f"{caller}: the {side} have zero total sample_weight; both classes "
            "need weight to be scored."
        )
    return scores, positive, weights


def _counts(
    y_true: ArrayLike,
    y_score: ArrayLike,
    pos_label: Any,
    ambiguous_label: Any,
    sample_weight: ArrayLike | None,
    caller: str,
) -> _Counts:
    """Validate the input and count hits at each candidate threshold."""
    scores, positive, weights = _prepare(
        y_true, y_score, pos_label, ambiguous_label, sample_weight, caller
    )
    return _sorted_counts(scores, positive, weights)


def _sorted_counts(
    y_score: NDArray[Any],
    positive: NDArray[np.bool_],
    weights: NDArray[Any] | None,
) -> _Counts:
    """Count hits at the distinct positive scores, highest threshold first."""
    if weights is not None:
        return _weighted_counts(y_score, positive, weights)
    pos = np.sort(y_score[positive])[::-1]
    neg = y_score[~positive]  # a copy: sorted in place below
    neg.sort()
    last_of_tie = np.empty(len(pos), dtype=bool)
    np.not_equal(pos[1:], pos[:-1], out=last_of_tie[:-1])
    last_of_tie[-1] = True
    thresholds = pos[last_of_tie]
    tp = (np.flatnonzero(last_of_tie) + 1).astype(np.float64)
    fp = (len(neg) - np.searchsorted(neg, thresholds, side="left")).astype(np.float64)
    return _Counts(thresholds, tp, fp, float(len(pos)))


def _weighted_counts(
    y_score: NDArray[Any], positive: NDArray[np.bool_], weights: NDArray[Any]
) -> _Counts:
    order = np.argsort(y_score, kind="stable")[::-1]
    scores = y_score[order]
    w = np.asarray(weights, dtype=np.float64)[order]
    is_pos = positive[order]
    tp = np.cumsum(np.where(is_pos, w, 0.0))
    fp = np.cumsum(np.where(is_pos, 0.0, w))
    last_of_tie = np.r_[scores[1:] != scores[:-1], True]
    candidate = last_of_tie & (tp > 0)
    return _Counts(scores[candidate], tp[candidate], fp[candidate], float(tp[-1]))


#: Below this many scores, sorting beats the two-pass histogram, whose 2**16
#: bins cost the same whatever the input size (bootstraps call it thousands of
#: times on small folds).
_TWO_PASS_MIN = 1 << 16


def _best_recall_index(counts: _Counts, fdr: float) -> int | None:
    feasible = np.flatnonzero(counts.fdr <= fdr)
    return None if feasible.size == 0 else int(feasible[-1])


@validate_params(
    {**_COMMON, "fdr": [_FDR]},
    prefer_skip_nested_validation=True,
)
def recall_at_fdr_score(
    y_true: ArrayLike,
    y_score: ArrayLike,
    *,
    fdr: float = 0.1,
    pos_label: Any = 1,
    ambiguous_label: Any = -1,
    sample_weight: ArrayLike | None = None,
) -> float:
    """Largest recall over thresholds whose false discovery rate is at most ``fdr``.

    Higher is better. "How many of the true hits do I recover if at most
    ``fdr`` of what I send to the bench is false?" A threshold ``t`` calls every
    sample with ``y_score >= t`` positive; tied scores are one threshold. When
    no threshold reaches the FDR, the score is 0.0 (not NaN).

    Parameters
    ----------
    y_true : array-like of shape (n_samples,)
        True labels. ``pos_label`` marks positives, ``ambiguous_label`` marks
        samples left out; every other label is negative (one-vs-rest).
    y_score : array-like of shape (n_samples,)
        Scores, higher meaning more likely positive (probabilities, decision
        values, ...). NaN is refused.
    fdr : float, default=0.1
        Largest acceptable false discovery rate ``FP / (TP + FP)``, in (0, 1).
        The ratio is one float64 division compared with ``<=``, so
        ``fdr=1/3`` admits exactly one false call in three.
    pos_label : int, float, bool or str, default=1
        Label of the positive class.
    ambiguous_label : int, float, str or None, default=-1
        Label of ambiguous samples, left out (ENCODE-DREAM's "A" labels).
        None keeps every sample.
    sample_weight : array-like of shape (n_samples,), default=None
        Sample weights; counts become sums of weights. Slower (uses an argsort).

    Returns
    -------
    recall : float
        In [0, 1].

    See Also
    --------
    threshold_at_fdr : The threshold that achieves it.
    fdr_recall_curve : Recall and FDR at every candidate threshold.
    StreamingFDR : The same metric over chunks, in bounded memory.

    Examples
    --------
    >>> from skdl.metrics import recall_at_fdr_score
    >>> y_true = [1, 1, 0, 1, 0, 0, 1, 0]
    >>> y_score = [0.9, 0.8, 0.7, 0.6, 0.5, 0.4, 0.3, 0.2]
    >>> recall_at_fdr_score(y_true, y_score, fdr=0.25)  # top 4: 3 TP, 1 FP
    0.75
    >>> recall_at_fdr_score(y_true, y_score, fdr=0.01)  # top 2: 2 TP, 0 FP
    0.5
    """
    if sample_weight is None and np.shape(y_score)[0] >= _TWO_PASS_MIN:
        truth = np.asarray(column_or_1d(y_true))
        scores = np.asarray(column_or_1d(y_score))
        check_consistent_length(truth, scores)  # labels are checked chunk by chunk
        if scores.dtype.kind not in "fiub":
            raise TypeError(
                "recall_at_fdr_score: y_score must be numeric, got dtype "
                f"{scores.dtype}."
            )
        recall = two_pass_recall_at_fdr(
            truth, scores, fdr, pos_label, ambiguous_label, "recall_at_fdr_score"
        )
        if recall is not None:
            return recall
    counts = _counts(
        y_true,
        y_score,
        pos_label,
        ambiguous_label,
        sample_weight,
        "recall_at_fdr_score",
    )
    best = _best_recall_index(counts, fdr)
    return 0.0 if best is None else float(counts.recall[best])


@validate_params(
    {**_COMMON, "fdr": [_FDR]},
    prefer_skip_nested_validation=True,
)
def threshold_at_fdr(
    y_true: ArrayLike,
    y_score: ArrayLike,
    *,
    fdr: float = 0.1,
    pos_label: Any = 1,
    ambiguous_label: Any = -1,
    sample_weight: ArrayLike | None = None,
) -> float:
    """Lowest score threshold whose false discovery rate is at most ``fdr``.

    Calling ``y_score >= threshold`` positive gives the recall of
    :func:`recall_at_fdr_score`. Choose it on tuning data and apply it, unchanged,
    to test data. ``inf`` when no threshold reaches the FDR (call nothing).

    Parameters
    ----------
    y_true : array-like of shape (n_samples,)
        True labels.
    y_score : array-like of shape (n_samples,)
        Scores, higher meaning more likely positive.
    fdr : float, default=0.1
        Largest acceptable false discovery rate, in (0, 1).
    pos_label : int, float, bool or str, default=1
        Label of the positive class.
    ambiguous_label : int, float, str or None, default=-1
        Label of ambiguous samples, left out.
    sample_weight : array-like of shape (n_samples,), default=None
        Sample weights.

    Returns
    -------
    threshold : float
        A score value of a positive sample, or ``inf``.

    Examples
    --------
    >>> from skdl.metrics import threshold_at_fdr
    >>> threshold_at_fdr([1, 1, 0, 1, 0], [0.9, 0.8, 0.7, 0.6, 0.5], fdr=0.25)
    0.6
    """
    counts = _counts(
        y_true, y_score, pos_label, ambiguous_label, sample_weight, "threshold_at_fdr"
    )
    best = _best_recall_index(counts, fdr)
    return float("inf") if best is None else float(counts.thresholds[best])


@validate_params(
    {**_COMMON, "recall": [Interval(Real, 0, 1, closed="right")]},
    prefer_skip_nested_validation=True,
)
def precision_at_recall_score(
    y_true: ArrayLike,
    y_score: ArrayLike,
    *,
    recall: float = 0.5,
    pos_label: Any = 1,
    ambiguous_label: Any = -1,
    sample_weight: ArrayLike | None = None,
) -> float:
    """Largest precision over thresholds whose recall is at least ``recall``.

    Higher is better. ``1 - precision_at_recall_score`` is the lowest FDR at
    which that share of the true hits can be recovered.

    Parameters
    ----------
    y_true : array-like of shape (n_samples,)
        True labels.
    y_score : array-like of shape (n_samples,)
        Scores, higher meaning more likely positive.
    recall : float, default=0.5
        Required recall, in (0, 1].
    pos_label : int, float, bool or str, default=1
        Label of the positive class.
    ambiguous_label : int, float, str or None, default=-1
        Label of ambiguous samples, left out.
    sample_weight : array-like of shape (n_samples,), default=None
        Sample weights.

    Returns
    -------
    precision : float
        In (0, 1].

    Examples
    --------
    >>> from skdl.metrics import precision_at_recall_score
    >>> y_true = [1, 1, 0, 1, 0, 0, 1, 0]
    >>> y_score = [0.9, 0.8, 0.7, 0.6, 0.5, 0.4, 0.3, 0.2]
    >>> precision_at_recall_score(y_true, y_score, recall=0.75)
    0.75
    """
    counts = _counts(
        y_true,
        y_score,
        pos_label,
        ambiguous_label,
        sample_weight,
        "precision_at_recall_score",
    )
    # ``tp / n_pos`` rounds to the same double as the literal when they are
    # equal (3 / 10 == 0.3), unlike ``0.3 * n_pos`` (3.0000000000000004).
    reached = counts.recall >= recall
    precision = counts.tp / (counts.tp + counts.fp)
    return float(precision[reached].max())


@validate_params(_COMMON, prefer_skip_nested_validation=True)
def fdr_recall_curve(
    y_true: ArrayLike,
    y_score: ArrayLike,
    *,
    pos_label: Any = 1,
    ambiguous_label: Any = -1,
    sample_weight: ArrayLike | None = None,
) -> tuple[NDArray[np.float64], NDArray[np.float64], NDArray[Any]]:
    """Compute FDR and recall at each distinct score of a positive sample.

    These are the thresholds where recall changes; at any other threshold the
    FDR is worse for the same recall. Plot ``recall`` against ``fdr`` to read
    off the recall at every FDR your lab can afford.

    Parameters
    ----------
    y_true : array-like of shape (n_samples,)
        True labels.
    y_score : array-like of shape (n_samples,)
        Scores, higher meaning more likely positive.
    pos_label : int, float, bool or str, default=1
        Label of the positive class.
    ambiguous_label : int, float, str or None, default=-1
        Label of ambiguous samples, left out.
    sample_weight : array-like of shape (n_samples,), default=None
        Sample weights.

    Returns
    -------
    fdr : ndarray of shape (n_thresholds,)
        ``FP / (TP + FP)`` at each threshold.
    recall : ndarray of shape (n_thresholds,)
        Increasing recall.
    thresholds : ndarray of shape (n_thresholds,)
        Decreasing thresholds (``y_score >= threshold`` is called positive).

    Examples
    --------
    >>> from skdl.metrics import fdr_recall_curve
    >>> y_true, y_score = [1, 0, 1, 0], [0.9, 0.8, 0.7, 0.1]
    >>> fdr, recall, thresholds = fdr_recall_curve(y_true, y_score)
    >>> fdr.tolist(), recall.tolist(), thresholds.tolist()
    ([0.0, 0.3333333333333333], [0.5, 1.0], [0.9, 0.7])
    """
    counts = _counts(
        y_true, y_score, pos_label, ambiguous_label, sample_weight, "fdr_recall_curve"
    )
    return counts.fdr, counts.recall, counts.thresholds
