"""A transformer encoder for sequences; knows nothing of scikit-learn."""

from __future__ import annotations

import math
from collections.abc import Sequence

import torch
from torch import nn

POOLINGS = ("mean", "cls")


def sinusoidal_positions(length: int, d_model: int) -> torch.Tensor:
    """Return the fixed sine/cosine positional encodings of Vaswani et al. (2017).

    Parameters
    ----------
    length : int
        Number of positions.
    d_model : int
        Embedding size.

    Returns
    -------
    encodings : torch.Tensor of shape (length, d_model)

    Examples
    --------
    >>> from skdl.nn._transformer import sinusoidal_positions
    >>> sinusoidal_positions(10, 8).shape
    torch.Size([10, 8])
    """
    position = torch.arange(length, dtype=torch.float32)[:, None]
    rate = torch.exp(
        torch.arange(0, d_model, 2, dtype=torch.float32) * (-math.log(1e4) / d_model)
    )
    encodings = torch.zeros(length, d_model)
    encodings[:, 0::2] = torch.sin(position * rate)
    encodings[:, 1::2] = torch.cos(position * rate)[:, : d_model // 2]
    return encodings


class TransformerEncoderNet(nn.Module):
    """Transformer encoder over a sequence, pooled into raw scores.

    Two kinds of input, chosen by ``vocab_size``:

    - **tokens** (``vocab_size`` is an int): a batch of shape
      ``(batch, length)`` holding integer tokens in ``[0, vocab_size)`` (as
      floats or ints), embedded with ``nn.Embedding``. Token ``0`` is padding.
    - **channels** (``vocab_size=None``): a batch of shape
      ``(batch, channels, length)``, for example one-hot DNA, projected to
      ``d_model`` by a linear layer. A position whose channels are all exactly
      zero is padding (the rule of :class:`skdl.preprocessing.SequenceOneHotEncoder`).

    Fixed sinusoidal positional encodings are added, padding positions are
    masked out of attention and pooling (``mask_padding=True``), and the
    sequence is pooled by the mean over its non-padding positions or by a
    learned CLS token. A sequence that is padding everywhere attends to all
    positions instead of producing NaN.

    Parameters
    ----------
    input_shape : tuple of int
        Shape of one sample without the batch axis: ``(length,)`` for tokens,
        ``(channels, length)`` for channels.
    n_outputs : int
        Number of outputs (classes, tasks or targets).
    vocab_size : int or None, default=None
        Number of distinct tokens including padding ``0``; None means channel
        input.
    d_model : int, default=64
        Embedding size; must be divisible by ``n_heads``.
    n_heads : int, default=4
        Attention heads per layer.
    n_layers : int, default=2
        Number of encoder layers.
    dim_feedforward : int, default=128
        Width of each layer's feed-forward block.
    dropout : float, default=0.1
        Dropout in attention, feed-forward blocks and after the embedding.
    pooling : {"mean", "cls"}, default="mean"
        How the encoded positions become one vector.
    mask_padding : bool, default=True
        Mask padding positions (see above). Turn off for dense channel input
        in which an all-zero position is real data.

    Examples
    --------
    >>> import torch
    >>> from skdl.nn import TransformerEncoderNet
    >>> net = TransformerEncoderNet((4, 50), n_outputs=2, d_model=16, n_heads=2)
    >>> net(torch.zeros(3, 4, 50)).shape
    torch.Size([3, 2])
    >>> tokens = TransformerEncoderNet((50,), n_outputs=1, vocab_size=6, d_model=16)
    >>> tokens(torch.randint(0, 6, (3, 50))).shape
    torch.Size([3, 1])
    """

    def __init__(
        self,
        input_shape: Sequence[int],
        n_outputs: int,
        vocab_size: int | None = None,
        d_model: int = 64,
        n_heads: int = 4,
        n_layers: int = 2,
        dim_feedforward: int = 128,
        dropout: float = 0.1,
        pooling: str = "mean",
        mask_padding: bool = True,
    ) -> None:
        super().__init__()
        shape = tuple(int(s) for s in input_shape)
        expected = 1 if vocab_size is not None else 2
        if len(shape) != expected or min(shape) < 1:
            kind = "(length,) for tokens" if expected == 1 else "(channels, length)"
            raise ValueError(
                f"TransformerEncoderNet needs input_shape={kind} with positive "
                f"sizes; got {tuple(input_shape)}."
            )
        if d_model % n_heads:
            raise ValueError(
                f"TransformerEncoderNet: d_model={d_model} must be divisible by "
                f"n_heads={n_heads}."
            )
        if pooling not in POOLINGS:
            raise ValueError(
                f"TransformerEncoderNet got pooling={pooling!r}; use one of "
                f"{list(POOLINGS)}."
            )
        self.vocab_size = vocab_size
        self.pooling = pooling
        self.mask_padding = mask_padding
        length = shape[-1]
        if vocab_size is not None:
            self.embed: nn.Module = nn.Embedding(vocab_size, d_model, padding_idx=0)
        else:
            self.embed = nn.Linear(shape[0], d_model)
        n_positions = length + (pooling == "cls")
        self.register_buffer(
            "positions", sinusoidal_positions(n_positions, d_model), persistent=False
        )
        if pooling == "cls":
            self.cls = nn.Parameter(torch.zeros(1, 1, d_model))
        self.dropout = nn.Dropout(dropout)
        layer = nn.TransformerEncoderLayer(
            d_model,
            n_heads,
            dim_feedforward=dim_feedforward,
            dropout=dropout,
            batch_first=True,
            norm_first=True,
        )
        # No nested-tensor fast path: it changes numerics between modes and
        # batch compositions, which would break determinism guarantees.
        self.encoder = nn.TransformerEncoder(
            layer, n_layers, enable_nested_tensor=False
        )
        self.norm = nn.LayerNorm(d_model)
        self.out = nn.Linear(d_model, n_outputs)

    def _embed(self, X: torch.Tensor) -> tuple[torch.Tensor, torch.Tensor]:
        if self.vocab_size is not None:
            tokens = X.long()
            return self.embed(tokens), tokens == 0
        return self.embed(X.transpose(1, 2)), (X == 0).all(dim=1)

    def forward(self, X: torch.Tensor) -> torch.Tensor:
        """Return raw scores of shape ``(batch, n_outputs)``.

        Parameters
        ----------
        X : torch.Tensor of shape (batch, length) or (batch, channels, length)
            Tokens or channels, as declared by ``vocab_size``.

        Returns
        -------
        out : torch.Tensor of shape (batch, n_outputs)
            Raw scores.
        """
        h, padding = self._embed(X)
        if self.mask_padding:
            # A sequence that is padding everywhere attends to everything.
            padding = padding & ~padding.all(dim=1, keepdim=True)
        else:
            padding = torch.zeros_like(padding)
        if self.pooling == "cls":
            h = torch.cat([self.cls.expand(len(h), -1, -1), h], dim=1)
            padding = torch.cat([padding.new_zeros(len(h), 1), padding], dim=1)
        positions: torch.Tensor = self.positions  # type: ignore[assignment]
        h = self.dropout(h + positions[: h.shape[1]])
        h = self.norm(self.encoder(h, src_key_padding_mask=padding))
        if self.pooling == "cls":
            pooled = h[:, 0, :]
        else:
            keep = (~padding).unsqueeze(2).to(h.dtype)
            pooled = (h * keep).sum(dim=1) / keep.sum(dim=1)
        return self.out(pooled)
