"""Group labels as every skdl split needs them: 1-D, complete, sortable."""

from __future__ import annotations

from typing import Any

import numpy as np
from numpy.typing import ArrayLike, NDArray
from sklearn.utils import column_or_1d


def check_groups(groups: ArrayLike, caller: str) -> NDArray[Any]:
    """Return group labels that ``np.unique`` can sort, or raise clearly.

    A missing group (None or NaN) is refused: a sample without a patient or
    chromosome cannot be kept apart from its relatives. Labels of mixed types
    (``1`` and ``"p2"``, as a spreadsheet column gives them) are compared as
    strings, which ``np.unique`` can sort; numpy's own error would be
    ``'<' not supported between instances``.

    Parameters
    ----------
    groups : array-like of shape (n_samples,)
        Group labels.
    caller : str
        Name used in messages.

    Returns
    -------
    groups : ndarray of shape (n_samples,)

    Examples
    --------
    >>> from skdl.utils._groups import check_groups
    >>> check_groups([1, "p2", 1], "cv").tolist()
    ['1', 'p2', '1']
    >>> check_groups(["p1", None], "cv")
    Traceback (most recent call last):
    ...
    ValueError: cv: groups has a missing value (None or NaN) at position 1 ...
    """
    array = np.asarray(column_or_1d(groups))
    if array.dtype.kind == "f":
        missing = np.flatnonzero(np.isnan(array)).tolist()
    elif array.dtype.kind == "O":
        missing = [
            i
            for i, value in enumerate(array)
            if value is None
            or (isinstance(value, float | np.floating) and np.isnan(value))
        ]
    else:
        return array
    if missing:
        raise ValueError(
            f"{caller}: groups has a missing value (None or NaN) at position "
            f"{missing[0]} ({len(missing)} in all); give every sample a group, or "
            "drop those samples."
        )
    if array.dtype.kind == "O":
        kinds = {type(value) for value in array}
        numbers = all(issubclass(k, int | float | np.number) for k in kinds)
        return np.asarray(array.tolist()) if numbers else array.astype(str)
    return array
