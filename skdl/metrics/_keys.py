"""Order-preserving integer bins of float scores, and the bounds built on them.

Shared by the exact two-pass metric (:mod:`skdl.metrics._fdr_fast`) and the
streaming one (:mod:`skdl.metrics._streaming`): both histogram positives and
negatives over these bins and read the same exact edge counts and optimistic
in-bin bounds off the histograms.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import numpy as np
from numpy.typing import NDArray

#: Samples processed at once by the chunked passes: large enough to amortise
#: Python overhead, small enough to keep temporaries in cache.
CHUNK = 1 << 18


def score_bins(scores: NDArray[Any], n_bits: int) -> NDArray[np.int32]:
    """Bin scores by the leading ``n_bits`` bits of their float32 order key.

    The IEEE-754 bit pattern of a float32, read as an int32 and with the
    non-sign bits of negative numbers flipped, orders exactly like the floats.
    Its leading bits are a histogram bin, and ``bin(a) > bin(b)`` implies
    ``a > b``: a bin edge is a real score threshold. ``-0.0`` and ``0.0`` fall
    in the same bin. Conversion to float32 rounds monotonically, so wider
    inputs (float64, ints) keep the implication.

    Parameters
    ----------
    scores : ndarray
        Numeric scores without NaN.
    n_bits : int
        Number of leading bits, in [1, 31].

    Returns
    -------
    bins : ndarray of int32 in ``[0, 2**n_bits)``

    Examples
    --------
    >>> import numpy as np
    >>> from skdl.metrics._keys import score_bins
    >>> score_bins(np.array([-2.0, -0.0, 0.0, 1e-30, 3.0]), 8).tolist()
    [63, 128, 128, 141, 192]
    """
    values = np.asarray(scores, dtype=np.float32) + np.float32(0.0)  # a new array
    as_int = values.view(np.int32)
    key = as_int >> 31
    key &= 0x7FFFFFFF
    key ^= as_int
    key >>= 32 - n_bits
    key += 1 << (n_bits - 1)
    return key


def is_label(truth: NDArray[Any], label: Any) -> NDArray[np.bool_]:
    """Mask of the samples whose label is ``label``.

    String labels (as read from a CSV file) are compared with ``str(label)``
    when ``label`` is a number, so ``"-1"`` is ambiguous under the default
    ``ambiguous_label=-1`` and ``"1"`` is positive under ``pos_label=1``.

    Examples
    --------
    >>> import numpy as np
    >>> from skdl.metrics._keys import is_label
    >>> is_label(np.array(["-1", "0", "1"]), -1).tolist()
    [True, False, False]
    >>> is_label(np.array([-1, "0", "-1"], dtype=object), -1).tolist()
    [True, False, True]
    """
    mask = np.asarray(truth == label)
    if (
        truth.dtype.kind in "OUS"
        and isinstance(label, int | float | np.number)
        and not isinstance(label, bool | np.bool_)
    ):
        mask = mask | np.asarray(truth == str(label))  # object arrays mix both
    return mask


def class_masks(
    truth: NDArray[Any], pos_label: Any, ambiguous_label: Any
) -> tuple[NDArray[np.bool_], NDArray[np.bool_]]:
    """Positive and negative masks; ambiguous samples are in neither."""
    positive = is_label(truth, pos_label)
    negative = ~positive
    if ambiguous_label is not None:
        negative &= ~is_label(truth, ambiguous_label)
    return positive, negative


def check_truth(truth: NDArray[Any], caller: str) -> None:
    """Refuse NaN or infinite labels, which would silently count as negatives."""
    if truth.dtype.kind == "f" and not np.isfinite(truth).all():
        raise ValueError(
            f"{caller}: y_true contains NaN or infinity; a label must be a class "
            "(mark unknown samples with ambiguous_label, or drop them)."
        )


def check_scores(scores: NDArray[Any], caller: str) -> None:
    """Refuse non-numeric, NaN or infinite scores."""
    if scores.dtype.kind not in "fiub":
        raise TypeError(f"{caller}: y_score must be numeric, got dtype {scores.dtype}.")
    if scores.dtype.kind == "f" and not np.isfinite(scores).all():
        raise ValueError(
            f"{caller}: y_score contains NaN or infinity; remove or impute them first."
        )


def check_weights(
    sample_weight: Any, n_samples: int, caller: str
) -> NDArray[np.float64] | None:
    """Sample weights as float64: finite, non-negative, not all zero."""
    if sample_weight is None:
        return None
    weights = np.asarray(sample_weight, dtype=np.float64).ravel()
    if len(weights) != n_samples:
        raise ValueError(
            f"{caller}: sample_weight has {len(weights)} values for {n_samples} "
            "samples."
        )
    if not np.isfinite(weights).all():
        raise ValueError(f"{caller}: sample_weight contains NaN or infinity.")
    if (weights < 0).any():
        raise ValueError(f"{caller}: sample_weight contains negative values.")
    if not weights.any():
        raise ValueError(
            f"{caller}: sample_weight is zero everywhere; nothing would be scored."
        )
    return weights


def edge_counts(
    pos_hist: NDArray[np.int64], neg_hist: NDArray[np.int64]
) -> tuple[NDArray[np.int64], NDArray[np.int64]]:
    """Positives and negatives at or above each bin's lower edge (suffix sums)."""
    return np.cumsum(pos_hist[::-1])[::-1], np.cumsum(neg_hist[::-1])[::-1]


@dataclass(frozen=True)
class HistogramBounds:
    """What a pair of class histograms says about recall at one FDR.

    ``best_edge_tp`` is the largest true-positive count of a bin edge (a real
    threshold) whose FDR is within the limit: an achievable value. Inside bin
    ``b`` a threshold keeps everything above the bin and part of it; at best all
    of its positives (``tp_optimistic[b]``) and none of its negatives, which is
    feasible where ``optimistic[b]``.
    """

    best_edge_tp: int
    tp_above: NDArray[np.int64]
    fp_above: NDArray[np.int64]
    tp_optimistic: NDArray[np.int64]
    optimistic: NDArray[np.bool_]


def histogram_bounds(
    pos_hist: NDArray[np.int64], neg_hist: NDArray[np.int64], fdr: float
) -> HistogramBounds:
    """Exact edge counts and optimistic in-bin bounds at ``fdr``."""
    tp_edge, fp_edge = edge_counts(pos_hist, neg_hist)
    feasible = (tp_edge > 0) & (fp_edge / (tp_edge + fp_edge).clip(1) <= fdr)
    best = int(tp_edge[feasible].max()) if feasible.any() else 0
    tp_above = np.r_[tp_edge[1:], 0]
    fp_above = np.r_[fp_edge[1:], 0]
    tp_optimistic = tp_above + pos_hist
    optimistic = (tp_optimistic > 0) & (
        fp_above / (tp_optimistic + fp_above).clip(1) <= fdr
    )
    return HistogramBounds(best, tp_above, fp_above, tp_optimistic, optimistic)
