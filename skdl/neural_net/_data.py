"""The fast batch path: data held as tensors and sliced into mini-batches.

skorch's default ``Dataset`` + ``DataLoader`` fetch one sample at a time through
``__getitem__`` and collate them, which costs more than the forward pass of a small
network. Here the whole array is one tensor and a batch is one slice (or one gather
with a permutation), exactly what a hand-written PyTorch loop does.
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import numpy as np
import torch
from sklearn.utils import assert_all_finite

#: Key of the sample weights inside a training batch's ``X`` dict.
WEIGHT_KEY = "sample_weight"


def as_tensor(array: np.ndarray) -> torch.Tensor:
    """Wrap an array as a tensor without copying when torch can share its memory.

    Read-only arrays (memory maps opened read-only, broadcast views) and
    non-contiguous arrays are copied, because torch cannot share them safely.

    Parameters
    ----------
    array : ndarray
        Input array.

    Returns
    -------
    tensor : torch.Tensor

    Examples
    --------
    >>> import numpy as np
    >>> from skdl.neural_net._data import as_tensor
    >>> as_tensor(np.zeros((2, 3), dtype=np.float32)).shape
    torch.Size([2, 3])
    """
    if not array.flags.writeable or not array.flags.c_contiguous:
        array = np.array(array, order="C", copy=True)
    return torch.from_numpy(array)


def pad_rows(X: torch.Tensor, n_rows: int) -> torch.Tensor:
    """Fill ``X`` up to ``n_rows`` rows with copies of its last row.

    Inference pads the short last batch this way, so that every forward pass
    has the same shape: float32 kernels may round a row differently when the
    number of rows changes, and a prediction should not depend on how many
    other samples are predicted with it. The copies are real inputs (unlike
    zeros, which a token model reads as an all-padding sequence).

    Parameters
    ----------
    X : torch.Tensor of shape (n, ...)
        A batch of at least one row.
    n_rows : int
        Number of rows wanted, at least ``n``.

    Returns
    -------
    padded : torch.Tensor of shape (n_rows, ...)
        ``X`` followed by ``n_rows - n`` copies of ``X[-1]``.

    Examples
    --------
    >>> import torch
    >>> from skdl.neural_net._data import pad_rows
    >>> pad_rows(torch.tensor([[1.0], [2.0]]), 4).ravel().tolist()
    [1.0, 2.0, 2.0, 2.0]
    """
    extra = X[-1:].expand(n_rows - len(X), *X.shape[1:])
    return torch.cat([X, extra])


def _take(tensor: torch.Tensor, index: torch.Tensor) -> torch.Tensor:
    return torch.index_select(tensor, 0, index)


def _slice(tensor: torch.Tensor, index: Any) -> torch.Tensor:
    return tensor[index]


class TensorDataset(torch.utils.data.Dataset):
    """Inputs, targets and sample weights held as tensors, indexed by batch.

    Indexing with an integer array, a tensor of indices or a slice returns a
    whole batch ``(X, y)``. When sample weights are present, ``X`` is a dict
    ``{"X": X, "sample_weight": w}``; the training net strips the weights before
    calling the module and uses them in the loss.

    Parameters
    ----------
    X : torch.Tensor of shape (n_samples, ...)
        Inputs.
    y : torch.Tensor of shape (n_samples, ...) or None, default=None
        Targets.
    sample_weight : torch.Tensor of shape (n_samples,) or None, default=None
        Per-sample weights.
    indices : ndarray of shape (n_samples,) or None, default=None
        Row numbers of these samples in the data given to ``fit``; lets callbacks
        and tests see which rows went to training and validation.

    Examples
    --------
    >>> import torch
    >>> from skdl.neural_net._data import TensorDataset
    >>> ds = TensorDataset(torch.zeros(10, 3), torch.arange(10))
    >>> Xb, yb = ds[2:5]
    >>> Xb.shape, yb.tolist()
    (torch.Size([3, 3]), [2, 3, 4])
    """

    def __init__(
        self,
        X: torch.Tensor,
        y: torch.Tensor | None = None,
        sample_weight: torch.Tensor | None = None,
        indices: np.ndarray | None = None,
    ) -> None:
        self.X = X
        self.y = y
        self.sample_weight = sample_weight
        self.indices = np.arange(len(X)) if indices is None else indices

    def __len__(self) -> int:
        return len(self.X)

    def __getitem__(self, index: Any) -> tuple[Any, torch.Tensor | None]:
        # index_select is about twice as fast as advanced indexing for a batch
        # gather; slices stay views (no copy).
        take = _take if isinstance(index, torch.Tensor) else _slice
        Xb: Any = take(self.X, index)
        if self.sample_weight is not None:
            Xb = {"X": Xb, WEIGHT_KEY: take(self.sample_weight, index)}
        yb = None if self.y is None else take(self.y, index)
        return Xb, yb

    def subset(self, index: np.ndarray) -> TensorDataset:
        """Return a new dataset holding a copy of the rows ``index``.

        Parameters
        ----------
        index : ndarray of int
            Positions of the rows to keep.

        Returns
        -------
        subset : TensorDataset
        """
        idx = torch.from_numpy(np.asarray(index, dtype=np.int64))
        return TensorDataset(
            self.X[idx],
            None if self.y is None else self.y[idx],
            None if self.sample_weight is None else self.sample_weight[idx],
            self.indices[index],
        )


class FiniteRows(TensorDataset):
    """Inputs to predict from, refused batch by batch if not finite.

    A batch whose sum is not finite is checked element by element with
    scikit-learn's :func:`~sklearn.utils.assert_all_finite`, which raises its
    usual ``ValueError`` for NaN or infinity (a sum that overflowed from
    finite values passes). The check runs on each batch as inference forms it,
    while the batch is in cache, instead of in a pass of its own over all rows.

    Parameters
    ----------
    X : torch.Tensor of shape (n_samples, ...)
        Inputs; integer inputs (tokens) are not checked.
    caller : str
        Estimator name for the error message.

    Examples
    --------
    >>> import torch
    >>> from skdl.neural_net._data import FiniteRows
    >>> rows = FiniteRows(torch.tensor([[1.0], [float("nan")]]), caller="MyNet")
    >>> rows[:1][0].tolist()
    [[1.0]]
    >>> rows[:2]
    Traceback (most recent call last):
    ...
    ValueError: Input X contains NaN...
    """

    def __init__(self, X: torch.Tensor, caller: str) -> None:
        super().__init__(X)
        self.caller = caller

    def __getitem__(self, index: Any) -> tuple[Any, torch.Tensor | None]:
        Xb, yb = super().__getitem__(index)
        if Xb.is_floating_point() and not torch.isfinite(Xb.sum()):
            assert_all_finite(Xb.numpy(), estimator_name=self.caller, input_name="X")
        return Xb, yb


class BatchIterator:
    """Iterate over a :class:`TensorDataset` in mini-batches without a DataLoader.

    It is passed to skorch as ``iterator_train`` / ``iterator_valid``; skorch calls
    it with the dataset and ``batch_size`` at the start of each epoch. Shuffling
    draws one permutation per epoch from torch's global generator, which skdl
    seeds (and restores) around ``fit``, so runs are reproducible.

    Parameters
    ----------
    dataset : TensorDataset
        Data to iterate over.
    batch_size : int
        Number of samples per batch.
    shuffle : bool, default=False
        Draw a new random order each epoch.
    drop_last : bool, default=False
        Drop the last, smaller batch.

    Examples
    --------
    >>> import torch
    >>> from skdl.neural_net._data import BatchIterator, TensorDataset
    >>> ds = TensorDataset(torch.zeros(10, 3), torch.arange(10))
    >>> [len(yb) for _, yb in BatchIterator(ds, batch_size=4)]
    [4, 4, 2]
    """

    def __init__(
        self,
        dataset: TensorDataset,
        batch_size: int,
        shuffle: bool = False,
        drop_last: bool = False,
    ) -> None:
        self.dataset = dataset
        self.batch_size = batch_size
        self.shuffle = shuffle
        self.drop_last = drop_last

    def __len__(self) -> int:
        n = len(self.dataset)
        if self.drop_last:
            return n // self.batch_size
        return -(-n // self.batch_size)

    def _order(self, n: int) -> torch.Tensor | None:
        """Return the positions of one epoch; None keeps the stored order (slices)."""
        return torch.randperm(n) if self.shuffle else None

    def __iter__(self) -> Iterator[tuple[Any, torch.Tensor | None]]:
        n = len(self.dataset)
        stop = n - n % self.batch_size if self.drop_last else n
        order = self._order(n)
        for start in range(0, stop, self.batch_size):
            end = start + self.batch_size
            yield self.dataset[slice(start, end) if order is None else order[start:end]]


class BalancedBatchIterator(BatchIterator):
    """Mini-batches in which every class is drawn equally often.

    Each epoch draws ``len(dataset)`` sample positions: a class uniformly at
    random, then a sample of that class uniformly at random (with replacement).
    A 1% class therefore makes up about half of every binary batch, which
    oversamples it without copying any data: only the drawn positions are
    gathered, batch by batch, exactly as :class:`BatchIterator` gathers a
    shuffled batch. The per-class index is built once per dataset and kept on
    it. Draws come from torch's global generator, which skdl seeds around
    ``fit``, so runs are reproducible.

    Used by skdl's classifiers with ``batch_sampling="balanced"``; it can also
    be passed to a skorch net as ``iterator_train`` for a
    :class:`TensorDataset` with 1-D integer class codes as ``y``.

    Parameters
    ----------
    dataset : TensorDataset
        Training data; ``dataset.y`` must hold integer class codes, one per
        sample.
    batch_size : int
        Number of samples per batch.
    shuffle : bool, default=True
        Accepted for skorch's iterator interface; balanced batches are always
        drawn at random.
    drop_last : bool, default=False
        Drop the last, smaller batch.

    Examples
    --------
    >>> import torch
    >>> from skdl.imbalance import BalancedBatchIterator
    >>> from skdl.neural_net._data import TensorDataset
    >>> y = torch.tensor([0] * 99 + [1])
    >>> ds = TensorDataset(torch.zeros(100, 3), y)
    >>> _ = torch.manual_seed(0)
    >>> drawn = torch.cat([yb for _, yb in BalancedBatchIterator(ds, batch_size=50)])
    >>> len(drawn), 35 < int(drawn.sum()) < 65  # about half are the 1% class
    (100, True)
    """

    def __init__(
        self,
        dataset: TensorDataset,
        batch_size: int,
        shuffle: bool = True,
        drop_last: bool = False,
    ) -> None:
        super().__init__(dataset, batch_size, shuffle=shuffle, drop_last=drop_last)
        y = dataset.y
        if y is None or y.ndim != 1 or y.dtype.is_floating_point:
            raise ValueError(
                "Balanced batches need one integer class code per sample; "
                f"got targets of shape {None if y is None else tuple(y.shape)}. "
                "For several binary tasks per sample, use class_weight instead."
            )

    def _class_index(self) -> tuple[torch.Tensor, torch.Tensor, torch.Tensor]:
        """Sample positions sorted by class, each class's start and size."""
        cached = getattr(self.dataset, "_balanced_index", None)
        if cached is None:
            y = self.dataset.y
            assert y is not None  # checked in __init__
            order = torch.argsort(y, stable=True)
            counts = torch.bincount(y)
            starts = torch.cumsum(counts, 0) - counts
            present = torch.nonzero(counts).flatten()
            cached = (order, starts[present], counts[present])
            self.dataset._balanced_index = cached  # type: ignore[attr-defined]
        return cached

    def _order(self, n: int) -> torch.Tensor:
        """Return ``n`` positions: a class uniformly, then one of its samples."""
        order, starts, counts = self._class_index()
        drawn_class = torch.randint(len(counts), (n,))
        offset = (torch.rand(n, dtype=torch.float64) * counts[drawn_class]).long()
        return order[starts[drawn_class] + offset]
