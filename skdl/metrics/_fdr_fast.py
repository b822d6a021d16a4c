"""Exact recall at FDR in two chunked passes, without sorting the scores.

Pass 1 builds histograms of the positives' and negatives' scores over the
leading 16 bits of their order key (:func:`score_bins`). A bin edge is a real
threshold, so the counts of samples at or above each edge are exact, and the
best feasible edge gives an achievable recall. A threshold inside bin ``b``
keeps every sample of the bins above it and some of bin ``b``; the most it can
reach is all of bin ``b``'s positives and none of its negatives. Pass 2 gathers
the samples of the few bins where that optimistic count beats the best edge and
could meet the FDR, and resolves them exactly by sorting only them.

Everything is processed in chunks of :data:`CHUNK` samples, so the extra memory
is a few chunk-sized temporaries plus the gathered samples, and nothing is
copied whole (not even to drop ambiguous samples).
"""

from __future__ import annotations

from typing import Any

import numpy as np
from numpy.typing import NDArray

from skdl.metrics._keys import (
    CHUNK,
    check_scores,
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
    pos_hist = np.zeros(_N_BINS, dtype=np.int64)
    neg_hist = np.zeros(_N_BINS, dtype=np.int64)
    check_nan = scores.dtype.kind == "f"
    for start in range(0, n, CHUNK):
        chunk = scores[start : start + CHUNK]
        if check_nan and not np.isfinite(chunk).all():
            check_scores(chunk, caller)
        bins = score_bins(chunk, _N_BITS)
        positive, negative = class_masks(
            truth[start : start + CHUNK], pos_label, ambiguous_label
        )
        pos_hist += np.bincount(bins[positive], minlength=_N_BINS)
        neg_hist += np.bincount(bins[negative], minlength=_N_BINS)

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
    tp_above, fp_above = bounds.tp_above, bounds.fp_above
    candidate = (pos_hist > 0) & bounds.optimistic & (bounds.tp_optimistic > best)
    if not candidate.any():
        return best / n_pos
    gathered = int((pos_hist + neg_hist)[candidate].sum())
    if gathered > max(CHUNK, n // 8):
        return None  # too concentrated for a cheap refinement: let the caller sort

    kept_scores, kept_positive, kept_bins = [], [], []
    for start in range(0, n, CHUNK):
        chunk = scores[start : start + CHUNK]
        bins = score_bins(chunk, _N_BITS)
        positive, negative = class_masks(
            truth[start : start + CHUNK], pos_label, ambiguous_label
        )
        keep = candidate[bins] & (positive | negative)
        if keep.any():
            kept_scores.append(chunk[keep])
            kept_positive.append(positive[keep])
            kept_bins.append(bins[keep])
    all_scores = np.concatenate(kept_scores)
    all_positive = np.concatenate(kept_positive)
    all_bins = np.concatenate(kept_bins)
    for b in np.flatnonzero(candidate):
        in_bin = all_bins == b
        order = np.argsort(all_scores[in_bin], kind="stable")[::-1]
        s = all_scores[in_bin][order]
        p = all_positive[in_bin][order]
        tp = tp_above[b] + np.cumsum(p)
        fp = fp_above[b] + np.cumsum(~p)
        # A threshold keeps every tied score: evaluate at the end of tie runs.
        run_end = np.r_[s[1:] != s[:-1], True]
        ok = run_end & (tp > 0) & (fp / (tp + fp) <= fdr)
        if ok.any():
            best = max(best, int(tp[ok].max()))
    return best / n_pos
