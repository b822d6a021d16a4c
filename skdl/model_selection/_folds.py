"""Greedy assignment of whole groups to balanced folds."""

from __future__ import annotations

from typing import Any

import numpy as np
from numpy.typing import ArrayLike, NDArray
from sklearn.utils import check_consistent_length, column_or_1d


def balanced_group_folds(
    group_ids: NDArray[np.intp],
    n_groups: int,
    n_splits: int,
    *,
    balance: str,
    y: ArrayLike | None,
    pos_label: Any,
    caller: str,
) -> list[NDArray[np.intp]]:
    """Assign groups ``0 .. n_groups - 1`` to ``n_splits`` folds, heaviest first.

    Each group goes to the fold that is lightest so far, by positives (ties by
    samples) or by samples. Deterministic; the heaviest and the lightest fold
    differ by at most the heaviest group. Returns the group ids of each fold.
    """
    if n_groups < n_splits:
        raise ValueError(
            f"{caller}: n_splits={n_splits} needs at least as many groups; "
            f"got {n_groups}."
        )
    samples = np.bincount(group_ids, minlength=n_groups)
    if balance == "positives":
        if y is None:
            raise ValueError(
                f"{caller}: balance='positives' needs y; pass y to split or use "
                "balance='samples'."
            )
        labels = np.asarray(column_or_1d(y))
        check_consistent_length(group_ids, labels)
        positive = (labels == pos_label).astype(np.float64)
        weight = np.bincount(group_ids, weights=positive, minlength=n_groups)
        keys = np.stack([weight, samples], axis=1).astype(np.float64)
    else:
        keys = np.stack([samples, np.zeros_like(samples)], axis=1).astype(np.float64)
    # Heaviest first; the stable sort keeps group order for ties (deterministic).
    order = np.lexsort((-keys[:, 1], -keys[:, 0]))
    load = np.zeros((n_splits, 2))
    members: list[list[int]] = [[] for _ in range(n_splits)]
    for g in order:
        fold = min(range(n_splits), key=lambda f: (load[f, 0], load[f, 1], f))
        load[fold] += keys[g]
        members[fold].append(int(g))
    return [np.asarray(m, dtype=np.intp) for m in members]
