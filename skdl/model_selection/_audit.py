"""Audit a splitter for leakage: shared groups and duplicated samples."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

import numpy as np
import scipy.sparse as sp
from numpy.typing import ArrayLike, NDArray
from sklearn.model_selection import check_cv
from sklearn.utils import check_consistent_length

from skdl.model_selection._folds import connected_groups
from skdl.model_selection._similarity import (
    _identity_links,
    _sequences,
    kmer_matrix,
    resolve_alphabet,
    sequence_identity_groups,
    similar_pairs,
)
from skdl.utils._groups import check_groups


@dataclass(frozen=True)
class FoldLeakage:
    """What one (train, test) split shares across its two sides.

    Parameters
    ----------
    fold : int
        Index of the split.
    n_train : int
        Training samples.
    n_test : int
        Test samples.
    shared_groups : list
        Groups with samples on both sides (at most 20 listed).
    n_shared_groups : int
        Number of such groups.
    n_test_duplicated_in_train : int
        Test samples whose exact copy (same row of ``X``, or same sequence) is in
        the training part.
    n_test_similar_in_train : int
        Test sequences with a near-duplicate (k-mer Jaccard similarity at or
        above the audit's threshold) in the training part; 0 when no
        ``sequences`` were audited.

    Examples
    --------
    >>> from skdl.model_selection import FoldLeakage
    >>> FoldLeakage(0, 8, 2, [], 0, 0, 0).clean
    True
    """

    fold: int
    n_train: int
    n_test: int
    shared_groups: list[Any] = field(default_factory=list)
    n_shared_groups: int = 0
    n_test_duplicated_in_train: int = 0
    n_test_similar_in_train: int = 0

    @property
    def clean(self) -> bool:
        """Whether nothing crosses this split."""
        return (
            self.n_shared_groups == 0
            and self.n_test_duplicated_in_train == 0
            and self.n_test_similar_in_train == 0
        )


@dataclass(frozen=True)
class LeakageReport:
    """Per-split leakage found by :func:`audit_leakage`.

    Parameters
    ----------
    folds : list of FoldLeakage
        One entry per split.

    Examples
    --------
    >>> from skdl.model_selection import FoldLeakage, LeakageReport
    >>> LeakageReport([FoldLeakage(0, 8, 2, ["p1"], 1, 0, 0)]).clean
    False
    """

    folds: list[FoldLeakage]

    @property
    def clean(self) -> bool:
        """Whether no split shares a group or a duplicated sample."""
        return all(f.clean for f in self.folds)

    def __str__(self) -> str:
        lines = [f"leakage audit: {'clean' if self.clean else 'LEAKS'}"]
        for f in self.folds:
            detail = (
                f"fold {f.fold}: {f.n_train} train / {f.n_test} test; "
                f"{f.n_shared_groups} shared group(s)"
            )
            if f.shared_groups:
                detail += f" {f.shared_groups[:5]!r}"
            detail += (
                f"; {f.n_test_duplicated_in_train} test sample(s) duplicated and "
                f"{f.n_test_similar_in_train} near-duplicated in train"
            )
            lines.append(detail)
        return "\n".join(lines)


def _sample_ids(X: Any) -> NDArray[np.intp]:
    """Integer id per sample; equal ids for identical rows or sequences.

    Sequences (1-D strings) are compared ignoring case, as the splitters do.
    """
    array = np.asarray(X)
    if array.ndim == 1 and array.dtype.kind in "OUS":
        return sequence_identity_groups(array)
    if array.ndim == 1:
        _, ids = np.unique(array, return_inverse=True)
    else:
        _, ids = np.unique(array.reshape(len(array), -1), axis=0, return_inverse=True)
    return np.asarray(ids).ravel()


def audit_leakage(
    cv: Any,
    X: ArrayLike,
    y: ArrayLike | None = None,
    groups: ArrayLike | None = None,
    *,
    audit_groups: ArrayLike | None = None,
    sequences: ArrayLike | None = None,
    threshold: float = 0.5,
    k: int = 12,
    alphabet: str = "auto",
) -> LeakageReport:
    """Report groups, duplicates and near-duplicates that a splitter puts on both sides.

    Run it on the exact ``cv``, ``X``, ``y`` and ``groups`` of an analysis before
    trusting its scores. It checks, for each split, the groups with samples in
    both the training and the test part, and the test samples with an identical
    copy (same feature row, or same sequence string) in the training part and,
    when ``sequences`` are given, the test sequences with a near-duplicate (k-mer
    Jaccard similarity at least ``threshold``, found exactly as in
    :class:`SimilarityGroupKFold`) in the training part.

    Parameters
    ----------
    cv : int, cross-validation generator or iterable
        The splitter, as given to ``cross_validate`` (``check_cv`` rules).
    X : array-like of shape (n_samples, ...)
        Features, or a 1-D array of sequences.
    y : array-like of shape (n_samples,), default=None
        Labels, passed to ``cv.split``.
    groups : array-like of shape (n_samples,), default=None
        Groups passed to ``cv.split`` and audited.
    audit_groups : array-like of shape (n_samples,), default=None
        Groups to audit when they differ from the ones the splitter uses, for
        example patients while the splitter was given batches (or nothing).
    sequences : array-like of str of shape (n_samples,), default=None
        DNA, RNA or protein sequences of the samples, to look for identical
        copies (ignoring case) and near-duplicates.
    threshold : float, default=0.5
        Jaccard similarity of k-mer sets (canonical k-mers for DNA) from which
        two sequences count as near-duplicates.
    k : int, default=12
        k-mer length.
    alphabet : {"auto", "dna", "rna", "protein"} or str, default="auto"
        Alphabet of ``sequences``, as in :class:`SimilarityGroupKFold`:
        ``"auto"`` reads it from the letters.

    Returns
    -------
    report : LeakageReport
        ``report.clean`` is True when nothing crosses; ``print(report)`` lists
        every split.

    Examples
    --------
    >>> import numpy as np
    >>> from sklearn.model_selection import GroupKFold, KFold
    >>> from skdl.model_selection import audit_leakage
    >>> X = np.arange(20).reshape(10, 2)
    >>> patients = np.repeat([0, 1, 2, 3, 4], 2)
    >>> audit_leakage(GroupKFold(5), X, groups=patients).clean
    True
    >>> report = audit_leakage(KFold(5, shuffle=True, random_state=0), X,
    ...                        audit_groups=patients)
    >>> report.clean
    False
    """
    audited = groups if audit_groups is None else audit_groups
    audited_array = None if audited is None else check_groups(audited, "audit_leakage")
    check_consistent_length(X, y, groups, audited_array)
    splitter = check_cv(cv, y, classifier=False)
    ids = _sample_ids(X)
    partners: sp.csr_matrix | None = None
    if sequences is not None:
        seqs = _sequences(sequences, "audit_leakage")
        check_consistent_length(X, seqs)
        # A copy of the sequence counts as a duplicate, whatever X holds.
        ids = connected_groups(len(ids), *_identity_links(seqs), ids)[0]
        kmers = kmer_matrix(seqs, k, resolve_alphabet(alphabet, seqs, "audit_leakage"))
        rows, cols = similar_pairs(kmers, threshold)
        n = len(seqs)
        partners = sp.coo_matrix(
            (np.ones(2 * len(rows)), (np.r_[rows, cols], np.r_[cols, rows])),
            shape=(n, n),
        ).tocsr()
    folds = []
    for i, (train, test) in enumerate(splitter.split(X, y, groups)):
        shared: list[Any] = []
        if audited_array is not None:
            shared = sorted(
                set(audited_array[train].tolist()) & set(audited_array[test].tolist()),
                key=str,
            )
        duplicated = int(np.isin(ids[test], ids[train]).sum())
        similar = 0
        if partners is not None:
            in_train = np.zeros(partners.shape[0])
            in_train[train] = 1
            similar = int(np.count_nonzero(partners[test] @ in_train))
        folds.append(
            FoldLeakage(
                i, len(train), len(test), shared[:20], len(shared), duplicated, similar
            )
        )
    return LeakageReport(folds)
