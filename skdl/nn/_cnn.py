"""Convolutional networks for sequences (1-D) and images (2-D); no scikit-learn."""

from __future__ import annotations

from collections.abc import Sequence

import torch
from torch import nn

from skdl.nn._mlp import ACTIVATIONS, MLP

GLOBAL_POOLS = ("max", "avg", "flatten")


def _per_layer(value: int | Sequence[int], n_layers: int, name: str) -> list[int]:
    """Broadcast an int to every conv layer, or check a per-layer sequence."""
    if isinstance(value, int):
        return [value] * n_layers
    values = [int(v) for v in value]
    if len(values) != n_layers:
        raise ValueError(
            f"ConvNet got {len(values)} values for {name} but {n_layers} conv "
            f"layers (len(filters)); give one int or one value per layer."
        )
    return values


class ConvNet(nn.Module):
    """1-D (sequence) or 2-D (image) convolutional network with a dense head.

    Each block is ``Conv -> (BatchNorm) -> activation -> (MaxPool) -> (Dropout)``
    with "same" padding, so a kernel longer than the input is allowed. The
    dimensionality follows ``input_shape``: ``(channels, length)`` builds
    ``Conv1d`` layers for one-hot sequences, ``(channels, height, width)``
    builds ``Conv2d`` layers for images. A block pools only while every spatial
    size is at least ``pool_size``. A global pooling layer then turns the
    feature maps into one vector, which an MLP head maps to raw scores (logits
    for classification).

    Parameters
    ----------
    input_shape : tuple of int
        Shape of one sample without the batch axis: ``(channels, length)`` or
        ``(channels, height, width)``.
    n_outputs : int
        Number of outputs (classes, tasks or targets).
    filters : sequence of int, default=(32, 32)
        Number of filters of each convolution; its length is the number of
        conv blocks.
    kernel_size : int or sequence of int, default=7
        Kernel size of every conv block, or one per block (square kernels in
        2-D).
    pool_size : int, default=2
        Max-pooling window and stride after each block; ``1`` disables it.
    global_pool : {"max", "avg", "flatten"}, default="max"
        How the last feature maps become a vector: the maximum or mean over
        positions (translation invariant: a motif counts wherever it is), or
        ``"flatten"``, which keeps the position of each feature (for
        positional effects).
    hidden_layer_sizes : sequence of int, default=()
        Widths of the dense head's hidden layers; empty gives a linear head.
    activation : {"relu", "tanh", "logistic", "identity", "gelu"}, default="relu"
        Non-linearity of the conv blocks and of the head.
    dropout : float, default=0.0
        Dropout probability after each block and each hidden layer of the head.
    batch_norm : bool, default=False
        Batch normalisation after each convolution and hidden layer.

    Examples
    --------
    >>> import torch
    >>> from skdl.nn import ConvNet
    >>> seq_net = ConvNet((4, 100), n_outputs=2, filters=(16, 16), kernel_size=9)
    >>> seq_net(torch.zeros(8, 4, 100)).shape
    torch.Size([8, 2])
    >>> img_net = ConvNet((1, 24, 24), n_outputs=3, kernel_size=3)
    >>> img_net(torch.zeros(8, 1, 24, 24)).shape
    torch.Size([8, 3])
    """

    def __init__(
        self,
        input_shape: Sequence[int],
        n_outputs: int,
        filters: Sequence[int] = (32, 32),
        kernel_size: int | Sequence[int] = 7,
        pool_size: int = 2,
        global_pool: str = "max",
        hidden_layer_sizes: Sequence[int] = (),
        activation: str = "relu",
        dropout: float = 0.0,
        batch_norm: bool = False,
    ) -> None:
        super().__init__()
        shape = tuple(int(s) for s in input_shape)
        if len(shape) not in (2, 3) or min(shape) < 1:
            raise ValueError(
                "ConvNet needs input_shape=(channels, length) or (channels, "
                f"height, width) with positive sizes; got {tuple(input_shape)}."
            )
        if global_pool not in GLOBAL_POOLS:
            raise ValueError(
                f"ConvNet got global_pool={global_pool!r}; use one of "
                f"{list(GLOBAL_POOLS)}."
            )
        if activation not in ACTIVATIONS:
            raise ValueError(
                f"ConvNet got activation={activation!r}; use one of "
                f"{sorted(ACTIVATIONS)}."
            )
        if pool_size < 1:
            raise ValueError(f"ConvNet got pool_size={pool_size}; it must be >= 1.")
        conv, norm, pool = (
            (nn.Conv1d, nn.BatchNorm1d, nn.MaxPool1d)
            if len(shape) == 2
            else (nn.Conv2d, nn.BatchNorm2d, nn.MaxPool2d)
        )
        kernels = _per_layer(kernel_size, len(filters), "kernel_size")
        channels, spatial = shape[0], list(shape[1:])
        blocks: list[nn.Module] = []
        for width, kernel in zip(filters, kernels, strict=True):
            blocks.append(conv(channels, int(width), kernel, padding="same"))
            if batch_norm:
                blocks.append(norm(int(width)))
            blocks.append(ACTIVATIONS[activation]())
            if pool_size > 1 and min(spatial) >= pool_size:
                blocks.append(pool(pool_size))
                spatial = [s // pool_size for s in spatial]
            if dropout > 0:
                blocks.append(nn.Dropout(dropout))
            channels = int(width)
        self.features = nn.Sequential(*blocks)
        self.global_pool = global_pool
        # Global max pooling in evaluation is a pooling module over the whole
        # map (the same values as ``amax``): attribution methods with
        # per-layer rules, such as captum's DeepLIFT, know a MaxPool module but
        # not a tensor method. Training keeps ``amax``, whose gradient splits
        # ties evenly (MaxPool's picks one), so that fits are unchanged.
        self.global_max = pool(tuple(spatial)) if global_pool == "max" else None
        self._global_shape = tuple(spatial)
        n_pooled = channels
        if global_pool == "flatten":
            n_pooled = channels * int(torch.tensor(spatial).prod())
        self.head = MLP(
            n_pooled,
            n_outputs,
            hidden_layer_sizes=hidden_layer_sizes,
            activation=activation,
            dropout=dropout,
            batch_norm=batch_norm,
        )

    def forward(self, X: torch.Tensor) -> torch.Tensor:
        """Return raw scores of shape ``(batch, n_outputs)``.

        Parameters
        ----------
        X : torch.Tensor of shape (batch, channels, length) or \
(batch, channels, height, width)
            Input batch.

        Returns
        -------
        out : torch.Tensor of shape (batch, n_outputs)
            Raw scores.
        """
        maps = self.features(X)
        if self.global_pool == "flatten":
            pooled = maps.flatten(1)
        else:
            positions = maps.flatten(2)
            # getattr: a ConvNet pickled before these attributes existed.
            global_max = getattr(self, "global_max", None)
            if (
                global_max is not None
                and not self.training
                and maps.shape[2:] == getattr(self, "_global_shape", None)
            ):
                pooled = global_max(maps).flatten(1)
            elif self.global_pool == "max":
                pooled = positions.amax(dim=2)
            else:
                pooled = positions.mean(dim=2)
        return self.head(pooled)
