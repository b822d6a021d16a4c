"""The one hold-out split: early stopping, train/tune/test and calibration.

Every part that skdl holds out of the data it is given (the validation part of
early stopping, the tuning and test parts of
:class:`~skdl.model_selection.TrainTuneTestSplit`, the calibration part of the
conformal adapters) comes from :func:`holdout_split`, so all of them follow one
rule: whole groups, stratified on class labels when possible, and a warning
when not. It lives here, on skdl's lowest floor, because the estimators and the
splitters above them both need it; so does :func:`merge_copies`, which makes
identical sequences one group before any split of sequence data.
"""

from __future__ import annotations

import warnings
from typing import Any

import numpy as np
import scipy.sparse as sp
from numpy.typing import ArrayLike, NDArray
from scipy.sparse.csgraph import connected_components
from sklearn.model_selection import (
    GroupShuffleSplit,
    ShuffleSplit,
    StratifiedGroupKFold,
    StratifiedShuffleSplit,
)
from sklearn.utils import check_random_state
from sklearn.utils.multiclass import type_of_target

from skdl.exceptions import SkdlWarning


def sequence_array(X: Any) -> NDArray[Any] | None:
    """Return ``X`` as a 1-D array when it holds sequences (strings), else None.

    Tables (2-D arrays, pandas objects) are not sequences.

    Examples
    --------
    >>> from skdl.utils._holdout import sequence_array
    >>> sequence_array(["ACGT", "GGCC"]).tolist(), sequence_array([[1.0, 2.0]])
    (['ACGT', 'GGCC'], None)
    """
    array = None if hasattr(X, "iloc") else np.asarray(X)
    if array is None or array.ndim != 1 or array.dtype.kind not in "OUS":
        return None
    return array


def merge_copies(X: Any, groups: ArrayLike | None) -> tuple[NDArray[Any] | None, int]:
    """Merge identical sequences into one group when ``X`` holds copies.

    A copy of a sequence is the same sample to a model, so no split may put it
    on both sides. When ``X`` is a 1-D array of strings with identical entries
    (ignoring case) in different groups (or, without groups, at all), the
    returned groups join them; otherwise ``groups`` is returned as given, so
    that data without copies keeps its own groups (and folds).

    Parameters
    ----------
    X : array-like
        Samples; only a 1-D array of strings is looked at.
    groups : array-like of shape (n_samples,) or None
        The user's groups.

    Returns
    -------
    groups : ndarray of shape (n_samples,) or None
        Integer group labels when copies were merged, else ``groups`` as given.
    n_merged : int
        How many groups (or samples) were merged into others.

    Examples
    --------
    >>> from skdl.utils._holdout import merge_copies
    >>> merge_copies(["ACGT", "acgt", "GGCC"], None)
    (array([0, 0, 1]), 1)
    >>> merge_copies(["ACGT", "TTAA"], ["chr1", "chr2"])
    (array(['chr1', 'chr2'], dtype='<U4'), 0)
    >>> merge_copies(["ACGT", "acgt", "TTAA"], ["chr1", "chr2", "chr2"])[1]
    1
    """
    group_array = None if groups is None else np.asarray(groups)
    array = sequence_array(X)
    if array is None:
        return group_array, 0
    _, copy_of = np.unique(np.char.upper(array.astype(str)), return_inverse=True)
    copy_of = copy_of.ravel()
    if group_array is None:
        n_merged = len(array) - int(copy_of.max(initial=-1)) - 1
        return (copy_of if n_merged else None), n_merged
    _, group_of = np.unique(group_array, return_inverse=True)
    group_of = group_of.ravel()
    n_groups = int(group_of.max()) + 1
    # Groups and sequences are the nodes; each sample links its two.
    graph = sp.coo_matrix(
        (np.ones(len(array)), (group_of, n_groups + copy_of)),
        shape=(n_groups + copy_of.max() + 1,) * 2,
    )
    n_components, component = connected_components(graph, directed=False)
    n_merged = n_groups - n_components
    if not n_merged:
        return group_array, 0
    return component[group_of], n_merged


def holdout_split(
    n_samples: int,
    fraction: float,
    *,
    y: ArrayLike | None = None,
    groups: ArrayLike | None = None,
    stratify: bool = True,
    random_state: Any = None,
    caller: str = "holdout_split",
    part: str = "the held-out part",
    remedy: str = "Pass more groups.",
) -> tuple[NDArray[np.intp], NDArray[np.intp]]:
    """Split ``range(n_samples)`` into a rest and a held-out part of ``fraction``.

    - With ``groups``, whole groups go to one side. With class labels ``y``
      (and ``stratify``), the held-out part is one fold of a shuffled
      :class:`~sklearn.model_selection.StratifiedGroupKFold` with
      ``round(1 / fraction)`` folds, so its size is approximate; with fewer
      groups than folds, or without class labels, it is a
      :class:`~sklearn.model_selection.GroupShuffleSplit` with ``fraction`` of
      the groups.
    - Without ``groups``, a :class:`~sklearn.model_selection.StratifiedShuffleSplit`
      on class labels, or a :class:`~sklearn.model_selection.ShuffleSplit`.

    Stratification applies to binary and multiclass labels only (not to
    regression targets or multilabel matrices). When it cannot be done, a
    :class:`~skdl.exceptions.SkdlWarning` says so: without groups, when a
    class has a single sample; with groups, when a class ends up with samples
    on one side only (too few groups hold it).

    Parameters
    ----------
    n_samples : int
        Number of samples.
    fraction : float
        Size of the held-out part, in (0, 1): of the samples, or of the groups
        when ``groups`` are given without class labels.
    y : array-like of shape (n_samples,), default=None
        Labels to stratify on.
    groups : array-like of shape (n_samples,), default=None
        Group of each sample; no group is on both sides.
    stratify : bool, default=True
        Stratify on ``y`` when it holds class labels.
    random_state : int, RandomState instance or None, default=None
        Seed of the split.
    caller : str, default="holdout_split"
        Name used in messages.
    part : str, default="the held-out part"
        What the held-out part is for, used in messages.
    remedy : str, default="Pass more groups."
        What to do when there are too few groups, used in the error.

    Returns
    -------
    rest : ndarray of int
        Positions outside the held-out part.
    held_out : ndarray of int
        Positions of the held-out part.

    Raises
    ------
    ValueError
        With fewer than 2 groups, or fewer than 2 samples without groups.

    Examples
    --------
    >>> import numpy as np
    >>> from skdl.utils._holdout import holdout_split
    >>> y = np.tile([0, 1], 20)
    >>> patients = np.repeat(np.arange(10), 4)
    >>> rest, held_out = holdout_split(40, 0.2, y=y, groups=patients,
    ...                                random_state=0)
    >>> set(patients[rest]) & set(patients[held_out])
    set()
    >>> sorted(set(y[held_out].tolist()))
    [0, 1]
    """
    rng = check_random_state(random_state)
    placeholder = np.zeros((n_samples, 1))
    labels = None if y is None else np.asarray(y)
    if not (
        stratify
        and labels is not None
        and type_of_target(labels) in ("binary", "multiclass")
    ):
        labels = None  # nothing to stratify on

    if groups is not None:
        group_array = np.asarray(groups)
        n_groups = len(np.unique(group_array))
        if n_groups < 2:
            raise ValueError(
                f"{caller}: {part} is made of whole groups and needs at least 2 "
                f"distinct groups, one on each side; got {n_groups}. {remedy}"
            )
        rest, held_out = _group_split(fraction, labels, group_array, n_groups, rng)
        if labels is not None:
            _warn_one_sided_classes(labels, rest, held_out, caller, part)
        return rest, held_out
    if n_samples < 2:
        raise ValueError(
            f"{caller}: {part} needs at least 2 samples, one on each side; got "
            f"n_samples={n_samples}."
        )
    if labels is not None:
        try:
            splitter = StratifiedShuffleSplit(
                n_splits=1, test_size=fraction, random_state=rng
            )
            return next(splitter.split(placeholder, labels))
        except ValueError as e:
            warnings.warn(
                f"{caller}: could not stratify {part} ({e}); a random part is held "
                "out instead.",
                SkdlWarning,
                stacklevel=2,
            )
    splitter = ShuffleSplit(n_splits=1, test_size=fraction, random_state=rng)
    return next(splitter.split(placeholder))


def _group_split(
    fraction: float,
    labels: NDArray[Any] | None,
    groups: NDArray[Any],
    n_groups: int,
    rng: np.random.RandomState,
) -> tuple[NDArray[np.intp], NDArray[np.intp]]:
    """Whole groups held out: stratified group folds when they can be made."""
    placeholder = np.zeros((len(groups), 1))
    n_folds = max(2, round(1 / fraction))
    if labels is not None and n_groups >= n_folds:
        splitter: Any = StratifiedGroupKFold(
            n_splits=n_folds, shuffle=True, random_state=rng
        )
        try:
            with warnings.catch_warnings():
                # A class left on one side is reported by the caller, once.
                warnings.filterwarnings(
                    "ignore", "The least populated class", UserWarning
                )
                return next(splitter.split(placeholder, labels, groups))
        except ValueError:
            pass  # every class smaller than n_folds: a plain group split
    # Too few groups to stratify: a random ``fraction`` of the groups.
    splitter = GroupShuffleSplit(n_splits=1, test_size=fraction, random_state=rng)
    return next(splitter.split(placeholder, labels, groups))


def _warn_one_sided_classes(
    y: NDArray[Any],
    rest: NDArray[np.intp],
    held_out: NDArray[np.intp],
    caller: str,
    part: str,
) -> None:
    """Warn when a class has no sample on one side of a stratified group split."""
    missing = np.setdiff1d(np.unique(y), np.intersect1d(y[rest], y[held_out]))
    if missing.size:
        warnings.warn(
            f"{caller}: could not stratify {part}: class(es) "
            f"{missing.tolist()!r} have samples on one side only: too few groups "
            "hold them.",
            SkdlWarning,
            stacklevel=3,
        )
