"""Order-preserving integer bins of float scores, and the bounds built on them.

Shared by the exact two-pass metric (:mod:`skdl.metrics._fdr_fast`) and the
streaming one (:mod:`skdl.metrics._streaming`): both histogram positives and
negatives over these bins and read the same exact edge counts and optimistic
in-bin bounds off the histograms.
"""

from __future__ import annotations

from dataclasses import dataclass
from numbers import Number
from typing import Any, cast

import numpy as np
from numpy.typing import NDArray

#: Samples processed at once by the chunked passes: large enough to amortise
#: Python overhead, small enough that a chunk's buffers stay in the core's L2
#: cache (2**16 measured fastest for the histogram pass, see bench_fdr.py).
CHUNK = 1 << 16

_SIGN = np.int32(-(1 << 31))


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
    scores = np.asarray(scores)
    values = as_float32(scores, np.empty(scores.shape, dtype=np.float32))
    return bins_into(values, np.empty(values.shape, dtype=np.int32), n_bits)


def as_float32(scores: NDArray[Any], out: NDArray[np.float32]) -> NDArray[np.float32]:
    """Write ``scores`` into ``out`` as float32, with ``-0.0`` made ``0.0``.

    Rounding to float32 comes first, so a float64 that rounds to ``-0.0``
    lands in ``0.0``'s bin too; values beyond float32's range become
    infinity, still in order.

    Examples
    --------
    >>> import numpy as np
    >>> from skdl.metrics._keys import as_float32
    >>> out = np.empty(2, dtype=np.float32)
    >>> np.signbit(as_float32(np.array([-1e-300, 1.0]), out)).tolist()
    [False, False]
    """
    if scores.dtype != np.float32:
        with np.errstate(over="ignore"):
            np.copyto(out, scores, casting="unsafe")
        scores = out
    return np.add(scores, np.float32(0.0), out=out)


def bins_into(
    values: NDArray[np.float32], out: NDArray[np.int32], n_bits: int
) -> NDArray[np.int32]:
    """Write the :func:`score_bins` of float32 ``values`` into ``out``.

    The order key is the bit pattern with every bit flipped for negative
    numbers and only the sign bit for the others, read as an unsigned
    integer; its leading ``n_bits`` bits are the bin. ``values`` must not hold
    ``-0.0`` (:func:`as_float32`). ``out`` is used as scratch space first.

    Examples
    --------
    >>> import numpy as np
    >>> from skdl.metrics._keys import bins_into
    >>> values = np.array([-2.0, 0.0, 3.0], dtype=np.float32)
    >>> bins_into(values, np.empty(3, dtype=np.int32), 8).tolist()
    [63, 128, 192]
    """
    as_int = values.view(np.int32)
    np.right_shift(as_int, 31, out=out)  # -1 for negative scores, 0 otherwise
    np.bitwise_or(out, _SIGN, out=out)
    np.bitwise_xor(as_int, out, out=out)
    unsigned = out.view(np.uint32)
    np.right_shift(unsigned, 32 - n_bits, out=unsigned)
    return out


def class_histograms(
    truth: NDArray[Any],
    scores: NDArray[Any],
    n_bits: int,
    pos_label: Any,
    ambiguous_label: Any,
    caller: str,
) -> tuple[NDArray[np.int64], NDArray[np.int64]]:
    """Histograms of the positives' and negatives' :func:`score_bins`, in one pass.

    One fused loop over chunks of :data:`CHUNK` samples writes the order key,
    the bin and the class into one preallocated buffer (index ``2 * bin +
    positive``; ambiguous samples to a spare last index) and counts it with
    ``np.add.at``, so nothing of size ``n`` is allocated and every temporary
    stays in cache. NaN or infinite scores are refused without a separate
    pass: only they fall in the histogram's outermost bins, which are checked
    exactly when anything lands there (ambiguous samples' scores are checked
    as they are met).

    Parameters
    ----------
    truth : ndarray of shape (n_samples,)
        Labels.
    scores : ndarray of shape (n_samples,)
        Numeric scores (float, int or bool).
    n_bits : int
        Leading bits of the order key, in [1, 30].
    pos_label, ambiguous_label : label
        As in :func:`class_masks`.
    caller : str
        Name used in error messages.

    Returns
    -------
    pos_hist, neg_hist : ndarray of int64 of shape (2**n_bits,)

    Raises
    ------
    ValueError
        NaN or infinite scores, or NaN labels.

    Examples
    --------
    >>> import numpy as np
    >>> from skdl.metrics._keys import class_histograms, score_bins
    >>> y = np.array([1, 0, -1, 0])
    >>> s = np.array([0.9, 0.1, 0.5, 0.1])
    >>> pos, neg = class_histograms(y, s, 8, 1, -1, "example")
    >>> score_bins(s, 8).tolist()
    [191, 189, 191, 189]
    >>> int(pos[191]), int(neg[189]), int(pos.sum() + neg.sum())  # ambiguous left out
    (1, 2, 3)
    """
    n = len(scores)
    n_bins = 1 << n_bits
    counts = np.zeros(2 * n_bins + 1, dtype=np.int64)  # last: ambiguous samples
    size = min(CHUNK, n)
    values = np.empty(size, dtype=np.float32)
    index = np.empty(size, dtype=np.int32)
    positive = np.empty(size, dtype=bool)
    ambiguous = np.empty(size, dtype=bool)
    check_labels = truth.dtype.kind == "f"
    for start in range(0, n, CHUNK):
        chunk = scores[start : start + CHUNK]
        labels = truth[start : start + CHUNK]
        m = len(chunk)
        key, pos, amb = index[:m], positive[:m], ambiguous[:m]
        if check_labels:
            check_truth(labels, caller)
        bins_into(as_float32(chunk, values[:m]), key, n_bits)
        np.left_shift(key, 1, out=key)  # 2 * bin
        is_label(labels, pos_label, out=pos)
        np.add(key, pos, out=key, casting="unsafe")
        if ambiguous_label is not None:
            is_label(labels, ambiguous_label, out=amb)
            if amb.any():
                key[amb] = 2 * n_bins
                check_scores(chunk[amb], caller)
        np.add.at(counts, key, 1)
    # Only NaN and infinity have keys beyond the largest finite float's bin
    # (and below the lowest's); a bin shared with finite scores is checked.
    finite = score_bins(np.array([-_FLOAT32_MAX, _FLOAT32_MAX]), n_bits)
    outside = counts[: 2 * finite[0] + 2].any() or counts[2 * finite[1] : -1].any()
    if outside:
        for start in range(0, n, CHUNK):
            check_scores(scores[start : start + CHUNK], caller)
    return counts[1:-1:2], counts[0:-1:2]


def bin_lower_edge(b: int, n_bits: int) -> float:
    """Return the smallest float32 score in :func:`score_bins` bin ``b``.

    ``-0.0`` counts as ``0.0``, as in :func:`score_bins`; a bin that starts
    among NaN bit patterns returns NaN.

    Examples
    --------
    >>> import numpy as np
    >>> from skdl.metrics._keys import bin_lower_edge, score_bins
    >>> edge = bin_lower_edge(191, 8)
    >>> edge
    0.5
    >>> score_bins(np.array([np.nextafter(np.float32(edge), np.float32(0)), edge]),
    ...            8).tolist()
    [190, 191]
    """
    key = np.array([(b - (1 << (n_bits - 1))) << (32 - n_bits)], dtype=np.int64)
    key = key.astype(np.int32)
    bits = np.where(key < 0, key ^ np.int32(0x7FFFFFFF), key)
    return float(bits.view(np.float32)[0])


_FLOAT32_MAX = float(np.finfo(np.float32).max)


def is_label(
    truth: NDArray[Any], label: Any, out: NDArray[np.bool_] | None = None
) -> NDArray[np.bool_]:
    """Mask of the samples whose label is ``label`` (written into ``out`` if given).

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
    if out is not None and truth.dtype.kind in "biuf" and isinstance(label, Number):
        return np.equal(truth, cast(Any, label), out=out)  # no temporary: fast path
    mask = np.asarray(truth == label)
    if (
        truth.dtype.kind in "OUS"
        and isinstance(label, int | float | np.number)
        and not isinstance(label, bool | np.bool_)
    ):
        mask = mask | np.asarray(truth == str(label))  # object arrays mix both
    if out is not None:
        out[...] = mask
        return out
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
