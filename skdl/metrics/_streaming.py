"""Recall at FDR over score vectors too large for memory, chunk by chunk."""

from __future__ import annotations

from numbers import Integral, Real
from typing import Any

import numpy as np
from numpy.typing import ArrayLike, NDArray
from sklearn.utils import check_consistent_length, column_or_1d

from skdl.metrics._keys import (
    check_scores,
    class_histograms,
    edge_counts,
    histogram_bounds,
)
from skdl.utils._sklearn import Interval, validate_parameter_constraints


class StreamingFDR:
    """Recall at FDR for score vectors too large for memory, one chunk at a time.

    Each :meth:`update` adds a chunk's labels and scores (for example one
    chromosome's predictions) to two histograms, one for positives and one for
    negatives, over the ``2**n_bits`` leading bits of each float32 score's
    order-preserving bit pattern. Memory is ``2 * 8 * 2**n_bits`` bytes (16 MiB
    for the default), as much again while an update counts, and the chunk the
    caller holds, whatever the total length.

    Exactness: a histogram bin edge is a real threshold, so the recall reported
    is always achievable. It is the exact :func:`recall_at_fdr_score` whenever
    each bin holds a single distinct score, which the default ``n_bits=20``
    guarantees for scores quantised to float16 or coarser (stored
    probabilities, rounded predictions). Otherwise the true value lies in
    ``recall_at_fdr_bounds(fdr)``, whose width the user can read; raising
    ``n_bits`` (up to 24) narrows it.

    Parameters
    ----------
    n_bits : int, default=20
        Number of leading bits of the float32 bit pattern used as bins, in
        [8, 24].
    pos_label : int, float, bool or str, default=1
        Label of the positive class.
    ambiguous_label : int, float, str or None, default=-1
        Label of ambiguous samples, left out.

    Attributes
    ----------
    n_positives_ : int
        Positives added so far.
    n_negatives_ : int
        Negatives added so far.

    See Also
    --------
    recall_at_fdr_score : The exact in-memory metric.

    Examples
    --------
    >>> import numpy as np
    >>> from skdl.metrics import StreamingFDR, recall_at_fdr_score
    >>> rng = np.random.RandomState(0)
    >>> y = (rng.rand(10_000) < 0.05).astype(int)
    >>> scores = (rng.rand(10_000) + y).astype(np.float16)  # quantised scores
    >>> stream = StreamingFDR()
    >>> for chunk in np.array_split(np.arange(10_000), 4):
    ...     stream = stream.update(y[chunk], scores[chunk])
    >>> stream.recall_at_fdr(0.1) == recall_at_fdr_score(y, scores, fdr=0.1)
    True
    """

    _parameter_constraints: dict[str, list[Any]] = {
        "n_bits": [Interval(Integral, 8, 24, closed="both")],
    }

    def __init__(
        self, *, n_bits: int = 20, pos_label: Any = 1, ambiguous_label: Any = -1
    ) -> None:
        self.n_bits = n_bits
        self.pos_label = pos_label
        self.ambiguous_label = ambiguous_label

    def update(self, y_true: ArrayLike, y_score: ArrayLike) -> StreamingFDR:
        """Add one chunk.

        Parameters
        ----------
        y_true : array-like of shape (n_chunk,)
            True labels of the chunk.
        y_score : array-like of shape (n_chunk,)
            Scores of the chunk; they are compared as float32.

        Returns
        -------
        self : StreamingFDR
            The accumulator, for chaining.
        """
        validate_parameter_constraints(
            self._parameter_constraints,
            {"n_bits": self.n_bits},
            caller_name=type(self).__name__,
        )
        truth = np.asarray(column_or_1d(y_true))
        scores = np.asarray(column_or_1d(y_score))
        check_consistent_length(truth, scores)
        if scores.dtype.kind not in "fiub":
            check_scores(scores, "StreamingFDR.update")  # raises TypeError
        n_bins = 1 << self.n_bits
        if not hasattr(self, "_positive_counts"):
            self._positive_counts = np.zeros(n_bins, dtype=np.int64)
            self._negative_counts = np.zeros(n_bins, dtype=np.int64)
            self.n_positives_ = 0
            self.n_negatives_ = 0
        elif len(self._positive_counts) != n_bins:
            raise ValueError(
                "StreamingFDR: n_bits changed after the first update; start a "
                "new accumulator."
            )
        # NaN scores or labels raise before the accumulator changes.
        positives, negatives = class_histograms(
            truth,
            scores,
            self.n_bits,
            self.pos_label,
            self.ambiguous_label,
            "StreamingFDR.update",
        )
        self._positive_counts += positives
        self._negative_counts += negatives
        self.n_positives_ += int(positives.sum())
        self.n_negatives_ += int(negatives.sum())
        return self

    def _check_ready(self, caller: str) -> None:
        if not hasattr(self, "_positive_counts"):
            raise ValueError(f"StreamingFDR.{caller}: call update with data first.")
        if self.n_positives_ == 0 or self.n_negatives_ == 0:
            raise ValueError(
                f"StreamingFDR.{caller}: both classes are needed; got "
                f"{self.n_positives_} positives and {self.n_negatives_} negatives."
            )

    def recall_at_fdr_bounds(self, fdr: float) -> tuple[float, float]:
        """Achievable recall at ``fdr`` and an upper bound on the exact value.

        Parameters
        ----------
        fdr : float
            Largest acceptable false discovery rate, in (0, 1).

        Returns
        -------
        low : float
            Recall achieved by the best bin-edge threshold (what
            :meth:`recall_at_fdr` returns).
        high : float
            Upper bound on :func:`recall_at_fdr_score` of all the data, reached
            if every positive in a bin outranked every negative in it.
        """
        validate_parameter_constraints(
            {"fdr": [Interval(Real, 0, 1, closed="neither")]},
            {"fdr": fdr},
            caller_name="StreamingFDR.recall_at_fdr_bounds",
        )
        self._check_ready("recall_at_fdr_bounds")
        bounds = histogram_bounds(self._positive_counts, self._negative_counts, fdr)
        n_pos = self.n_positives_
        low = bounds.best_edge_tp / n_pos
        optimistic = bounds.tp_optimistic[bounds.optimistic]
        high = optimistic.max() / n_pos if optimistic.size else 0.0
        return float(low), float(max(low, high))

    def recall_at_fdr(self, fdr: float) -> float:
        """Recall at ``fdr``: exact for quantised scores, achievable always.

        Parameters
        ----------
        fdr : float
            Largest acceptable false discovery rate, in (0, 1).

        Returns
        -------
        recall : float
            The lower value of :meth:`recall_at_fdr_bounds`.
        """
        return self.recall_at_fdr_bounds(fdr)[0]

    def fdr_recall_curve(self) -> tuple[NDArray[np.float64], NDArray[np.float64]]:
        """FDR and recall at every non-empty bin edge, by decreasing threshold.

        Returns
        -------
        fdr : ndarray
            False discovery rate at each bin-edge threshold.
        recall : ndarray
            Recall at each bin-edge threshold (non-decreasing).
        """
        self._check_ready("fdr_recall_curve")
        tp, fp = edge_counts(self._positive_counts, self._negative_counts)
        occupied = (self._positive_counts + self._negative_counts) > 0
        tp, fp = tp[occupied][::-1], fp[occupied][::-1]
        return fp / (tp + fp), tp / self.n_positives_
