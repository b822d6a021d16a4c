"""What skdl's splitters share: balanced group folds, group merging, bases.

The bases are private building blocks (like the task mixins of the
estimators); users meet only the concrete splitters.
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import numpy as np
import scipy.sparse as sp
from numpy.typing import ArrayLike, NDArray
from scipy.sparse.csgraph import connected_components
from sklearn.model_selection import BaseCrossValidator
from sklearn.utils import check_consistent_length, column_or_1d

from skdl.utils._groups import check_groups
from skdl.utils._sklearn import validate_parameter_constraints


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


def validate_splitter_params(splitter: Any) -> None:
    """Check a splitter's parameters against its ``_parameter_constraints``.

    Splitters are not ``BaseEstimator``s (no ``get_params``), so the parameters
    are read by the names the constraints declare.
    """
    constraints = splitter._parameter_constraints
    params = {name: getattr(splitter, name) for name in constraints}
    validate_parameter_constraints(constraints, params, type(splitter).__name__)


def one_column(X: Any, caller: str, what: str) -> NDArray[np.object_]:
    """``X`` as a 1-D object array: a 1-D array-like or a one-column 2-D one."""
    array = np.asarray(X, dtype=object)
    if array.ndim == 2 and array.shape[1] == 1:
        array = array[:, 0]
    if array.ndim != 1:
        raise ValueError(
            f"{caller}: X must be a 1-D array of {what}; got shape {array.shape}."
        )
    return array


def connected_groups(
    n_samples: int,
    rows: NDArray[np.intp],
    cols: NDArray[np.intp],
    groups: ArrayLike | None,
    caller: str = "split",
) -> tuple[NDArray[np.intp], int]:
    """Label the connected components of the links ``rows -- cols`` and ``groups``.

    Each sample is also linked to the first sample of its group, so user groups
    and the splitter's own links are merged into one set of groups.
    """
    if groups is not None:
        group_array = check_groups(groups, caller)
        check_consistent_length(np.empty(n_samples), group_array)
        _, first, inverse = np.unique(
            group_array, return_index=True, return_inverse=True
        )
        rows = np.r_[rows, np.arange(n_samples)]
        cols = np.r_[cols, first[inverse.ravel()]]
    graph = sp.coo_matrix((np.ones(len(rows)), (rows, cols)), shape=(n_samples,) * 2)
    n_groups, labels = connected_components(graph, directed=False)
    return labels, int(n_groups)


class SingleSplit(BaseCrossValidator):
    """Base of the splitters that yield exactly one (train, test) pair."""

    def get_n_splits(
        self, X: Any = None, y: ArrayLike | None = None, groups: ArrayLike | None = None
    ) -> int:
        """Return 1: the number of splits.

        Parameters
        ----------
        X : object
            Always ignored, exists for compatibility.
        y : object
            Always ignored, exists for compatibility.
        groups : object
            Always ignored, exists for compatibility.

        Returns
        -------
        n_splits : int
            Always 1.
        """
        return 1


class GroupFolds(BaseCrossValidator):
    """Base of the k-fold splitters that assign whole groups to balanced folds.

    Subclasses declare ``n_splits``, ``balance`` and ``pos_label`` and turn the
    data into integer group labels in ``split``; this class assigns the groups
    to folds and yields the index arrays.
    """

    n_splits: int
    balance: str
    pos_label: Any

    def _split_groups(
        self, labels: NDArray[np.intp], n_groups: int, y: ArrayLike | None
    ) -> Iterator[tuple[NDArray[np.intp], NDArray[np.intp]]]:
        folds = balanced_group_folds(
            labels,
            n_groups,
            self.n_splits,
            balance=self.balance,
            y=y,
            pos_label=self.pos_label,
            caller=type(self).__name__,
        )
        for fold in folds:
            test = np.isin(labels, fold)
            yield np.flatnonzero(~test), np.flatnonzero(test)

    def get_n_splits(
        self, X: Any = None, y: ArrayLike | None = None, groups: ArrayLike | None = None
    ) -> int:
        """Return the number of folds, ``n_splits``.

        Parameters
        ----------
        X : object
            Always ignored, exists for compatibility.
        y : object
            Always ignored, exists for compatibility.
        groups : object
            Always ignored, exists for compatibility.

        Returns
        -------
        n_splits : int
            The number of folds.
        """
        return self.n_splits
