"""Order-preserving integer bins of float scores, computed chunk by chunk."""

from __future__ import annotations

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
