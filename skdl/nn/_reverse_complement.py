"""Reverse-complement augmentation and averaging around any one-hot DNA module."""

from __future__ import annotations

from typing import Any

import torch
from torch import nn

RC_MODES = ("augment", "average", "both")


def reverse_complement_one_hot(X: torch.Tensor) -> torch.Tensor:
    """Reverse complement of one-hot DNA of shape ``(batch, 4, length)``.

    With the channel order ``A, C, G, T`` the complement reverses the channel
    axis (A<->T, C<->G), and the reverse reverses the length axis. Ambiguous
    positions encoded as ``0.25`` everywhere and all-zero padding map to
    themselves (padding moves to the other end).

    Parameters
    ----------
    X : torch.Tensor of shape (batch, 4, length)
        One-hot DNA, channels in ``A, C, G, T`` order.

    Returns
    -------
    rc : torch.Tensor of shape (batch, 4, length)

    Examples
    --------
    >>> import torch
    >>> from skdl.nn import reverse_complement_one_hot
    >>> acg = torch.eye(4)[:, :3].unsqueeze(0)  # "ACG"
    >>> reverse_complement_one_hot(acg)[0].argmax(dim=0)  # "CGT"
    tensor([1, 2, 3])
    """
    return X.flip(dims=(1, 2))


class ReverseComplementNet(nn.Module):
    """Wrap a module on one-hot DNA so that strands are treated alike.

    The inner module is built here from its class and keyword arguments, so
    that its weights are drawn inside the estimator's seeded context.

    - ``"augment"``: during training each sequence of a batch is replaced by
      its reverse complement with probability 1/2 (a fresh draw per batch, no
      copy of the data); evaluation uses the forward strand.
    - ``"average"``: the output is the mean of the module's raw outputs on the
      forward and the reverse-complement strand, in training and evaluation,
      so predictions are identical for a sequence and its reverse complement.
    - ``"both"``: augmentation in training, averaging in evaluation.

    Parameters
    ----------
    module : subclass of torch.nn.Module
        Class of the inner network; its input is ``(batch, 4, length)``.
    module_params : dict
        Keyword arguments of the inner network.
    mode : {"augment", "average", "both"}, default="both"
        See above.

    Examples
    --------
    >>> import torch
    >>> from skdl.nn import ConvNet, ReverseComplementNet, reverse_complement_one_hot
    >>> net = ReverseComplementNet(
    ...     ConvNet, {"input_shape": (4, 20), "n_outputs": 1}, mode="average"
    ... ).eval()
    >>> x = torch.nn.functional.one_hot(torch.randint(0, 4, (2, 20)), 4)
    >>> x = x.transpose(1, 2).float()
    >>> torch.equal(net(x), net(reverse_complement_one_hot(x)))
    True
    """

    def __init__(
        self,
        module: type[nn.Module],
        module_params: dict[str, Any],
        mode: str = "both",
    ) -> None:
        super().__init__()
        if mode not in RC_MODES:
            raise ValueError(
                f"ReverseComplementNet got mode={mode!r}; use one of {list(RC_MODES)}."
            )
        self.mode = mode
        self.module = module(**module_params)

    def forward(self, X: torch.Tensor) -> torch.Tensor:
        """Return the inner module's raw scores, strand-augmented or averaged.

        Parameters
        ----------
        X : torch.Tensor of shape (batch, 4, length)
            One-hot DNA.

        Returns
        -------
        out : torch.Tensor of shape (batch, n_outputs)
            Raw scores.
        """
        if X.ndim != 3 or X.shape[1] != 4:
            raise ValueError(
                "reverse_complement needs one-hot DNA of shape (batch, 4, length) "
                f"in A, C, G, T channel order; got a batch of shape {tuple(X.shape)}."
            )
        average = self.mode == "average" or (self.mode == "both" and not self.training)
        if average:
            forward = self.module(X)
            reverse = self.module(reverse_complement_one_hot(X))
            return (forward + reverse) / 2
        if self.training:
            flip = torch.rand(len(X), device=X.device) < 0.5
            X = torch.where(flip[:, None, None], reverse_complement_one_hot(X), X)
        return self.module(X)
