"""Exact recall at FDR in two chunked passes, without sorting the scores.

Pass 1 (:func:`class_histograms`) counts the positives' and negatives' scores
over the leading 16 bits of their order key (:func:`score_bins`) in one fused
loop. A bin edge is a real threshold, so the counts of samples at or above each
edge are exact, and the best feasible edge gives an achievable recall. A
threshold inside bin ``b`` keeps every sample of the bins above it and some of
bin ``b``; the most it can reach is all of bin ``b``'s positives and none of its
negatives. Pass 2 gathers the samples of the few bins where that optimistic
count beats the best edge and could meet the FDR (two float comparisons per
score against the edges of those bins) and resolves them exactly by sorting
only them.

Everything is processed in chunks of :data:`CHUNK` samples, so the extra memory
is a few chunk-sized buffers, the histogram and the gathered samples, and
nothing is copied whole (not even to drop ambiguous samples).
"""

from __future__ import annotations

from typing import Any

import numpy as np
from numpy.typing import NDArray

from skdl.metrics._keys import (
    CHUNK,
    as_float32,
    bin_lower_edge,
    class_histograms,
    class_masks,
    histogram_bounds,
    score_bins,
)

_N_BITS = 16
_N_BINS = 1 << _N_BITS


def two_pass_recall_at_fdr(
    truth: NDArray[Any],
    scores: NDArray[Any],
    fdr: float,
    pos_label: Any,
    ambiguous_label: Any,
    caller: str,
) -> float | None:
    """Exact recall at ``fdr``; None when the refinement would need too much memory.

    ``truth`` and ``scores`` are 1-D arrays of equal length with numeric scores;
    NaN, single-class and all-ambiguous input raise ``ValueError`` here.
    """
    n = len(scores)
    pos_hist, neg_hist = class_histograms(
        truth, scores, _N_BITS, pos_label, ambiguous_label, caller
    )
    n_pos, n_neg = int(pos_hist.sum()), int(neg_hist.sum())
    if n_pos == 0 and n_neg == 0:
        raise ValueError(
            f"{caller}: every sample is ambiguous (label {ambiguous_label!r}); "
            "there is nothing to score."
        )
    if n_pos == 0 or n_neg == 0:
        present = "no positive" if n_pos == 0 else "only positive"
        raise ValueError(
            f"{caller}: y_true has {present} samples (pos_label={pos_label!r}) once "
            "ambiguous samples are left out; both classes are needed."
        )

    bounds = histogram_bounds(pos_hist, neg_hist, fdr)
    best = bounds.best_edge_tp
    candidate = (pos_hist > 0) & bounds.optimistic & (bounds.tp_optimistic > best)
    if not candidate.any():
        return best / n_pos
    # Gather the scores between the lowest candidate bin's lower edge and the
    # highest one's upper edge; the bins of the few gathered pick the candidates.
    low_bin, high_bin = np.flatnonzero(candidate)[[0, -1]]
    limit = max(CHUNK, n // 8)
    if int((pos_hist + neg_hist)[low_bin : high_bin + 1].sum()) > limit:
        return None  # too concentrated for a cheap refinement: let the caller sort
    gathered = _gather(
        scores, truth, bin_lower_edge(low_bin, _N_BITS), _upper_edge(high_bin), limit
    )
    if gathered is None:
        return None  # ambiguous samples between the edges: too many to gather
    kept_scores, kept_truth = gathered
    bins = score_bins(kept_scores, _N_BITS)
    positive, negative = class_masks(kept_truth, pos_label, ambiguous_label)
    keep = candidate[bins] & (positive | negative)
    return (
        _resolve(kept_scores[keep], positive[keep], bins[keep], bounds, fdr, best)
        / n_pos
    )


def _upper_edge(b: int) -> float:
    """Return bin ``b + 1``'s lower edge, or infinity above the last finite bin."""
    if b + 1 >= _N_BINS:
        return np.inf
    edge = bin_lower_edge(b + 1, _N_BITS)
    return np.inf if np.isnan(edge) else edge


def _gather(
    scores: NDArray[Any], truth: NDArray[Any], low: float, high: float, limit: int
) -> tuple[NDArray[np.float32], NDArray[Any]] | None:
    """Float32 scores in ``[low, high)`` and their labels; None beyond ``limit``."""
    n = len(scores)
    size = min(CHUNK, n)
    values = np.empty(size, dtype=np.float32)
    inside = np.empty(size, dtype=bool)
    below = np.empty(size, dtype=bool)
    low32, high32 = np.float32(low), np.float32(high)
    kept_scores, kept_truth, total = [], [], 0
    for start in range(0, n, CHUNK):
        chunk = scores[start : start + CHUNK]
        m = len(chunk)
        if chunk.dtype != np.float32:  # float32 scores are compared in place
            chunk = as_float32(chunk, values[:m])
        np.greater_equal(chunk, low32, out=inside[:m])
        np.less(chunk, high32, out=below[:m])
        np.logical_and(inside[:m], below[:m], out=inside[:m])
        where = np.flatnonzero(inside[:m])
        if where.size:
            total += where.size
            if total > limit:
                return None
            kept_scores.append(chunk[where])
            kept_truth.append(truth[start + where])
    return np.concatenate(kept_scores), np.concatenate(kept_truth)


def _resolve(
    scores: NDArray[np.float32],
    positive: NDArray[np.bool_],
    bins: NDArray[np.int32],
    bounds: Any,
    fdr: float,
    best: int,
) -> int:
    """Return the best true-positive count of a threshold inside the gathered bins.

    Sorted by decreasing score, each bin's samples are one run; a threshold at
    a sample keeps everything above its bin plus its run up to it.
    """
    order = np.argsort(scores)[::-1]
    s, p, b = scores[order], positive[order], bins[order]
    first = np.r_[True, b[1:] != b[:-1]]
    run_start = np.maximum.accumulate(np.where(first, np.arange(len(s)), 0))
    tp_run, fp_run = np.cumsum(p), np.cumsum(~p)
    tp = bounds.tp_above[b] + tp_run - tp_run[run_start] + p[run_start]
    fp = bounds.fp_above[b] + fp_run - fp_run[run_start] + ~p[run_start]
    # A threshold keeps every tied score: evaluate at the end of tie runs.
    tie_end = np.r_[s[1:] != s[:-1], True]
    ok = tie_end & (tp > 0) & (fp / (tp + fp) <= fdr)
    return max(best, int(tp[ok].max())) if ok.any() else best
