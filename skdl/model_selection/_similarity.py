"""Homology-aware splitting: similar sequences never on both sides of a split.

Similarity is the Jaccard index of the sets of k-mers of two sequences
(canonical k-mers for DNA, so a sequence and its reverse complement are
identical). All pairs above the threshold are found exactly: the k-mer sets are
rows of a sparse binary matrix ``A`` and ``A @ A.T``, computed in row blocks,
gives the exact k-mer intersection of every pair that shares at least one
k-mer; a pair sharing none has similarity 0. The cost grows with the sum over
k-mers of (number of sequences containing it) squared, which is small for
k around 12 on sequences of a few hundred letters, and large for low-complexity
or highly repetitive sequence (mask repeats first, or raise ``k``). k-mer ids
are compacted to the k-mers present before any matrix is built, so memory grows
with the data, not with ``len(alphabet) ** k``.

Identical sequences (ignoring case) are always one group, whatever ``k`` and the
alphabet: a sequence too short for a k-mer, or with no k-mer in the alphabet,
still never sits on both sides of a split with its copy.
"""

from __future__ import annotations

import warnings
from collections.abc import Iterator
from numbers import Integral, Real
from typing import Any

import numpy as np
import scipy.sparse as sp
from numpy.typing import ArrayLike, NDArray

from skdl.exceptions import SkdlWarning
from skdl.model_selection._folds import (
    GroupFolds,
    connected_groups,
    one_column,
    validate_splitter_params,
)
from skdl.utils._sklearn import Interval, StrOptions

_ALPHABETS = {"dna": "ACGT", "rna": "ACGU", "protein": "ACDEFGHIKLMNPQRSTVWY"}
_BLOCK = 2048


def resolve_alphabet(alphabet: str, sequences: Any, caller: str) -> str:
    """Return the alphabet name (or letters) to use for ``sequences``.

    ``"auto"`` reads the letters: DNA when every letter is in ``ACGTN``, RNA when
    every letter is in ``ACGUN``, protein otherwise (case is ignored). Names are
    case-insensitive (``"DNA"``, ``"Protein"``); any other string is the
    alphabet's letters. A :class:`~skdl.exceptions.SkdlWarning` is raised when
    most letters fall outside the alphabet, which breaks most k-mers.

    Parameters
    ----------
    alphabet : str
        ``"auto"``, ``"dna"``, ``"rna"``, ``"protein"`` or the letters themselves.
    sequences : array-like of str
        The sequences.
    caller : str
        Name used in messages.

    Returns
    -------
    alphabet : str
        ``"dna"``, ``"rna"``, ``"protein"``, or the custom letters in upper case.

    Examples
    --------
    >>> from skdl.model_selection._similarity import resolve_alphabet
    >>> resolve_alphabet("auto", ["ACGTN", "acgt"], "cv")
    'dna'
    >>> resolve_alphabet("auto", ["MKTAYIAK"], "cv"), resolve_alphabet("RNA", [], "cv")
    ('protein', 'rna')
    """
    name = alphabet.lower()
    text = "".join(sequences).upper()
    present = set(text)
    if name == "auto":
        if present <= set("ACGTN"):
            return "dna"
        if present <= set("ACGUN"):
            return "rna"
        return "protein"
    letters = _ALPHABETS.get(name, alphabet.upper())
    resolved = name if name in _ALPHABETS else letters
    if present:
        outside = sum(text.count(c) for c in present - set(letters))
        if outside > len(text) / 2:
            warnings.warn(
                f"{caller}: {outside} of {len(text)} letters are outside the "
                f"alphabet {alphabet!r} ({letters}), so most k-mers are broken "
                "and similar sequences go unnoticed; use alphabet='auto' or "
                "the sequences' own alphabet.",
                SkdlWarning,
                stacklevel=3,
            )
    return resolved


def _sequences(X: Any, caller: str, allow_empty: bool = False) -> NDArray[np.object_]:
    array = one_column(X, caller, "sequences (or one column of them)")
    for i, seq in enumerate(array):
        if not isinstance(seq, str):
            raise TypeError(f"{caller}: sequence {i} is {type(seq).__name__}, not str.")
        if not seq and not allow_empty:
            raise ValueError(f"{caller}: sequence {i} is empty.")
    return array


def kmer_matrix(
    sequences: Any, k: int, alphabet: str = "dna", canonical: bool = True
) -> sp.csr_matrix:
    """Sparse binary matrix of the k-mers present in each sequence.

    Letters outside the alphabet (``N``, gaps) break k-mers; case is ignored.
    RNA is read as DNA (``U`` as ``T``). Columns are the k-mers present in the
    data only, so memory grows with the data, not with ``len(alphabet) ** k``.

    Parameters
    ----------
    sequences : array-like of str
        Sequences.
    k : int
        k-mer length; ``len(alphabet) ** k`` must stay below ``2**62``.
    alphabet : str, default="dna"
        ``"dna"``, ``"rna"``, ``"protein"`` or the letters themselves.
    canonical : bool, default=True
        DNA and RNA only: count a k-mer and its reverse complement as one.

    Returns
    -------
    kmers : scipy.sparse.csr_matrix of shape (n_sequences, n_distinct_kmers)
        1 where the sequence contains the k-mer.

    Examples
    --------
    >>> from skdl.model_selection._similarity import kmer_matrix
    >>> kmer_matrix(["ACGT", "ACGN"], k=2).getnnz(axis=1).tolist()  # AC=GT, CG
    [2, 2]
    >>> kmer_matrix(["MKTAYIAKQR"] * 2, k=12, alphabet="protein").shape
    (2, 0)
    """
    if alphabet.lower() == "rna":
        sequences = [s.upper().replace("U", "T") for s in sequences]
        alphabet = "dna"
    letters = _ALPHABETS.get(alphabet.lower(), alphabet).upper()
    base = len(letters)
    if base**k >= 2**62:
        raise ValueError(
            f"k={k} with an alphabet of {base} letters does not fit k-mer ids in "
            f"64 bits; use k <= {_max_k(base)}."
        )
    lookup = np.full(256, 255, dtype=np.uint8)
    for code, letter in enumerate(letters):
        lookup[ord(letter)] = code
        lookup[ord(letter.lower())] = code
    lengths = np.fromiter((len(s) for s in sequences), dtype=np.int64)
    # One buffer with a separator after each sequence: windows never span two.
    text = "\x00".join(sequences) + "\x00"
    codes = lookup[np.frombuffer(text.encode("latin-1", "replace"), dtype=np.uint8)]
    n_windows = len(codes) - k + 1
    invalid = np.r_[0, np.cumsum(codes == 255)]
    valid = (invalid[k : k + n_windows] - invalid[:n_windows]) == 0
    digits = np.where(codes == 255, 0, codes).astype(np.int64)
    forward = np.zeros(n_windows, dtype=np.int64)
    for i in range(k):
        forward = forward * base + digits[i : i + n_windows]
    kmers = forward
    if canonical and letters == _ALPHABETS["dna"]:
        reverse = np.zeros(n_windows, dtype=np.int64)
        for i in range(k - 1, -1, -1):
            reverse = reverse * base + (3 - digits[i : i + n_windows])
        kmers = np.minimum(forward, reverse)
    row = np.repeat(np.arange(len(lengths)), lengths + 1)[:n_windows]
    # Compact ids: one column per k-mer present (memory follows the data).
    present, column = np.unique(kmers[valid], return_inverse=True)
    matrix = sp.csr_matrix(
        (np.ones(int(valid.sum()), dtype=np.int32), (row[valid], column.ravel())),
        shape=(len(lengths), len(present)),
    )
    matrix.sum_duplicates()
    matrix.data[:] = 1
    return matrix


def _max_k(base: int) -> int:
    """Largest k whose ``base ** k`` k-mer ids fit below ``2**62``."""
    k = 1
    while base ** (k + 1) < 2**62:
        k += 1
    return k


def sequence_identity_groups(
    sequences: ArrayLike, groups: ArrayLike | None = None
) -> NDArray[np.intp]:
    """Group labels in which identical sequences (ignoring case) are one group.

    Use it as ``groups`` of any group-aware splitter, so that no copy of a
    sequence is ever on both sides of a split. User ``groups`` (chromosomes,
    families) are merged in: two groups that share a sequence become one.

    Parameters
    ----------
    sequences : array-like of str of shape (n_samples,)
        Sequences (DNA, RNA or protein).
    groups : array-like of shape (n_samples,), default=None
        Groups to keep together as well.

    Returns
    -------
    labels : ndarray of int of shape (n_samples,)
        Group of each sample, numbered from 0.

    Examples
    --------
    >>> from sklearn.model_selection import GroupKFold
    >>> from skdl.model_selection import sequence_identity_groups
    >>> seqs = ["ACGT", "acgt", "GGCC", "TTAA"]
    >>> sequence_identity_groups(seqs).tolist()
    [0, 0, 1, 2]
    >>> sequence_identity_groups(seqs, groups=["chr1", "chr2", "chr2", "chr3"]).tolist()
    [0, 0, 0, 1]
    >>> folds = GroupKFold(2).split(seqs, groups=sequence_identity_groups(seqs))
    """
    array = _sequences(sequences, "sequence_identity_groups", allow_empty=True)
    n = len(array)
    rows, cols = _identity_links(array)
    labels, _ = connected_groups(n, rows, cols, groups, "sequence_identity_groups")
    return labels


def _identity_links(
    sequences: NDArray[np.object_],
) -> tuple[NDArray[np.intp], NDArray[np.intp]]:
    """Links from each sequence to the first identical one (case ignored)."""
    upper = np.array([s.upper() for s in sequences], dtype=object)
    _, first, inverse = np.unique(upper, return_index=True, return_inverse=True)
    return np.arange(len(upper)), first[inverse.ravel()]


def similar_pairs(
    kmers: sp.csr_matrix, threshold: float
) -> tuple[NDArray[np.intp], NDArray[np.intp]]:
    """All pairs ``i < j`` whose k-mer Jaccard similarity is at least ``threshold``.

    Parameters
    ----------
    kmers : scipy.sparse.csr_matrix of shape (n_sequences, n_kmers)
        Binary k-mer presence, from :func:`kmer_matrix`.
    threshold : float
        Similarity threshold, in (0, 1].

    Returns
    -------
    rows, cols : ndarray of int
        The pairs, exactly (no sampling, no hashing).

    Examples
    --------
    >>> from skdl.model_selection._similarity import kmer_matrix, similar_pairs
    >>> A = kmer_matrix(["ACGTACGTAA", "ACGTACGTAT", "GGGCCCAAAT"], k=3)
    >>> [p.tolist() for p in similar_pairs(A, 0.5)]
    [[0], [1]]
    """
    sizes = np.asarray(kmers.sum(axis=1)).ravel()
    transposed = kmers.T.tocsr()
    rows, cols = [], []
    for start in range(0, kmers.shape[0], _BLOCK):
        block = (kmers[start : start + _BLOCK] @ transposed).tocoo()
        i = block.row + start
        j = block.col
        upper = j > i
        i, j, shared = i[upper], j[upper], block.data[upper].astype(np.float64)
        jaccard = shared / (sizes[i] + sizes[j] - shared)
        hit = jaccard >= threshold
        rows.append(i[hit])
        cols.append(j[hit])
    return np.concatenate(rows), np.concatenate(cols)


class SimilarityGroupKFold(GroupFolds):
    """K folds in which no pair of similar sequences is split apart.

    Sequences whose k-mer Jaccard similarity reaches ``threshold`` are linked,
    identical sequences (ignoring case) are always linked, linked sequences
    form clusters (connected components), and whole clusters are assigned to
    folds, balanced by positives or samples. Every pair of sequences at or
    above the threshold is found exactly. User ``groups`` (for example gene
    families) are merged with the clusters. A sequence shorter than ``k``, or
    without a k-mer in the alphabet, can only be linked to its identical
    copies; a :class:`~skdl.exceptions.SkdlWarning` gives their number.

    For DNA, similarity uses canonical k-mers, so a sequence and its reverse
    complement are identical. As a guide, the k-mer Jaccard similarity ``J`` of
    two sequences relates to their identity as in Mash:
    ``identity ~ 1 + ln(2 J / (1 + J)) / k``; with ``k=12``, ``J=0.1``
    corresponds to about 86% identity and ``J=0.5`` to about 97%.

    Parameters
    ----------
    n_splits : int, default=5
        Number of folds.
    threshold : float, default=0.1
        Jaccard similarity at or above which two sequences must share a fold,
        in (0, 1].
    k : int, default=12
        k-mer length.
    alphabet : {"auto", "dna", "rna", "protein"} or str, default="auto"
        Sequence alphabet (names in any case, or the letters themselves);
        other letters break k-mers. ``"auto"`` reads it from the sequences:
        DNA when every letter is in ``ACGTN``, RNA when every letter is in
        ``ACGUN``, protein otherwise.
    balance : {"positives", "samples"}, default="samples"
        What to balance across folds; ``"positives"`` needs ``y``.
    pos_label : int, float, bool or str, default=1
        Label counted as positive.

    Attributes
    ----------
    n_clusters_ : int
        Number of clusters found by the last call to ``split``.

    Examples
    --------
    >>> import numpy as np
    >>> from skdl.model_selection import SimilarityGroupKFold
    >>> rng = np.random.RandomState(0)
    >>> family = "".join(rng.choice(list("ACGT"), 60))
    >>> seqs = [family, family[:-1] + "A"] + [
    ...     "".join(rng.choice(list("ACGT"), 60)) for _ in range(4)]
    >>> cv = SimilarityGroupKFold(n_splits=2, threshold=0.5, k=8)
    >>> folds = [test.tolist() for _, test in cv.split(seqs)]
    >>> any({0, 1} <= set(f) for f in folds), cv.n_clusters_
    (True, 5)
    """

    _parameter_constraints: dict[str, list[Any]] = {
        "n_splits": [Interval(Integral, 2, None, closed="left")],
        "threshold": [Interval(Real, 0, 1, closed="right")],
        "k": [Interval(Integral, 1, None, closed="left")],
        "alphabet": [str],
        "balance": [StrOptions({"positives", "samples"})],
        "pos_label": [Real, str, "boolean"],
    }

    def __init__(
        self,
        n_splits: int = 5,
        *,
        threshold: float = 0.1,
        k: int = 12,
        alphabet: str = "auto",
        balance: str = "samples",
        pos_label: Any = 1,
    ) -> None:
        self.n_splits = n_splits
        self.threshold = threshold
        self.k = k
        self.alphabet = alphabet
        self.balance = balance
        self.pos_label = pos_label

    def clusters(self, X: Any, groups: ArrayLike | None = None) -> NDArray[np.intp]:
        """Cluster label of each sequence (similar sequences and groups merged).

        Parameters
        ----------
        X : array-like of str of shape (n_samples,)
            Sequences.
        groups : array-like of shape (n_samples,), default=None
            Extra groups to keep together.

        Returns
        -------
        labels : ndarray of int of shape (n_samples,)
            Cluster of each sequence, numbered from 0.
        """
        validate_splitter_params(self)
        name = type(self).__name__
        sequences = _sequences(X, name)
        alphabet = resolve_alphabet(self.alphabet, sequences, name)
        kmers = kmer_matrix(sequences, self.k, alphabet)
        rows, cols = similar_pairs(kmers, self.threshold)
        same_rows, same_cols = _identity_links(sequences)
        no_kmer = int(np.count_nonzero(kmers.getnnz(axis=1) == 0))
        if no_kmer:
            warnings.warn(
                f"{name}: {no_kmer} sequence(s) are shorter than k={self.k} or "
                f"hold no {self.k}-mer of the {alphabet} alphabet; they are "
                "grouped with their identical copies only. Lower k to compare "
                "them by similarity.",
                SkdlWarning,
                stacklevel=2,
            )
        labels, n_clusters = connected_groups(
            len(sequences),
            np.r_[rows, same_rows],
            np.r_[cols, same_cols],
            groups,
            name,
        )
        self.n_clusters_ = n_clusters
        return labels

    def split(
        self, X: Any, y: ArrayLike | None = None, groups: ArrayLike | None = None
    ) -> Iterator[tuple[NDArray[np.intp], NDArray[np.intp]]]:
        """Yield (train, test) index arrays, one pair per fold.

        Parameters
        ----------
        X : array-like of str of shape (n_samples,)
            Sequences (a 1-D array, a list, or one column of a 2-D array).
        y : array-like of shape (n_samples,), default=None
            Labels; needed for ``balance="positives"``.
        groups : array-like of shape (n_samples,), default=None
            Extra groups kept together with the similarity clusters.

        Yields
        ------
        train : ndarray of int
            Training samples.
        test : ndarray of int
            Test samples; no test sequence is similar to a training one.
        """
        labels = self.clusters(X, groups)
        yield from self._split_groups(labels, self.n_clusters_, y)
