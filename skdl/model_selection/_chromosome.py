"""Splitters that hold out whole chromosomes.

Neighbouring genomic windows share sequence context, repeats and signal, so a
random split puts near-copies of test windows in the training set. Holding out
whole chromosomes is the standard remedy (ENCODE-DREAM, Selene, Basenji).
``sklearn.model_selection.GroupKFold`` already keeps groups apart and balances
folds by size; these splitters add what it lacks for genomics: named held-out
chromosomes with name checking, folds balanced by positives, so that no fold of a
1%-positive problem ends up without positives, and one chromosome however it is
spelled (``chr1``, ``Chr1`` and ``1`` are one chromosome, never split).
"""

from __future__ import annotations

import difflib
from collections.abc import Iterator, Sequence
from numbers import Integral, Real
from typing import Any

import numpy as np
from numpy.typing import ArrayLike, NDArray
from sklearn.utils import check_consistent_length

from skdl.model_selection._folds import (
    GroupFolds,
    SingleSplit,
    validate_splitter_params,
)
from skdl.utils._groups import check_groups
from skdl.utils._sklearn import Interval, StrOptions


def chromosome_key(name: Any) -> str:
    """One spelling per chromosome: ``chr1``, ``Chr1`` and ``1`` are the same.

    Case is ignored, a leading ``chr`` is dropped (UCSC against Ensembl naming)
    and ``MT`` is ``M``.

    Examples
    --------
    >>> from skdl.model_selection._chromosome import chromosome_key
    >>> [chromosome_key(c) for c in ["chr1", "Chr1", "1", "chrX", "MT", "chrM"]]
    ['1', '1', '1', 'x', 'm', 'm']
    """
    key = str(name).strip().lower()
    key = key.removeprefix("chr")
    return "m" if key == "mt" else key


def _chromosomes(
    X: Any, groups: ArrayLike | None, caller: str
) -> tuple[NDArray[Any], NDArray[Any]]:
    """Return the chromosome names as given, and their keys (one each)."""
    if groups is None:
        raise ValueError(
            f"{caller}.split needs groups=<the chromosome of each sample>, for "
            "example the 'chrom' column of a BED file."
        )
    chromosomes = check_groups(groups, caller).astype(str)
    if X is not None:
        check_consistent_length(X, chromosomes)
    names, inverse = np.unique(chromosomes, return_inverse=True)
    keys = np.array([chromosome_key(name) for name in names])[inverse.ravel()]
    return chromosomes, keys


def _names(value: str | Sequence[Any] | None) -> list[Any]:
    if value is None:
        return []
    if isinstance(value, str):
        return [value]
    return list(value)


def _check_known(names: list[Any], known: NDArray[Any], caller: str) -> None:
    """Refuse names that match no chromosome of ``known`` (names as given)."""
    known_list = [str(k) for k in known]
    known_keys = {chromosome_key(k) for k in known_list}
    unknown = [name for name in names if chromosome_key(name) not in known_keys]
    if not unknown:
        return
    hints = []
    for name in unknown:
        close = difflib.get_close_matches(str(name), known_list, n=1, cutoff=0.6)
        hints.append(f"{name!r}" + (f" (did you mean {close[0]!r}?)" if close else ""))
    shown = ", ".join(known_list[:30]) + (" ..." if len(known_list) > 30 else "")
    raise ValueError(
        f"{caller}: unknown chromosome name(s) {', '.join(hints)}; groups contain "
        f"{shown}."
    )


class ChromosomeSplit(SingleSplit):
    """One split that holds out named chromosomes for testing.

    The ENCODE-DREAM and Selene protocol: train on most chromosomes, tune on
    one or two named ones, test once on others. Compose it from two splitters:
    hold out the test chromosomes with ``ChromosomeSplit``, then tune on the
    training part with ``GridSearchCV(cv=ChromosomeSplit(tune_chromosomes))``.

    Parameters
    ----------
    test_chromosomes : str or sequence of str
        Chromosomes whose samples form the test part, for example
        ``["chr8", "chr9"]``. Every name must occur in ``groups``.
    exclude_chromosomes : str, sequence of str or None, default=None
        Chromosomes left out of both parts (for example ``"chrY"``, or the
        chromosomes reserved for the final test while tuning).

    See Also
    --------
    ChromosomeKFold : Every chromosome tested once, folds balanced.
    sklearn.model_selection.LeaveOneGroupOut : One chromosome (or batch) at a time.

    Examples
    --------
    >>> import numpy as np
    >>> from skdl.model_selection import ChromosomeSplit
    >>> chrom = np.array(["chr1", "chr1", "chr2", "chr8", "chr8", "chrY"])
    >>> cv = ChromosomeSplit("chr8", exclude_chromosomes="chrY")
    >>> for train, test in cv.split(chrom, groups=chrom):
    ...     print(train, test)
    [0 1 2] [3 4]
    """

    _parameter_constraints: dict[str, list[Any]] = {
        "test_chromosomes": [str, list, tuple, np.ndarray],
        "exclude_chromosomes": [str, list, tuple, np.ndarray, None],
    }

    def __init__(
        self,
        test_chromosomes: str | Sequence[Any],
        *,
        exclude_chromosomes: str | Sequence[Any] | None = None,
    ) -> None:
        self.test_chromosomes = test_chromosomes
        self.exclude_chromosomes = exclude_chromosomes

    def split(
        self, X: Any, y: ArrayLike | None = None, groups: ArrayLike | None = None
    ) -> Iterator[tuple[NDArray[np.intp], NDArray[np.intp]]]:
        """Yield the one (train, test) pair of index arrays.

        Parameters
        ----------
        X : array-like of shape (n_samples, ...)
            Data; only its length is used.
        y : array-like of shape (n_samples,), default=None
            Always ignored, exists for compatibility.
        groups : array-like of shape (n_samples,)
            Chromosome of each sample. Required. Case and a leading "chr" are
            ignored ("chr1", "Chr1" and "1" are one chromosome).

        Yields
        ------
        train : ndarray of int
            Samples on neither the test nor the excluded chromosomes.
        test : ndarray of int
            Samples on the test chromosomes.
        """
        validate_splitter_params(self)
        chromosomes, keys = _chromosomes(X, groups, type(self).__name__)
        test_names = _names(self.test_chromosomes)
        excluded = _names(self.exclude_chromosomes)
        if not test_names:
            raise ValueError("ChromosomeSplit: test_chromosomes is empty.")
        _check_known(test_names + excluded, np.unique(chromosomes), "ChromosomeSplit")
        test_keys = {chromosome_key(name) for name in test_names}
        excluded_keys = {chromosome_key(name) for name in excluded}
        both = sorted(
            (n for n in test_names if chromosome_key(n) in excluded_keys), key=str
        )
        if both:
            raise ValueError(
                f"ChromosomeSplit: {both!r} are both test and excluded chromosomes."
            )
        test = np.isin(keys, list(test_keys))
        train = ~test & ~np.isin(keys, list(excluded_keys))
        if not train.any():
            raise ValueError(
                "ChromosomeSplit: no training samples are left once the test and "
                "excluded chromosomes are removed."
            )
        yield np.flatnonzero(train), np.flatnonzero(test)


class ChromosomeKFold(GroupFolds):
    """K folds of whole chromosomes, balanced by samples or by positives.

    Each chromosome is in exactly one test fold. Chromosomes are assigned, from
    the heaviest to the lightest, to the fold that is lightest so far, by the
    number of positives (``balance="positives"``, ties broken by samples) or
    of samples (``balance="samples"``). The split is deterministic; the gap
    between the heaviest and the lightest fold is never larger than the
    heaviest single chromosome.

    Parameters
    ----------
    n_splits : int, default=5
        Number of folds, at least 2 and at most the number of chromosomes.
    balance : {"positives", "samples"}, default="positives"
        What to balance across folds. ``"positives"`` needs ``y``.
    pos_label : int, float, bool or str, default=1
        Label counted as positive when ``balance="positives"``.

    See Also
    --------
    ChromosomeSplit : Named held-out chromosomes.
    sklearn.model_selection.GroupKFold : Balances group sizes only.

    Examples
    --------
    >>> import numpy as np
    >>> from skdl.model_selection import ChromosomeKFold
    >>> chrom = np.repeat(["chr1", "chr2", "chr3", "chr4"], [4, 3, 2, 1])
    >>> y = np.array([1, 0, 0, 0, 1, 1, 0, 1, 0, 1])
    >>> for train, test in ChromosomeKFold(n_splits=2).split(chrom, y, groups=chrom):
    ...     print(sorted(set(chrom[test].tolist())), int(y[test].sum()))
    ['chr2', 'chr4'] 3
    ['chr1', 'chr3'] 2
    """

    _parameter_constraints: dict[str, list[Any]] = {
        "n_splits": [Interval(Integral, 2, None, closed="left")],
        "balance": [StrOptions({"positives", "samples"})],
        "pos_label": [Real, str, "boolean"],
    }

    def __init__(
        self, n_splits: int = 5, *, balance: str = "positives", pos_label: Any = 1
    ) -> None:
        self.n_splits = n_splits
        self.balance = balance
        self.pos_label = pos_label

    def split(
        self, X: Any, y: ArrayLike | None = None, groups: ArrayLike | None = None
    ) -> Iterator[tuple[NDArray[np.intp], NDArray[np.intp]]]:
        """Yield (train, test) index arrays, one pair per fold.

        Parameters
        ----------
        X : array-like of shape (n_samples, ...)
            Data; only its length is used.
        y : array-like of shape (n_samples,), default=None
            Labels; needed for ``balance="positives"``.
        groups : array-like of shape (n_samples,)
            Chromosome of each sample. Required. Case and a leading "chr" are
            ignored ("chr1", "Chr1" and "1" are one chromosome).

        Yields
        ------
        train : ndarray of int
            Samples on the other folds' chromosomes.
        test : ndarray of int
            Samples on this fold's chromosomes.
        """
        validate_splitter_params(self)
        _, keys = _chromosomes(X, groups, type(self).__name__)
        names, inverse = np.unique(keys, return_inverse=True)
        yield from self._split_groups(inverse.ravel(), len(names), y)
