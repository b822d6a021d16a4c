"""Reverse complement of DNA and RNA strings."""

from __future__ import annotations

from typing import Any

import numpy as np
from numpy.typing import NDArray

from skdl.preprocessing._alphabet import check_sequences

_PAIRS = {
    "dna": ("ACGTRYSWKMBDHVN", "TGCAYRSWMKVHDBN"),
    "rna": ("ACGURYSWKMBDHVN", "UGCAYRSWMKVHDBN"),
}


def reverse_complement(sequences: Any, *, alphabet: str = "dna") -> NDArray[np.str_]:
    """Reverse complement of DNA or RNA sequences, IUPAC codes included.

    Case is kept (soft-masked repeats stay lower case). For one-hot arrays and
    for training-time augmentation and test-time averaging inside a network,
    see the ``reverse_complement`` parameter of
    :class:`~skdl.neural_net.ConvNetClassifier` and
    :func:`skdl.nn.reverse_complement_one_hot`.

    Parameters
    ----------
    sequences : array-like of str of shape (n_samples,)
        Sequences.
    alphabet : {"dna", "rna"}, default="dna"
        Which complement: ``A<->T`` or ``A<->U``.

    Returns
    -------
    rc : ndarray of str of shape (n_samples,)
        Reverse complements.

    Examples
    --------
    >>> from skdl.preprocessing import reverse_complement
    >>> reverse_complement(["ACGTN", "aaRc"])
    array(['NACGT', 'gYtt'], dtype='<U5')
    """
    if alphabet not in _PAIRS:
        raise ValueError(
            f"reverse_complement: alphabet must be 'dna' or 'rna'; got {alphabet!r}."
        )
    array = check_sequences(sequences, "reverse_complement")
    source, target = _PAIRS[alphabet]
    table = str.maketrans(source + source.lower(), target + target.lower())
    out = []
    for index, sequence in enumerate(array):
        unknown = set(sequence.upper()) - set(source)
        if unknown:
            raise ValueError(
                f"reverse_complement: sequence {index} has {sorted(unknown)[0]!r}, "
                f"which has no complement in the {alphabet} alphabet {source!r}."
            )
        out.append(sequence.translate(table)[::-1])
    return np.asarray(out, dtype=array.dtype)
