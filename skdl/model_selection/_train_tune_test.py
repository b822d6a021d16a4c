"""A train / tune / single-use test protocol as one splitter."""

from __future__ import annotations

import warnings
from collections.abc import Iterator
from numbers import Integral, Real
from typing import Any

import joblib
import numpy as np
from numpy.typing import ArrayLike, NDArray
from sklearn.utils import check_random_state, column_or_1d, indexable

from skdl.exceptions import SkdlWarning
from skdl.model_selection._folds import SingleSplit, validate_splitter_params
from skdl.utils._groups import check_groups
from skdl.utils._holdout import holdout_split, merge_copies
from skdl.utils._sklearn import Interval, _num_samples


class TrainTuneTestSplit(SingleSplit):
    """Train, tune and single-use test parts that keep groups together.

    One object holds the whole protocol. Used as ``cv=`` in a search, it yields
    one (train, tune) split and never shows the test part to either side;
    :meth:`test_indices` hands the test part out for the final evaluation and
    warns if it is asked for again, because every extra look at a test set
    turns it into a tuning set.

    Whole groups (patients, batches, chromosomes) go to one part, and when ``X``
    holds sequences, identical ones (ignoring case) count as one group; without
    groups the parts are stratified on ``y`` when it is a class label. With groups and
    class labels, parts are drawn as folds of
    :class:`~sklearn.model_selection.StratifiedGroupKFold`, so their sizes are
    approximate (whole groups, ``1 / size`` folds).

    Parameters
    ----------
    tune_size : float, default=0.2
        Fraction of the samples (or groups) for the tuning part, in (0, 1).
    test_size : float, default=0.2
        Fraction of the samples (or groups) for the test part, in (0, 1).
        ``tune_size + test_size`` must be below 1.
    stratify : bool, default=True
        Stratify on ``y`` when it holds class labels.
    random_state : int, default=0
        Seed of the partition. It must be an int (not None or a
        ``RandomState``): :meth:`split` and :meth:`test_indices` recompute the
        partition and must find the same test part every time.

    Attributes
    ----------
    n_test_requests_ : int
        How many times :meth:`test_indices` handed out the test part.

    Examples
    --------
    >>> import numpy as np
    >>> from skdl.model_selection import TrainTuneTestSplit
    >>> X = np.zeros((100, 1))
    >>> y = np.tile([0, 1], 50)
    >>> patients = np.repeat(np.arange(20), 5)
    >>> protocol = TrainTuneTestSplit(tune_size=0.2, test_size=0.2, random_state=0)
    >>> (train, tune), = protocol.split(X, y, groups=patients)
    >>> test = protocol.test_indices(X, y, groups=patients)
    >>> len(train) + len(tune) + len(test)
    100
    >>> set(patients[test]) & (set(patients[train]) | set(patients[tune]))
    set()
    """

    _parameter_constraints: dict[str, list[Any]] = {
        "tune_size": [Interval(Real, 0, 1, closed="neither")],
        "test_size": [Interval(Real, 0, 1, closed="neither")],
        "stratify": ["boolean"],
        "random_state": [Interval(Integral, 0, None, closed="left")],
    }

    def __init__(
        self,
        tune_size: float = 0.2,
        test_size: float = 0.2,
        *,
        stratify: bool = True,
        random_state: int = 0,
    ) -> None:
        self.tune_size = tune_size
        self.test_size = test_size
        self.stratify = stratify
        self.random_state = random_state

    def _partition(
        self, X: Any, y: ArrayLike | None, groups: ArrayLike | None
    ) -> tuple[NDArray[np.intp], NDArray[np.intp], NDArray[np.intp]]:
        validate_splitter_params(self)
        if self.tune_size + self.test_size >= 1:
            raise ValueError(
                f"TrainTuneTestSplit: tune_size + test_size must be below 1; got "
                f"{self.tune_size} + {self.test_size}."
            )
        X, y, groups = indexable(X, y, groups)
        n_samples = len(X)
        labels = None if y is None else np.asarray(column_or_1d(y))
        group_array = (
            None if groups is None else check_groups(groups, "TrainTuneTestSplit")
        )
        # Identical sequences count as one group, in both splits.
        group_array, _ = merge_copies(X, group_array)
        if group_array is not None and len(np.unique(group_array)) < 3:
            raise ValueError(
                "TrainTuneTestSplit: groups must contain at least 3 distinct groups "
                "(one for each part)."
            )
        if n_samples < 3:
            raise ValueError(
                f"TrainTuneTestSplit: needs at least 3 samples; got {n_samples}."
            )
        rng = check_random_state(self.random_state)
        dev, test = holdout_split(
            n_samples,
            self.test_size,
            y=labels,
            groups=group_array,
            stratify=self.stratify,
            random_state=rng,
            caller="TrainTuneTestSplit",
            part="the test part",
        )
        train_pos, tune_pos = holdout_split(
            len(dev),
            self.tune_size / (1 - self.test_size),
            y=None if labels is None else labels[dev],
            groups=None if group_array is None else group_array[dev],
            stratify=self.stratify,
            random_state=rng,
            caller="TrainTuneTestSplit",
            part="the tuning part",
        )
        return (
            np.sort(dev[train_pos]),
            np.sort(dev[tune_pos]),
            np.sort(test),
        )

    def split(
        self, X: Any, y: ArrayLike | None = None, groups: ArrayLike | None = None
    ) -> Iterator[tuple[NDArray[np.intp], NDArray[np.intp]]]:
        """Yield the one (train, tune) pair; the test part is on neither side.

        Parameters
        ----------
        X : array-like of shape (n_samples, ...)
            Data; only its length is used.
        y : array-like of shape (n_samples,), default=None
            Labels, used to stratify.
        groups : array-like of shape (n_samples,), default=None
            Group of each sample; whole groups go to one part.

        Yields
        ------
        train : ndarray of int
            Training part.
        tune : ndarray of int
            Tuning part.
        """
        train, tune, _ = self._partition(X, y, groups)
        # What the test part was drawn from: test_indices must get the same.
        self._split_inputs = _fingerprint(X, y, groups)
        yield train, tune

    def test_indices(
        self, X: Any, y: ArrayLike | None = None, groups: ArrayLike | None = None
    ) -> NDArray[np.intp]:
        """Hand out the single-use test part; warn from the second time on.

        Parameters
        ----------
        X : array-like of shape (n_samples, ...)
            The same data as given to :meth:`split`.
        y : array-like of shape (n_samples,), default=None
            The same labels.
        groups : array-like of shape (n_samples,), default=None
            The same groups.

        Returns
        -------
        test : ndarray of int
            Test part, disjoint from both parts of :meth:`split`.
        """
        split_inputs = getattr(self, "_split_inputs", None)
        if split_inputs is not None and split_inputs != _fingerprint(X, y, groups):
            raise ValueError(
                "TrainTuneTestSplit.test_indices: got other data than split did "
                "(X's length, y or groups differ), so the test part would not be "
                "the one split kept out of training and tuning: some test samples "
                "would be training samples. Pass the X, y and groups given to "
                "split."
            )
        test = self._partition(X, y, groups)[2]
        self.n_test_requests_ = getattr(self, "n_test_requests_", 0) + 1
        if self.n_test_requests_ > 1:
            warnings.warn(
                f"TrainTuneTestSplit: the test part was handed out "
                f"{self.n_test_requests_} times in this analysis. Results from "
                "several looks at a test set are tuned to it; report the first "
                "evaluation, or hold out a fresh test part.",
                SkdlWarning,
                stacklevel=2,
            )
        return test


def _fingerprint(X: Any, y: ArrayLike | None, groups: ArrayLike | None) -> str:
    """Hash what the partition depends on: X's length (its sequences), y, groups."""
    samples = np.asarray(X) if np.ndim(X) == 1 else _num_samples(X)
    as_array = [None if v is None else np.asarray(v) for v in (y, groups)]
    return str(joblib.hash((samples, *as_array)))
