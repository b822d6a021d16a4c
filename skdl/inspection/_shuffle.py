"""Dinucleotide shuffles of one-hot sequences, references for DeepLIFT/SHAP.

The shuffle is the exact and uniform one of Altschul & Erickson (1985), drawn
as a random Eulerian path (Kandel et al. 1996): the sequence is a path through
the multigraph whose vertices are the symbols and whose edges are its adjacent
pairs, and the sequences with its first symbol and its adjacent-pair counts are
exactly the paths from that symbol that use every edge once (they all end at
its last symbol). A uniform path is drawn in two steps. First, for every symbol
but the last one of the sequence, draw the edge along which the path leaves it
for the last time; these "last exits" form a spanning arborescence directed
towards the last symbol, drawn uniformly among the arborescences made of edges
of the multigraph with Wilson's loop-erased random walk. Second, put the other
exits of every symbol in a uniformly random order before its last exit, and
walk. The BEST theorem makes this a bijection between (arborescence, orders)
and paths whose edges are labelled, and every distinct sequence comes from the
same number of labelled paths (the product of the factorials of the pair
counts), so the sequences are uniform too.

Everything runs in lockstep over all (sequence, shuffle) pairs of a block, so
the Python loops are over positions and symbols, never over sequences.
"""

from __future__ import annotations

from numbers import Integral
from typing import Any

import numpy as np
from numpy.typing import ArrayLike, NDArray
from sklearn.utils import check_array, check_random_state

from skdl.utils._sklearn import Interval, validate_params

#: Walks (sequence-shuffle pairs) times length handled at once: bounds the
#: scratch memory of a block (about 40 bytes a cell) whatever the input size.
_BLOCK_CELLS = 2**22


def _renumber_rows(
    key: NDArray[Any],
) -> tuple[NDArray[np.intp], NDArray[np.intp], NDArray[np.bool_]]:
    """Give the distinct keys of each row the numbers ``0, 1, ...``, in order.

    Returns the numbers, the argsort of each row and, along the sorted rows,
    where a new key starts (``(n_rows, length - 1)``).
    """
    rows = np.arange(key.shape[0])[:, None]
    order = np.argsort(key, axis=1)
    sorted_key = key[rows, order]
    new = sorted_key[:, 1:] != sorted_key[:, :-1]
    ranks = np.zeros(key.shape, dtype=np.intp)
    np.cumsum(new, axis=1, out=ranks[:, 1:])
    numbers = np.empty_like(ranks)
    np.put_along_axis(numbers, order, ranks, axis=1)
    return numbers, order, new


def _symbols(X: NDArray[Any]) -> NDArray[np.intp]:
    """Give the distinct columns of each sequence the numbers ``0, 1, ...``.

    Columns are compared by their bytes (after turning -0.0 into 0.0), read as
    64-bit words. One word is its own key; longer columns are hashed to one
    word, and the hash is trusted only once equal hashes are checked to be
    equal columns. Returns the ``(n_samples, length)`` symbols.
    """
    n_samples, n_letters, length = X.shape
    columns = X.transpose(0, 2, 1)
    if X.dtype.kind in "fc":
        columns = columns + 0.0  # -0.0 + 0.0 is 0.0: equal values, equal bytes
    raw = np.ascontiguousarray(columns).reshape(n_samples * length, -1).view(np.uint8)
    n_words = -(-raw.shape[1] // 8)
    padded = np.zeros((raw.shape[0], 8 * n_words), dtype=np.uint8)
    padded[:, : raw.shape[1]] = raw
    words = padded.view(np.uint64).reshape(n_samples, length, n_words)
    if n_words == 1:
        return _renumber_rows(words[:, :, 0])[0]
    key = np.zeros((n_samples, length), dtype=np.uint64)
    for k in range(n_words):
        key = (key ^ words[:, :, k]) * np.uint64(0x9E3779B97F4A7C15)
        key ^= key >> np.uint64(29)
    symbols, order, new = _renumber_rows(key)
    starts = np.zeros((n_samples, length), dtype=np.intp)
    starts[:, 1:] = np.where(new, np.arange(1, length), 0)
    rows = np.arange(n_samples)[:, None]
    first = order[rows, np.maximum.accumulate(starts, axis=1)]
    if not (words[rows, order] == words[rows, first]).all():
        return _symbols_exact(X)  # a hash collision: about 2**-64 per pair
    return symbols


def _symbols_exact(X: NDArray[Any]) -> NDArray[np.intp]:
    """:func:`_symbols` through :func:`numpy.unique`, without hashing (slower)."""
    n_samples, n_letters, length = X.shape
    columns = X.transpose(0, 2, 1).reshape(-1, n_letters)
    _, ids = np.unique(columns, axis=0, return_inverse=True)
    return _renumber_rows(ids.reshape(n_samples, length))[0]


def _last_exits(
    symbols: NDArray[np.intp],
    edges: NDArray[np.intp],
    offset: NDArray[np.intp],
    degree: NDArray[np.intp],
    walk_seq: NDArray[np.intp],
    rng: np.random.RandomState,
) -> NDArray[np.intp]:
    """Draw each walk's last-exit edge of every symbol with Wilson's algorithm.

    Edge ``j`` is the pair at positions ``(j, j + 1)`` of the sequence;
    ``edges[i, offset[i, u]:offset[i, u] + degree[i, u]]`` are the edges that
    leave symbol ``u`` in sequence ``i``. The random walk leaves a symbol by
    one of its edges chosen uniformly, so the loop-erased walks build an
    arborescence towards the root with probability proportional to the product
    of the pair counts of its vertex pairs, and the edge recorded for each pair
    is uniform among its copies: the arborescence is uniform over edges.
    Returns ``(n_walks, n_symbols)`` edge indices, -1 for the root (the last
    symbol, whose exits are all free) and for symbols a sequence lacks.
    """
    n_walks = walk_seq.size
    rows = np.arange(n_walks)
    in_tree = degree[walk_seq] == 0
    in_tree[rows, symbols[walk_seq, -1]] = True
    last_exit = np.full(in_tree.shape, -1, dtype=np.intp)
    for start in range(in_tree.shape[1]):
        walking = np.flatnonzero(~in_tree[:, start])
        current = np.full(walking.size, start, dtype=np.intp)
        while walking.size:  # wander until the tree is hit
            seq = walk_seq[walking]
            draw = rng.random_sample(walking.size) * degree[seq, current]
            edge = edges[seq, offset[seq, current] + draw.astype(np.intp)]
            last_exit[walking, current] = edge
            current = symbols[seq, edge + 1]
            keep = ~in_tree[walking, current]
            walking, current = walking[keep], current[keep]
        walking = np.flatnonzero(~in_tree[:, start])
        current = np.full(walking.size, start, dtype=np.intp)
        while walking.size:  # add the loop-erased path to the tree
            in_tree[walking, current] = True
            edge = last_exit[walking, current]
            current = symbols[walk_seq[walking], edge + 1]
            keep = ~in_tree[walking, current]
            walking, current = walking[keep], current[keep]
    return last_exit


def _shuffle_block(
    symbols: NDArray[np.intp], n_shuffles: int, rng: np.random.RandomState
) -> NDArray[np.intp]:
    """Column indices ``(n_sequences * n_shuffles, length)`` of the shuffles."""
    n_sequences, length = symbols.shape
    n_symbols = int(symbols.max()) + 1
    sources = symbols[:, :-1]
    degree = np.zeros((n_sequences, n_symbols), dtype=np.intp)
    np.add.at(degree, (np.arange(n_sequences)[:, None], sources), 1)
    offset = np.cumsum(degree, axis=1) - degree
    edges = np.argsort(sources, axis=1, kind="stable")

    walk_seq = np.repeat(np.arange(n_sequences), n_shuffles)
    n_walks = walk_seq.size
    rows = np.arange(n_walks)
    last_exit = _last_exits(symbols, edges, offset, degree, walk_seq, rng)

    # Order every symbol's exits: the others at random, then the last exit.
    # Keys sort by symbol first, so symbol u's exits stay in the block
    # offset[u]:offset[u] + degree[u], as in `edges`.
    keys = sources[walk_seq] + 0.5 * rng.random_sample((n_walks, length - 1))
    walk, symbol = np.nonzero(last_exit >= 0)
    keys[walk, last_exit[walk, symbol]] = symbol + 0.75
    exits = np.argsort(keys, axis=1)

    used = np.zeros((n_walks, n_symbols), dtype=np.intp)
    path = np.zeros((n_walks, length), dtype=np.intp)
    position = np.zeros(n_walks, dtype=np.intp)
    for step in range(1, length):
        symbol = symbols[walk_seq, position]
        k = used[rows, symbol]
        used[rows, symbol] = k + 1
        position = exits[rows, offset[walk_seq, symbol] + k] + 1
        path[:, step] = position
    return path


@validate_params(
    {
        "X": ["array-like"],
        "n_shuffles": [Interval(Integral, 1, None, closed="left")],
        "random_state": ["random_state"],
    },
    prefer_skip_nested_validation=True,
)
def dinucleotide_shuffle(
    X: ArrayLike, *, n_shuffles: int = 1, random_state: Any = None
) -> NDArray[Any]:
    """Shuffle one-hot sequences, keeping their dinucleotide counts exactly.

    Each shuffle is drawn uniformly among the sequences that start with the
    same letter as the original and have exactly its adjacent-pair
    (dinucleotide) counts, which fixes the last letter too (Altschul &
    Erickson 1985). The
    draw is a random Eulerian path with a random arborescence of last exits
    (Kandel et al. 1996), the method of ``fasta-shuffle-letters -kmer 2``
    (MEME suite). DeepLIFT's reference generator and tangermeme's
    ``dinucleotide_shuffle`` instead keep each letter's last exit from the
    original sequence, which keeps the counts but is not uniform.

    The shuffles are the usual references for DeepLIFT/SHAP attributions of
    DNA models (``skdl.inspection.attribute(method="deeplift_shap")``): they
    keep a sequence's dinucleotide composition (GC content, CpG frequency) but
    destroy its motifs, so an attribution measures what the motifs add.

    Every distinct column is a symbol of its own, so columns that are not
    one-hot are shuffled with the same guarantee: an ambiguity code (``N`` is
    0.25 in every row) keeps its neighbours' counts, and the all-zero padding
    that :class:`~skdl.preprocessing.SequenceOneHotEncoder` adds at the end
    stays one run at the end (only padding follows padding, so the path can
    enter the padding only once, at the end).

    Parameters
    ----------
    X : array-like of shape (n_samples, n_letters, length)
        One-hot encoded sequences, channels first, as
        :class:`~skdl.preprocessing.SequenceOneHotEncoder` produces them. Any
        alphabet works (DNA, RNA, protein). Wrap a single sequence ``x`` of
        shape ``(n_letters, length)`` as ``x[None]``.
    n_shuffles : int, default=1
        Number of shuffles of each sequence.
    random_state : int, RandomState instance or None, default=None
        Seed of the shuffles. Pass an int for the same shuffles on every call
        with the same ``X``.

    Returns
    -------
    X_shuffled : ndarray of shape (n_samples, n_shuffles, n_letters, length)
        The shuffles, made of the columns of ``X`` and of its dtype.
        ``X_shuffled[i, k]`` is the ``k``-th shuffle of ``X[i]``. Sequences
        that admit a single arrangement (length 2 or less, a single letter
        repeated, ``"ACGT"``) come back unchanged.

    References
    ----------
    .. [1] S. F. Altschul and B. W. Erickson, "Significance of nucleotide
       sequence alignments: a method for random sequence permutation that
       preserves dinucleotide and codon usage", *Molecular Biology and
       Evolution* 2(6):526-538 (1985).
    .. [2] D. Kandel, Y. Matias, R. Unger and P. Winkler, "Shuffling
       biological sequences", *Discrete Applied Mathematics* 71:171-185
       (1996).
    .. [3] A. Shrikumar, P. Greenside and A. Kundaje, "Learning important
       features through propagating activation differences", *ICML* (2017).

    Examples
    --------
    >>> from skdl.inspection import dinucleotide_shuffle
    >>> from skdl.preprocessing import SequenceOneHotEncoder
    >>> X = SequenceOneHotEncoder().fit_transform(["ACGTTGCAAC"])
    >>> shuffles = dinucleotide_shuffle(X, n_shuffles=3, random_state=0)
    >>> shuffles.shape, shuffles.dtype
    ((1, 3, 4, 10), dtype('float32'))
    >>> def pair_counts(x):  # counts[a, b]: how often letter a precedes b
    ...     return x[:, :-1] @ x[:, 1:].T
    >>> all((pair_counts(s) == pair_counts(X[0])).all() for s in shuffles[0])
    True

    Only three other sequences share the first letter and the pair counts of
    this short one, so its shuffles repeat (a 200 bp sequence has
    astronomically many arrangements):

    >>> ["".join("ACGT"[i] for i in s.argmax(axis=0)) for s in shuffles[0]]
    ['AACGTTGCAC', 'ACAACGTTGC', 'AACGTTGCAC']
    """
    array = np.asarray(X)
    if array.ndim != 3:
        raise ValueError(
            "dinucleotide_shuffle: X must be one-hot sequences of shape "
            f"(n_samples, n_letters, length); got an array of shape {array.shape!r}. "
            "Wrap a single sequence x as x[None]; encode strings with "
            "SequenceOneHotEncoder (flatten=False)."
        )
    array = check_array(array, allow_nd=True, input_name="X")
    n_samples, n_letters, length = array.shape
    rng = check_random_state(random_state)
    if length < 3 or n_letters == 0:  # a single arrangement: the sequence
        return np.repeat(array[:, None], n_shuffles, axis=1)

    # Every distinct column is a symbol: letters, ambiguity codes such as N,
    # and the all-zero padding. Padding at the end stays one run at the end:
    # the padding symbol has no outgoing edge to another symbol (only padding
    # follows padding), so a path that enters it never leaves it, and enters
    # it (once: one letter precedes the padding) after every other pair.
    symbols = _symbols(array)
    block = max(1, _BLOCK_CELLS // (n_shuffles * length))
    out = np.empty((n_samples, n_shuffles, n_letters, length), dtype=array.dtype)
    letters = np.arange(n_letters)[None, :, None]
    for first in range(0, n_samples, block):
        seqs = np.arange(first, min(first + block, n_samples))
        path = _shuffle_block(symbols[seqs], n_shuffles, rng)
        shuffled = array[
            np.repeat(seqs, n_shuffles)[:, None, None], letters, path[:, None]
        ]
        out[seqs] = shuffled.reshape(seqs.size, n_shuffles, n_letters, length)
    return out
